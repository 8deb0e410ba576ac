"""The comment state machine: which moderation action moves a comment where,
and the log entry (who, what, when, why) every change leaves behind.

Callers commit; :func:`transition` checks the permission and the status.
"""

from __future__ import annotations

import enum
from typing import NamedTuple

from blog.comments.permissions import can_moderate
from blog.comments.spam_stats import note_correction
from blog.errors import require
from blog.extensions import db
from blog.models import Comment, CommentLogEntry, CommentStatus, User


class TransitionRefused(Exception):
    """The action does not apply to a comment in this status."""


class _Words(NamedTuple):
    label: str  # the button
    past: str  # "cannot be {past}"
    done: str  # "3 comments {done}."
    log: str  # the history line


class Action(enum.StrEnum):
    """What a moderator can do to a comment, with every word shown for it."""

    APPROVE = "approve"
    UNAPPROVE = "unapprove"
    SPAM = "spam"
    NOT_SPAM = "not_spam"
    TRASH = "trash"
    RESTORE = "restore"
    DELETE = "delete"

    @property
    def label(self) -> str:
        """The button's accessible name: "Approve", "Not Spam", ..."""
        return _WORDS[self].label

    @property
    def past(self) -> str:
        return _WORDS[self].past

    @property
    def done(self) -> str:
        """For the message after it was done: "2 comments approved."."""
        return _WORDS[self].done

    @property
    def slug(self) -> str:
        """The action in a URL: ``/dashboard/comments/7/not-spam``."""
        return self.value.replace("_", "-")

    @classmethod
    def from_slug(cls, slug: str) -> Action | None:
        """The action a URL names, or ``None``."""
        return next((action for action in cls if action.slug == slug), None)


_WORDS = {
    Action.APPROVE: _Words(
        "Approve", "approved", "approved", "{actor} approved this comment"
    ),
    Action.UNAPPROVE: _Words(
        "Unapprove", "unapproved", "unapproved", "{actor} unapproved this comment"
    ),
    Action.SPAM: _Words(
        "Spam",
        "marked as spam",
        "marked as spam",
        "{actor} marked this comment as spam",
    ),
    Action.NOT_SPAM: _Words(
        "Not Spam",
        "marked as not spam",
        "restored from spam",
        "{actor} marked this comment as not spam",
    ),
    Action.TRASH: _Words(
        "Trash",
        "moved to the trash",
        "moved to the trash",
        "{actor} moved this comment to the trash",
    ),
    Action.RESTORE: _Words(
        "Restore",
        "restored",
        "restored",
        "{actor} restored this comment from the trash",
    ),
    Action.DELETE: _Words(
        "Delete Permanently", "deleted", "deleted permanently", "{actor} deleted it"
    ),
}

#: action -> (statuses it applies to, resulting status)
TRANSITIONS: dict[Action, tuple[frozenset[CommentStatus], CommentStatus]] = {
    Action.APPROVE: (frozenset({CommentStatus.PENDING}), CommentStatus.APPROVED),
    Action.UNAPPROVE: (frozenset({CommentStatus.APPROVED}), CommentStatus.PENDING),
    Action.SPAM: (
        frozenset({CommentStatus.PENDING, CommentStatus.APPROVED}),
        CommentStatus.SPAM,
    ),
    Action.NOT_SPAM: (frozenset({CommentStatus.SPAM}), CommentStatus.PENDING),
    Action.TRASH: (
        frozenset({CommentStatus.PENDING, CommentStatus.APPROVED, CommentStatus.SPAM}),
        CommentStatus.TRASH,
    ),
    Action.RESTORE: (frozenset({CommentStatus.TRASH}), CommentStatus.PENDING),
}
#: Deleting for good applies only to what is already out of sight.
DELETABLE = frozenset({CommentStatus.SPAM, CommentStatus.TRASH})
ACTIONS = tuple(Action)


def allowed_actions(comment: Comment) -> list[Action]:
    """The actions that apply to the comment's current status."""
    actions = [
        action
        for action, (sources, _) in TRANSITIONS.items()
        if comment.status in sources
    ]
    if comment.status in DELETABLE:
        actions.append(Action.DELETE)
    return actions


def transition(
    actor: User, comment: Comment, action: Action | str, note: str = ""
) -> None:
    """Move ``comment`` by ``action`` and record who did it (the caller commits).

    :raises PermissionDenied: the actor may not moderate this comment.
    :raises TransitionRefused: the action does not apply to its status.
    """
    require(can_moderate(actor, comment))
    try:
        action = Action(action)
    except ValueError:
        raise TransitionRefused(f"Unknown action {action!r}.") from None
    if action == Action.DELETE:
        if comment.status not in DELETABLE:
            raise TransitionRefused(
                "Only spam and trashed comments can be deleted permanently."
            )
        db.session.delete(comment)
        return
    sources, target = TRANSITIONS[action]
    if comment.status not in sources:
        raise TransitionRefused(
            f"A comment in {comment.status} cannot be {action.past}."
        )
    note_correction(comment, action)  # Akismet overruled: the Spam panel's numbers
    comment.status = target
    record(comment, action, note, actor=actor)


def record(
    comment: Comment, action: str, note: str = "", *, actor: User | None = None
) -> CommentLogEntry:
    """Add a log entry (who, what, when, why) to the comment's history."""
    entry = CommentLogEntry(
        action=action, note=note[:500], actor_id=actor.id if actor else None
    )
    entry.actor = actor
    comment.history.append(entry)
    return entry


#: What the system (not a moderator) records; moderators' actions use Action.
_SYSTEM_MESSAGES = {
    "submitted": "Submitted",
    "honeypot": "The hidden honeypot field was filled in: marked as spam",
    "akismet_ham": "Akismet cleared this comment",
    "akismet_spam": "Akismet flagged this comment as spam",
    "akismet_discard": "Akismet flagged this comment as blatant spam",
    "akismet_error": "Akismet was unreachable; will retry",
    "akismet_gave_up": "Akismet could not be reached for days; gave up checking",
    "rule_held": "Held for moderation",
    "rule_trash": "Moved to the trash by the discussion rules",
    "rule_approved": "Approved by the discussion rules",
    "staff_approved": "Approved: posted by a moderator",
    "edit": "{actor} edited this comment",
    "reply": "{actor} replied to this comment",
    "undo": "{actor} undid a moderation action",
    "mail_failed": "The moderator notification could not be sent; will retry",
    "erased": "{actor} erased its author's personal data (a privacy request)",
}


def describe(entry: CommentLogEntry) -> str:
    """The history line shown in the dashboard."""
    actor = entry.actor.display_name if entry.actor else "Someone"
    try:
        template = _WORDS[Action(entry.action)].log
    except ValueError:
        template = _SYSTEM_MESSAGES.get(entry.action, entry.action)
    text = template.format(actor=actor)
    return f"{text}: {entry.note}" if entry.note else text
