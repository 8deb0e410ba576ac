"""What readers see of comments: approved threads, pages and counts.

One query loads a post's approved comments; the tree is built in Python, so
the article page's query count does not grow with the number of comments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import lazyload

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
    by_id: dict[int, Comment]
    max_depth: int  # replies to the deepest comments stay at its level

    def can_reply(self, node: Node) -> bool:
        """Whether a reply to this comment would nest under it."""
        return node.depth < self.max_depth


def approved_comments(post_id: int) -> list[Comment]:
    """Every approved comment on a post, oldest first (one query)."""
    return list(
        db.session.scalars(
            select(Comment)
            .options(lazyload(Comment.post))
            .where(Comment.post_id == post_id, Comment.status == CommentStatus.APPROVED)
            .order_by(Comment.submitted_at, Comment.id)
        )
    )


def build(
    comments: list[Comment], *, max_depth: int, per_page: int, page: int | None
) -> Thread:
    """Thread ``comments`` to ``max_depth`` (deeper replies stay at the last
    level) and cut the top level into pages; ``page=None`` is the first page."""
    by_id = {c.id: c for c in comments}
    nodes: dict[int, Node] = {}
    roots: list[Node] = []
    for comment in comments:  # oldest first, so parents come before replies
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
    per_page = max(per_page, 1)
    pages = max((len(roots) + per_page - 1) // per_page, 1)
    page = 1 if page is None else min(max(page, 1), pages)
    start = (page - 1) * per_page
    shown = roots[start : start + per_page]
    return Thread(shown, page, pages, len(comments), by_id, max_depth)


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
