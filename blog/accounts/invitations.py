"""Inviting people: an administrator adds a user without a password, and
the invitation's one-use link (valid ``INVITATION_DAYS``) lets them choose
one on the password page (``/password/reset/<token>``).

The link is mailed. A site that cannot send mail (a laptop install) hands
it back instead, for the administrator to pass on privately: it is shown
once and never logged or stored (only its hash is).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError

from blog.accounts import audit, tokens
from blog.accounts.lifecycle import require_manager
from blog.accounts.mailing import absolute_url, queue_account_mail
from blog.accounts.users import AccountError, create_user
from blog.extensions import db
from blog.models import Role, TokenPurpose, User


@dataclass(frozen=True)
class Invitation:
    """An invitation just issued: its link, and whether it was mailed."""

    user: User
    link: str
    mailed: bool
    days: int


def invitation_days() -> int:
    return int(current_app.config.get("INVITATION_DAYS", 7))


def invite_user(
    *,
    actor: User | None,
    username: str,
    email: str,
    display_name: str,
    role: Role | str,
) -> Invitation:
    """Add a user who has no password yet and send them an invitation
    (commits; recorded as "created" and "invited").

    :raises AccountError: bad or taken username or email, unknown role, bad
        display name; nothing is saved.
    :raises PermissionDenied: the actor may not manage users.
    """
    require_manager(actor)
    try:
        user = create_user(username, email, None, role, display_name or None)
    except IntegrityError:  # a racing request took the name meanwhile
        db.session.rollback()
        raise AccountError(
            "That username or email is already taken.", "username"
        ) from None
    except AccountError:
        db.session.rollback()
        raise
    audit.record(user, "created", f"as {user.role.value}", actor=actor)
    return _send(user, actor, "invited")


def resend_invitation(user: User, *, actor: User | None) -> Invitation:
    """A new invitation for someone who has not accepted theirs yet; the old
    link stops working (commits; recorded).

    :raises AccountError: the user has a password already, or is deactivated.
    :raises PermissionDenied: the actor may not manage users.
    """
    require_manager(actor)
    if not user.is_invited:
        raise AccountError(f"{user.username} has already chosen a password.", "")
    if not user.is_active:
        raise AccountError(f"Reactivate {user.username} before inviting them.", "")
    return _send(user, actor, "invitation_resent")


def _send(user: User, actor: User | None, action: str) -> Invitation:
    days = invitation_days()
    token = tokens.issue_token(user, TokenPurpose.INVITATION, timedelta(days=days))
    link = absolute_url("password.reset", token=token)
    inviter = actor.display_name if actor is not None else ""
    mailed = queue_account_mail(
        user.email,
        "Your invitation: choose a password",
        "invitation.txt",
        user=user,
        inviter=inviter,
        link=link,
        days=days,
    )
    where = "mailed" if mailed else "link shown to the administrator"
    audit.record(user, action, f"valid {days} days, {where}", actor=actor)
    db.session.commit()
    return Invitation(user=user, link=link, mailed=mailed, days=days)
