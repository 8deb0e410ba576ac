"""The record of changes to accounts: who did what to whom, and when.

Every service that changes an account calls :func:`record` in its own
transaction, so a change and its record are committed together. Details
never hold a password, token or code.
"""

from __future__ import annotations

from sqlalchemy import select

from blog.extensions import db
from blog.models import AccountEvent, User, utcnow

#: The actor's name when a command (or the site itself) made the change.
COMMAND_LINE = "command line"
#: The actor's name for a request anyone could have made (the reset form).
SOMEONE = "someone"
DETAIL_MAX = 500

#: What each action reads as on the user's page.
ACTION_LABELS = {
    "created": "Account created",
    "invited": "Invitation sent",
    "invitation_resent": "Invitation sent again",
    "password_set": "Password chosen from the invitation",
    "password_reset_requested": "Password reset requested",
    "password_reset": "Password reset from the emailed link",
    "password_changed": "Password changed",
    "password_set_by_admin": "Password set by an administrator",
    "profile_updated": "Profile updated",
    "email_change_requested": "Email change requested",
    "email_changed": "Email changed",
    "role_changed": "Role changed",
    "deactivated": "Deactivated",
    "reactivated": "Reactivated",
    "deleted": "Deleted",
    "sessions_ended": "Signed out of other sessions",
    "two_factor_enabled": "Two-factor login turned on",
    "two_factor_disabled": "Two-factor login turned off",
    "two_factor_reset": "Two-factor login reset by an administrator",
    "recovery_code_used": "Logged in with a recovery code",
    "recovery_codes_renewed": "New recovery codes made",
}


def record(
    user: User,
    action: str,
    detail: str = "",
    *,
    actor: User | None = None,
    by: str = COMMAND_LINE,
) -> AccountEvent:
    """Add one entry (the caller commits). ``actor`` is ``None`` for the
    command line, or for someone unknown described by ``by`` (a request
    from the reset form); pass ``actor=user`` when people change their own
    account."""
    if action not in ACTION_LABELS:
        raise ValueError(f"unknown account action {action!r}")
    event = AccountEvent(
        user_id=user.id,
        username=user.username,
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.username if actor is not None else by[:60],
        action=action,
        detail=" ".join(detail.split())[:DETAIL_MAX],
        created_at=utcnow(),
    )
    db.session.add(event)
    return event


def history(user: User, limit: int = 100) -> list[AccountEvent]:
    """The user's most recent entries, newest first."""
    return list(
        db.session.scalars(
            select(AccountEvent)
            .where(AccountEvent.user_id == user.id)
            .order_by(AccountEvent.created_at.desc(), AccountEvent.id.desc())
            .limit(limit)
        )
    )


def label(action: str) -> str:
    return ACTION_LABELS.get(action, action.replace("_", " ").capitalize())
