"""The comment state machine: which action moves a comment where, and the
audit row (who, what, when, why) every change leaves behind.

Callers commit; :func:`transition` checks the permission and the status.
"""

from __future__ import annotations

from blog.extensions import db
from blog.models import Comment, CommentEvent, CommentStatus, User
from blog.permissions import can_moderate, require


class TransitionRefused(Exception):
    """The action does not apply to a comment in this status."""


#: action -> (statuses it applies to, resulting status)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "approve": (frozenset({CommentStatus.PENDING}), CommentStatus.APPROVED),
    "unapprove": (frozenset({CommentStatus.APPROVED}), CommentStatus.PENDING),
    "spam": (
        frozenset({CommentStatus.PENDING, CommentStatus.APPROVED}),
        CommentStatus.SPAM,
    ),
    "not_spam": (frozenset({CommentStatus.SPAM}), CommentStatus.PENDING),
    "trash": (
        frozenset({CommentStatus.PENDING, CommentStatus.APPROVED, CommentStatus.SPAM}),
        CommentStatus.TRASH,
    ),
    "restore": (frozenset({CommentStatus.TRASH}), CommentStatus.PENDING),
}
#: Deleting for good applies only to what is already out of sight.
DELETABLE = frozenset({CommentStatus.SPAM, CommentStatus.TRASH})
ACTIONS = (*TRANSITIONS, "delete")


def allowed_actions(comment: Comment) -> list[str]:
    """The actions that apply to the comment's current status."""
    actions = [
        a for a, (sources, _) in TRANSITIONS.items() if comment.status in sources
    ]
    if comment.status in DELETABLE:
        actions.append("delete")
    return actions


def transition(actor: User, comment: Comment, action: str, note: str = "") -> None:
    """Move ``comment`` by ``action`` and record who did it (the caller commits).

    :raises PermissionDenied: the actor may not moderate this comment.
    :raises TransitionRefused: the action does not apply to its status.
    """
    require(can_moderate(actor, comment))
    if action == "delete":
        if comment.status not in DELETABLE:
            raise TransitionRefused(
                "Only spam and trashed comments can be deleted permanently."
            )
        db.session.delete(comment)
        return
    if action not in TRANSITIONS:
        raise TransitionRefused(f"Unknown action {action!r}.")
    sources, target = TRANSITIONS[action]
    if comment.status not in sources:
        raise TransitionRefused(
            f"A comment in {comment.status} cannot be {ACTION_PAST[action]}."
        )
    comment.status = target
    record(comment, action, note, actor=actor)


def record(
    comment: Comment, action: str, note: str = "", *, actor: User | None = None
) -> CommentEvent:
    """Add an audit row (who, what, when, why) to the comment's history."""
    event = CommentEvent(
        action=action, note=note[:500], actor_id=actor.id if actor else None
    )
    event.actor = actor
    comment.events.append(event)
    return event


ACTION_PAST = {
    "approve": "approved",
    "unapprove": "unapproved",
    "spam": "marked as spam",
    "not_spam": "marked as not spam",
    "trash": "moved to the trash",
    "restore": "restored",
    "delete": "deleted",
}

_MESSAGES = {
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
    "approve": "{actor} approved this comment",
    "unapprove": "{actor} unapproved this comment",
    "spam": "{actor} marked this comment as spam",
    "not_spam": "{actor} marked this comment as not spam",
    "trash": "{actor} moved this comment to the trash",
    "restore": "{actor} restored this comment from the trash",
    "edit": "{actor} edited this comment",
    "reply": "{actor} replied to this comment",
    "mail_failed": "The moderator notification could not be sent; will retry",
}


def describe(event: CommentEvent) -> str:
    """The history line shown in the dashboard."""
    actor = event.actor.display_name if event.actor else "Someone"
    text = _MESSAGES.get(event.action, event.action).format(actor=actor)
    return f"{text}: {event.note}" if event.note else text
