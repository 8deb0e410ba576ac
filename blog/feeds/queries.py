"""Which rows a feed shows: the newest visible posts (of an archive), the
newest approved comments on visible posts, the next dates of events.

Visibility is the posts' one rule (:func:`blog.posts.reading.visible`) and
a comment readers see is an approved one (:mod:`blog.comments.threads`,
:mod:`blog.comments.states`). Every function reads a fixed number of
queries whatever the number of items.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager, lazyload

from blog.comments.threads import page_number, shown_to_readers
from blog.events.listings import next_occurrences
from blog.events.recurrence import Occurrence
from blog.extensions import db
from blog.models import Comment, Post, utcnow


def newest(query: Select[Post], limit: int) -> list[Post]:
    """The first ``limit`` posts of a reader's listing (``reading.visible()``,
    ``in_term``, ``by_author``), newest first; terms in one more query."""
    return list(db.session.scalars(query.limit(limit)))


def next_events(limit: int, now: datetime | None = None) -> list[Occurrence]:
    """The next ``limit`` dates not over, soonest first: one-off events and
    each date of repeating ones (within :data:`blog.events.recurrence.HORIZON`),
    speakers and sponsors not read."""
    return next_occurrences(limit, now or utcnow(), with_terms=True)


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
    shows it (:func:`blog.comments.threads.page_number`, for all of them in
    the same query)."""
    query = (
        select(Comment, page_number(max_depth=thread_depth, per_page=per_page))
        .join(Comment.post)
        .where(shown_to_readers(), Post.visible_at(now or utcnow()))
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
