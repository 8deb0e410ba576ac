"""What readers see of comments: approved threads, pages and counts.

A page of a thread is read in two queries whatever the number of comments
(:func:`load`): the counts, then the page's top-level comments with their
replies (and the staff among their authors, for their pictures). Top-level
comments are those without a ``root_id`` (kept by
:mod:`blog.comments.roots`), so the page is cut from the index
``ix_comments_post_id_status_root_id_submitted_at`` and only its own rows
are read; the tree is then built in Python (:func:`build`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, CompoundSelect, Select, and_, func, or_, select
from sqlalchemy.orm import aliased, joinedload, lazyload

from blog.extensions import db
from blog.models import Comment, CommentStatus


@dataclass
class Node:
    comment: Comment
    depth: int
    children: list[Node] = field(default_factory=list)


@dataclass
class Thread:
    nodes: list[Node]  # the top-level comments on this page, with their replies
    page: int
    pages: int
    count: int  # approved comments on the post
    by_id: dict[int, Comment]  # the comments on this page
    max_depth: int  # replies to the deepest comments stay at its level
    post_id: int | None = None

    def can_reply(self, node: Node) -> bool:
        """Whether a reply to this comment would nest under it."""
        return node.depth < self.max_depth

    def reply_target(self, comment_id: int) -> Comment | None:
        """The approved comment of this post a reply answers: from this page,
        else from the database (one query)."""
        if comment_id in self.by_id or self.post_id is None:
            return self.by_id.get(comment_id)
        return db.session.scalar(_shown(self.post_id).where(Comment.id == comment_id))


def load(post_id: int, *, max_depth: int, per_page: int, page: int | None) -> Thread:
    """The page of a post's approved comments: ``per_page`` top-level
    comments with all their replies (two queries whatever the number of
    comments); ``page=None`` is the first page, and a page past the last
    is the last. With ``max_depth`` 1 every comment stands at the top."""
    flat = max_depth <= 1
    per_page = max(per_page, 1)
    count, tops = db.session.execute(
        select(func.count(), func.count().filter(Comment.root_id.is_(None))).where(
            *_approved(post_id)
        )
    ).one()
    pages = max((int(tops if not flat else count) + per_page - 1) // per_page, 1)
    page = 1 if page is None else min(max(page, 1), pages)
    top = (
        select(Comment.id)
        .where(*_approved(post_id), *_top_level(flat))
        .order_by(Comment.submitted_at, Comment.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery("top")
    )
    shown: Select[Any] | CompoundSelect[Any] = select(top.c.id)
    if not flat:  # and their replies, from the index by root
        replies = select(Comment.id).where(
            *_approved(post_id), Comment.root_id.in_(select(top.c.id))
        )
        shown = select(top.c.id).union_all(replies)
    page_ids = shown.subquery("page_ids")
    comments = list(
        db.session.scalars(
            select(Comment)
            # Staff comments' users in the same query: their pictures.
            .options(lazyload(Comment.post), joinedload(Comment.user))
            .join(page_ids, page_ids.c.id == Comment.id)
            .order_by(Comment.submitted_at, Comment.id)
        )
    )
    nodes = _tree(comments, max_depth)
    by_id = {c.id: c for c in comments}
    return Thread(nodes, page, pages, int(count), by_id, max_depth, post_id)


def page_of(comment: Comment, *, max_depth: int, per_page: int) -> int:
    """The page of its post's thread that shows an approved ``comment``:
    the page of its top-level comment (one or two queries)."""
    flat = max_depth <= 1
    anchor = comment
    if not flat and comment.root_id is not None:
        anchor = db.session.get(Comment, comment.root_id) or comment
    before = or_(
        Comment.submitted_at < anchor.submitted_at,
        and_(Comment.submitted_at == anchor.submitted_at, Comment.id < anchor.id),
    )
    earlier = db.session.scalar(
        select(func.count()).where(
            *_approved(anchor.post_id), *_top_level(flat), before
        )
    )
    return int(earlier or 0) // max(per_page, 1) + 1


def page_number(*, max_depth: int, per_page: int) -> ColumnElement[int]:
    """:func:`page_of` as SQL, for many comments in one query (the comments
    feed): the top-level comments before the comment's own top-level one
    (itself when the thread is flat), by ``per_page``, plus one."""
    flat = max_depth <= 1
    anchor = aliased(Comment, name="anchor")
    earlier = aliased(Comment, name="earlier")
    anchor_id = Comment.id if flat else func.coalesce(Comment.root_id, Comment.id)
    before = or_(
        earlier.submitted_at < anchor.submitted_at,
        and_(earlier.submitted_at == anchor.submitted_at, earlier.id < anchor.id),
    )
    conditions = [earlier.post_id == anchor.post_id, shown_to_readers(earlier), before]
    if not flat:
        conditions.append(earlier.root_id.is_(None))
    count = (
        select(func.count())
        .select_from(earlier)
        .where(*conditions)
        .correlate(anchor)
        .scalar_subquery()
    )
    return (
        select(count // max(per_page, 1) + 1)
        .select_from(anchor)
        .where(anchor.id == anchor_id)
        .scalar_subquery()
    )


def shown_to_readers(comment: Any = Comment) -> ColumnElement[bool]:
    """A comment readers see: an approved one (``comment``: the entity or
    an alias of it)."""
    return comment.status == CommentStatus.APPROVED  # type: ignore[no-any-return]


def _approved(post_id: int) -> tuple[ColumnElement[bool], ...]:
    return (Comment.post_id == post_id, shown_to_readers())


def _top_level(flat: bool) -> tuple[ColumnElement[bool], ...]:
    return () if flat else (Comment.root_id.is_(None),)


def _shown(post_id: int) -> Select[Comment]:
    """The post's approved comments (the post itself is loaded already)."""
    return select(Comment).options(lazyload(Comment.post)).where(*_approved(post_id))


def build(
    comments: list[Comment], *, max_depth: int, per_page: int, page: int | None
) -> Thread:
    """Thread all of a post's approved ``comments`` (oldest first) and cut
    the top level into pages, in memory: what :func:`load` reads from the
    database, for a list already at hand (and the tests' reference)."""
    roots = _tree(comments, max_depth)
    per_page = max(per_page, 1)
    pages = max((len(roots) + per_page - 1) // per_page, 1)
    page = 1 if page is None else min(max(page, 1), pages)
    start = (page - 1) * per_page
    shown = roots[start : start + per_page]
    return Thread(
        shown, page, pages, len(comments), {c.id: c for c in comments}, max_depth
    )


def _tree(comments: list[Comment], max_depth: int) -> list[Node]:
    """The top-level nodes of ``comments`` (oldest first, so parents come
    before replies), threaded to ``max_depth``: deeper replies stay at the
    last level."""
    nodes: dict[int, Node] = {}
    roots: list[Node] = []
    for comment in comments:
        parent = _node_of(nodes, comment.parent_id)
        while parent is not None and parent.depth >= max_depth:
            parent = _node_of(nodes, parent.comment.parent_id)  # reply beside it
        if parent is None:
            node = Node(comment, 1)
            roots.append(node)
        else:
            node = Node(comment, parent.depth + 1)
            parent.children.append(node)
        nodes[comment.id] = node
    return roots


def _node_of(nodes: dict[int, Node], comment_id: int | None) -> Node | None:
    return nodes.get(comment_id) if comment_id is not None else None


def root_index(comments: list[Comment], comment_id: int) -> int:
    """Position of the comment's top-level ancestor among top-level comments."""
    by_id = {c.id: c for c in comments}
    current = by_id.get(comment_id)
    while current is not None and current.parent_id in by_id:
        current = by_id[current.parent_id]
    roots = [c.id for c in comments if c.parent_id not in by_id]
    return roots.index(current.id) if current is not None else 0


def approved_counts(post_ids: Iterable[int]) -> dict[int, int]:
    """Approved comment counts for several posts (one grouped query)."""
    ids = list(post_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Comment.post_id, func.count())
        .where(Comment.post_id.in_(ids), Comment.status == CommentStatus.APPROVED)
        .group_by(Comment.post_id)
    )
    return {post_id: n for post_id, n in rows}
