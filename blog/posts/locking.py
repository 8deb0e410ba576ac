"""Optimistic locking: a save made from an older version of a post than the
saved one is refused, so that nobody overwrites a save they have not seen.

The editor sends the version it was opened on
(:attr:`blog.posts.editing.PostInput.base_version`); :func:`check_version`
refuses a save from an older one, and :func:`conflict_if_stale` a save whose
``UPDATE`` lost a race after that check (SQLAlchemy checks ``Post.version``,
its ``version_id_col``, in every ``UPDATE``). Either way nothing is
written, and :class:`EditConflict` says who saved last and when (from the
latest revision).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import inspect, select
from sqlalchemy.orm.exc import StaleDataError

from blog.extensions import db
from blog.models import Post, PostRevision, User
from blog.posts.editing import PostError


class EditConflict(PostError):
    """Someone saved the post after this editor opened it: nothing is written.

    ``saved_by`` and ``saved_at`` say who saved last and when (from the
    latest revision); ``by_you`` when that was the same person, in another
    window.
    """

    def __init__(
        self, saved_by: str | None, saved_at: datetime | None, *, by_you: bool
    ) -> None:
        who = "You" if by_you else saved_by or "Someone"
        super().__init__(
            f"{who} saved this post while you were editing: your text was not saved.",
            "",
        )
        self.saved_by = saved_by
        self.saved_at = saved_at
        self.by_you = by_you


def check_version(actor: User, post: Post | None, base_version: int | None) -> None:
    """Refuse a save made from an older version of the post than the saved one.

    :param base_version: the version the editor was opened on; ``None``
        (a form without it, the command line, tests) skips the check.
    :raises EditConflict: naming who saved since, and when.
    """
    if post is None or base_version is None or not inspect(post).has_identity:
        return
    if base_version != post.version:
        raise edit_conflict(actor, post.id)


@contextmanager
def conflict_if_stale(actor: User, post: Post) -> Iterator[None]:
    """Turn a lost race (the post's ``UPDATE`` found a newer version, or no
    row) into :class:`EditConflict`, after rolling back."""
    post_id = post.id  # None for a new post, which cannot lose this race
    try:
        yield
    except StaleDataError as error:
        db.session.rollback()
        if post_id is None:
            raise
        raise edit_conflict(actor, post_id) from error


def edit_conflict(actor: User, post_id: int) -> EditConflict:
    """The refusal, naming who saved the post last and when."""
    latest = db.session.scalar(
        select(PostRevision)
        .where(PostRevision.post_id == post_id)
        .order_by(PostRevision.id.desc())
        .limit(1)
    )
    if latest is None:
        saved_at = db.session.scalar(select(Post.updated_at).where(Post.id == post_id))
        return EditConflict(None, saved_at, by_you=False)
    author = latest.author
    return EditConflict(
        author.display_name if author else None,
        latest.created_at,
        by_you=latest.author_id == actor.id,
    )
