"""Changing one's own email address, confirmed from the new address.

A change asked for on the profile is not applied at once: a one-use link
(an ``EMAIL`` token, valid ``EMAIL_CHANGE_HOURS``) goes to the new address,
and only following it, signed in as the same user, applies the change, if
the address is still free. The old address is then told. Without mail the
change is refused (an administrator can change the address instead).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from blog.accounts import audit, tokens
from blog.accounts.authentication import ONE_AN_HOUR, LoginThrottled, claim_try
from blog.accounts.mailing import absolute_url, mail_enabled, queue_account_mail
from blog.accounts.users import email_taken
from blog.dates import wait_text
from blog.errors import FieldError
from blog.extensions import db
from blog.models import AccountToken, TokenPurpose, User, utcnow
from blog.validation import email_address

NO_MAIL = (
    "This site cannot send email, so a new address cannot be confirmed. "
    "Ask an administrator to change it for you."
)
TAKEN = "That address belongs to another account."
LINK_FAILED = (
    "This link has expired or was already used. Ask for the change again "
    "from your profile."
)
OTHER_ACCOUNT = (
    "This link confirms an address for another account. Log in as that "
    "account to confirm it."
)

EMAIL_PURPOSES = (TokenPurpose.EMAIL,)

#: Confirmation mails one user may have sent in an hour (then one an hour):
#: the profile must not become a way to mail strangers in the site's name.
PER_HOUR = 3
TOO_MANY = (
    "You asked to change your address several times lately. Wait {wait} and try again."
)


class EmailChangeFailed(Exception):
    """The confirmation link cannot be used; the message says why."""


def checked_new_email(user: User, email: str) -> str | None:
    """The new address ``email`` asks for, normalized; ``None`` when it is
    the user's address already. Counts the request against the user's
    hourly allowance (commits that count, before any change is made).

    :raises FieldError: on ``email``: malformed, taken, no mail, or too
        many requests lately.
    """
    email = email_address(email, "email")
    if email == user.email:
        return None
    if not mail_enabled():
        raise FieldError(NO_MAIL, "email")
    if email_taken(email, user):
        raise FieldError(TAKEN, "email")
    try:
        claim_try({f"email-change:user:{user.id}": PER_HOUR}, ONE_AN_HOUR)
    except LoginThrottled as throttled:
        wait = wait_text(throttled.seconds)
        raise FieldError(TOO_MANY.format(wait=wait), "email") from None
    return email


def request_email_change(
    user: User, new_email: str, lifetime: timedelta, now: datetime | None = None
) -> None:
    """Mail a confirmation link to ``new_email`` (from
    :func:`checked_new_email`), voiding earlier ones (the caller commits)."""
    token = tokens.issue_token(
        user, TokenPurpose.EMAIL, lifetime, new_email=new_email, now=now
    )
    queue_account_mail(
        new_email,
        "Confirm your new email address",
        "email_change.txt",
        user=user,
        new_email=new_email,
        confirm_url=absolute_url("dashboard.profile.confirm_email", token=token),
        hours=max(1, round(lifetime.total_seconds() / 3600)),
    )
    audit.record(user, "email_change_requested", f"to {new_email}", actor=user)


def pending_email(user: User, now: datetime | None = None) -> str | None:
    """The address waiting for confirmation, if a link is still valid."""
    now = now or utcnow()
    return db.session.scalar(
        select(AccountToken.new_email)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == TokenPurpose.EMAIL,
            AccountToken.used_at.is_(None),
            AccountToken.expires_at > now,
        )
        .order_by(AccountToken.created_at.desc(), AccountToken.id.desc())
        .limit(1)
    )


def cancel_email_change(user: User) -> None:
    """Void the pending confirmation links (commits)."""
    tokens.void_tokens(user, EMAIL_PURPOSES)
    db.session.commit()


def email_change_link(user: User, token: str) -> str:
    """The address a link (still usable) would confirm for ``user``.

    Reads without using the link (mail scanners open links).

    :raises EmailChangeFailed: unknown, used, expired, or another user's.
    """
    found = tokens.find_token(token, EMAIL_PURPOSES)
    if found is None or not found.new_email:
        raise EmailChangeFailed(LINK_FAILED)
    if found.user_id != user.id:
        raise EmailChangeFailed(OTHER_ACCOUNT)
    return found.new_email


def confirm_email_change(user: User, token: str, now: datetime | None = None) -> str:
    """Use the link: the user's email becomes the address it confirms, the
    old address is told, reset links sent to it are voided (commits); the
    new address.

    :raises EmailChangeFailed: unknown, used, expired or another user's
        link, or the address was taken meanwhile (then the link is used up).
    """
    email_change_link(user, token)  # another user's link stays unused
    used = tokens.use_token(token, EMAIL_PURPOSES, now)
    if used is None or used.new_email is None:
        db.session.rollback()
        raise EmailChangeFailed(LINK_FAILED)
    new_email = used.new_email
    if email_taken(new_email, user):
        db.session.commit()  # the link is used up either way
        raise EmailChangeFailed(TAKEN)
    old_email = user.email
    user.email = new_email
    tokens.void_tokens(user, {TokenPurpose.RESET, TokenPurpose.EMAIL})
    audit.record(user, "email_changed", f"from {old_email} to {new_email}", actor=user)
    queue_account_mail(
        old_email,
        "Your email address was changed",
        "email_changed.txt",
        user=user,
        new_email=new_email,
    )
    try:
        db.session.commit()
    except IntegrityError:  # taken by a racing change
        db.session.rollback()
        raise EmailChangeFailed(TAKEN) from None
    return new_email
