"""Undoing a moderation action: "3 comments marked as spam. Undo".

An action's :class:`~blog.comments.moderation.Outcome` lists the log entries
it wrote, by the status each comment had before. :func:`offer` signs them
into a token, as ranges of ids (a few dozen bytes even for thousands of
comments, so that it fits in a flashed message, which lives in the session
cookie), good for :data:`UNDO_SECONDS` and for the moderator who acted only.
:func:`undo` puts each comment back where it was, if it is still where the
action left it and the moderator still moderates it, and records "undo" in
its history. "Delete Permanently" cannot be undone: nothing is left to put
back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import aliased, selectinload

from blog.comments import subscriptions
from blog.comments.moderation import BULK_LIMIT, Lesson, teach
from blog.comments.permissions import can_moderate
from blog.comments.settings import CommentSettings
from blog.comments.spam_stats import note_undo
from blog.comments.states import TRANSITIONS, Action, record
from blog.extensions import db
from blog.models import Comment, CommentLogEntry, CommentStatus, User

#: How long an "Undo" works (the page's own button goes away sooner).
UNDO_SECONDS = 600
#: A token carries at most this many ranges of ids (an action makes one or
#: two per status and batch); an action scattered wider offers no undo.
MAX_RANGES = 100
_SALT = "comment-undo"

Ranges = list[tuple[int, int]]


class UndoRefused(Exception):
    """The undo cannot be done: expired, forged, or another person's."""


@dataclass
class UndoOutcome:
    #: How many comments went back, by the status they went back to.
    restored: dict[CommentStatus, int] = field(default_factory=dict)
    #: The comments put back (up to ``BULK_LIMIT``), to show their new rows.
    comments: list[Comment] = field(default_factory=list)
    #: Comments changed (or deleted) since, or no longer the actor's to
    #: moderate: left as they are.
    left: int = 0
    akismet_failed: int = 0

    @property
    def message(self) -> str:
        """ "2 comments restored to Pending, 1 to Approved." and what was left."""
        parts = []
        for n, (status, count) in enumerate(sorted(self.restored.items())):
            noun = "comment" if count == 1 else "comments"
            where = status.value.capitalize()
            parts.append(
                f"{count} {noun} restored to {where}"
                if n == 0
                else f"{count} to {where}"
            )
        words = ", ".join(parts) + "." if parts else "Nothing was undone."
        if self.left == 1:
            words += " 1 comment had changed since and stayed as it is."
        elif self.left:
            words += f" {self.left} comments had changed since and stayed as they are."
        return words


def offer(
    actor: User,
    action: Action,
    undoable: Mapping[CommentStatus, Sequence[int]],
    secret: str,
) -> str | None:
    """The token that undoes an action, or ``None`` when there is nothing
    to undo (or the action was "Delete Permanently")."""
    if action == Action.DELETE:
        return None
    groups = {str(status): _ranges(ids) for status, ids in undoable.items() if ids}
    if not groups or sum(len(r) for r in groups.values()) > MAX_RANGES:
        return None
    payload = {"u": actor.id, "a": action.value, "g": groups}
    return _serializer(secret).dumps(payload)


def undo(
    actor: User,
    token: str,
    *,
    secret: str,
    settings: CommentSettings,
    max_age: int = UNDO_SECONDS,
) -> UndoOutcome:
    """Put back the comments an action moved (``BULK_LIMIT`` to a commit).

    A comment goes back only if it is still in the status the action left
    it in, and the actor still moderates it. Comments made approved again
    are announced (:func:`blog.comments.subscriptions.announce_approved`,
    which mails nobody twice). Akismet gets the opposite lesson of the one
    the action taught, as WordPress's Akismet does when a comment leaves the
    spam folder: undoing "Spam" sends submit-ham, undoing "Not Spam" sends
    submit-spam (for readers' comments, up to ``BULK_LIMIT``); undoing any
    other action teaches nothing.

    :raises UndoRefused: the token is forged, expired, or not the actor's.
    """
    action, groups = _load(actor, token, secret, max_age)
    target = TRANSITIONS[action][1]
    outcome = UndoOutcome()
    lessons: list[Lesson] = []
    later = aliased(CommentLogEntry)
    for before, ranges in groups.items():
        ids = db.session.scalars(
            select(CommentLogEntry.comment_id)
            .join(Comment, Comment.id == CommentLogEntry.comment_id)
            .where(
                _within(ranges),
                CommentLogEntry.action == action.value,
                CommentLogEntry.actor_id == actor.id,
                Comment.status == target,
                # Nothing happened to it since: not an undo, not another
                # moderator's later action (a stale Undo button undoes nothing).
                ~exists().where(
                    later.comment_id == CommentLogEntry.comment_id,
                    later.id > CommentLogEntry.id,
                ),
            )
            .order_by(CommentLogEntry.id)
        ).all()
        put_back = 0
        for start in range(0, len(ids), BULK_LIMIT):
            batch = db.session.scalars(
                select(Comment)
                .options(selectinload(Comment.history))
                .where(
                    Comment.id.in_(ids[start : start + BULK_LIMIT]),
                    Comment.status == target,
                )
            ).all()
            for comment in batch:
                if not can_moderate(actor, comment):
                    continue
                note_undo(comment, action)  # a Spam or Not Spam counted
                comment.status = before
                record(comment, "undo", f"back to {before.value}", actor=actor)
                subscriptions.announce_approved(comment, settings, moderated=True)
                if comment.user_id is None and action in (Action.SPAM, Action.NOT_SPAM):
                    lessons.append(
                        (dict(comment.submitted or {}), action != Action.SPAM)
                    )
                if len(outcome.comments) < BULK_LIMIT:
                    outcome.comments.append(comment)
                put_back += 1
            db.session.commit()
        if put_back:
            outcome.restored[before] = put_back
        outcome.left += sum(hi - lo + 1 for lo, hi in ranges) - put_back
    outcome.akismet_failed = teach(settings.akismet, lessons[:BULK_LIMIT])
    return outcome


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=_SALT)


def _ranges(ids: Sequence[int]) -> Ranges:
    """``[1, 2, 3, 7]`` as ``[(1, 3), (7, 7)]``."""
    found: Ranges = []
    for id_ in sorted(set(ids)):
        if found and found[-1][1] == id_ - 1:
            found[-1] = (found[-1][0], id_)
        else:
            found.append((id_, id_))
    return found


def _within(ranges: Ranges) -> ColumnElement[bool]:
    return or_(
        *(and_(CommentLogEntry.id >= lo, CommentLogEntry.id <= hi) for lo, hi in ranges)
    )


def _load(
    actor: User, token: str, secret: str, max_age: int
) -> tuple[Action, dict[CommentStatus, Ranges]]:
    """The token's action and ranges, checked (signed, fresh, the actor's)."""
    expired = UndoRefused(
        "This undo is no longer available: the comments stay as they are."
    )
    try:
        payload: Any = _serializer(secret).loads(token, max_age=max_age)
    except BadData:
        raise expired from None
    try:
        if payload["u"] != actor.id:
            raise expired
        action = Action(payload["a"])
        groups = {
            CommentStatus(status): [(int(lo), int(hi)) for lo, hi in ranges]
            for status, ranges in payload["g"].items()
        }
    except (KeyError, TypeError, ValueError, AttributeError):
        raise expired from None
    if action == Action.DELETE:
        raise expired
    return action, groups
