"""Which rows a feed shows: the newest visible posts (of an archive), the
newest approved comments on visible posts, the next upcoming events.

Visibility is the posts' one rule (:func:`blog.posts.reading.visible`) and
a comment readers see is an approved one (:mod:`blog.comments.threads`,
:mod:`blog.comments.states`). Every function reads a fixed number of
queries whatever the number of items.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import aliased, contains_eager, lazyload

from blog.events.listings import upcoming
from blog.extensions import db
from blog.models import Comment, CommentStatus, Event, Post, utcnow


def newest(query: Select[Post], limit: int) -> list[Post]:
    """The first ``limit`` posts of a reader's listing (``reading.visible()``,
    ``in_term``, ``by_author``), newest first; terms in one more query."""
    return list(db.session.scalars(query.limit(limit)))


def next_events(limit: int, now: datetime | None = None) -> list[Post]:
    """The next ``limit`` events that have not ended, soonest first (speakers
    and sponsors are not shown, so not read)."""
    query = (
        upcoming(now or utcnow())
        .options(
            lazyload(Post.event, Event.people), lazyload(Post.event, Event.sponsors)
        )
        .limit(limit)
    )
    return list(db.session.scalars(query))


def _shown_to_readers() -> ColumnElement[bool]:
    """A comment readers see: approved (the moderation states' public one)."""
    return Comment.status == CommentStatus.APPROVED


def newest_comments(
    limit: int,
    *,
    thread_depth: int,
    per_page: int,
    post_id: int | None = None,
    now: datetime | None = None,
) -> list[tuple[Comment, int]]:
    """The newest ``limit`` approved comments on visible posts (of one post,
    if given), newest first, each with the page of its post's thread that
    shows it (as :func:`blog.comments.threads.page_of` counts, for all of
    them in the same query)."""
    query = (
        select(Comment, _page_number(thread_depth, per_page))
        .join(Comment.post)
        .where(_shown_to_readers(), Post.visible_at(now or utcnow()))
        .options(
            contains_eager(Comment.post).lazyload(Post.terms),
            # A subpage's address needs its parent's slug.
            contains_eager(Comment.post)
            .joinedload(Post.parent)
            .options(lazyload(Post.terms), lazyload(Post.parent)),
        )
        .order_by(Comment.submitted_at.desc(), Comment.id.desc())
        .limit(limit)
    )
    if post_id is not None:
        query = query.where(Comment.post_id == post_id)
    return [(comment, int(page)) for comment, page in db.session.execute(query)]


def _page_number(thread_depth: int, per_page: int) -> ColumnElement[int]:
    """The page of the thread a comment is on: top-level comments before its
    own top-level comment (itself when the thread is flat), by ``per_page``."""
    flat = thread_depth <= 1
    anchor = aliased(Comment, name="anchor")
    earlier = aliased(Comment, name="earlier")
    anchor_id = Comment.id if flat else func.coalesce(Comment.root_id, Comment.id)
    before = or_(
        earlier.submitted_at < anchor.submitted_at,
        and_(earlier.submitted_at == anchor.submitted_at, earlier.id < anchor.id),
    )
    conditions = [
        earlier.post_id == anchor.post_id,
        earlier.status == CommentStatus.APPROVED,
        before,
    ]
    if not flat:
        conditions.append(earlier.root_id.is_(None))
    count = (
        select(func.count())
        .select_from(earlier)
        .where(*conditions)
        .correlate(anchor)
        .scalar_subquery()
    )
    page = (
        select(count // max(per_page, 1) + 1)
        .select_from(anchor)
        .where(anchor.id == anchor_id)
        .scalar_subquery()
    )
    return page
