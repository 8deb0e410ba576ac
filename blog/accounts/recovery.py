"""Forgotten passwords: a one-use link by mail, then a new password.

Asking for a link (:func:`request_reset`) answers the same whether or not
the account exists, is deactivated, or was sent too many links already, and
does the same lookups and counter writes in every case; the mail is only
queued, sent after the response. Requests are counted per address and per
account in the ``login_throttles`` table under scopes of their own, never
the login's, so nothing done here can keep anyone from logging in:

- past ``PASSWORD_RESET_PER_IP`` requests from one address, its requests
  wait (:class:`~blog.accounts.authentication.LoginThrottled`, a 429);
- past ``PASSWORD_RESET_PER_ACCOUNT`` requests for one account, it gets no
  more mail but the same answer, so nobody can flood a mailbox and nobody
  learns whether the account exists.

Either counter allows its number of requests, then one an hour until an
hour passes without any (``claim_try``'s back-off, capped at an hour).

The link (:func:`find_link`, :func:`complete_reset`) also takes invitation
tokens, whose page asks for a first password. Opening it uses nothing (mail
scanners open links); saving a password claims the token and sets the
password in one transaction, which ends every session of the account.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from blog.accounts import audit, tokens
from blog.accounts.authentication import (
    ONE_AN_HOUR,
    LoginThrottled,
    claim_try,
    throttle_scopes,
)
from blog.accounts.credentials import prepare, set_password
from blog.accounts.mailing import absolute_url, queue_account_mail
from blog.accounts.users import login_matches
from blog.extensions import db
from blog.models import TokenPurpose, User, utcnow

#: The tokens the password page takes: a reset, or an invitation.
PASSWORD_PURPOSES = frozenset({TokenPurpose.RESET, TokenPurpose.INVITATION})
#: Prefix of this module's counters, apart from the login's.
SCOPE_PREFIX = "reset-"
LOGIN_MAX = 254


class LinkInvalid(Exception):
    """The link is unknown, used, expired or replaced, or its account is
    deactivated."""


@dataclass(frozen=True)
class ResetSettings:
    """How long a reset link lives, and how often one may be asked for."""

    lifetime: timedelta = timedelta(hours=1)
    #: Requests one address may make (then one an hour).
    per_ip: int = 10
    #: Mails one account may be sent (then one an hour).
    per_account: int = 3

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ResetSettings:
        """From ``PASSWORD_RESET_HOURS``, ``PASSWORD_RESET_PER_IP`` and
        ``PASSWORD_RESET_PER_ACCOUNT``."""
        return cls(
            lifetime=timedelta(hours=float(config["PASSWORD_RESET_HOURS"])),
            per_ip=max(1, int(config["PASSWORD_RESET_PER_IP"])),
            per_account=max(1, int(config["PASSWORD_RESET_PER_ACCOUNT"])),
        )


#: The back-off of both counters: none within the free requests, then an
#: hour, counted again from zero once an hour passes after the wait.
LIMITS = ONE_AN_HOUR


@dataclass(frozen=True)
class ResetLink:
    """A usable link: whose, and whether it is an invitation (the first
    password) rather than a reset."""

    user: User
    invitation: bool


def request_reset(
    login: str, ip: str, settings: ResetSettings, now: datetime | None = None
) -> bool:
    """Mail a reset link to the account ``login`` (a username or an email,
    in any case) names, if it exists, is active (or invited) and has not
    had too many; commits. Whether a mail was queued: tests may look, the
    page must not tell.

    :raises LoginThrottled: this address asked too often (nothing done).
    """
    now = now or utcnow()
    login = login.strip()[:LOGIN_MAX]
    ip_scope, _ = reset_scopes("", ip)
    claim_try({ip_scope: settings.per_ip}, LIMITS, now)
    user = find_account(login)
    account = f"user:{user.id}" if user is not None else f"login:{login.lower()}"
    _, account_scope = reset_scopes(account, ip)
    try:
        claim_try({account_scope: settings.per_account}, LIMITS, now)
    except LoginThrottled:
        return False  # enough mail for this account: the same answer
    if user is None or not user.is_active:
        db.session.rollback()
        return False
    token = tokens.issue_token(user, TokenPurpose.RESET, settings.lifetime, now=now)
    queued = queue_account_mail(
        user.email,
        "Reset your password",
        "password_reset.txt",
        user=user,
        reset_url=absolute_url("password.reset", token=token),
        valid_for=duration_text(settings.lifetime),
        ip=ip,
    )
    if not queued:  # mail is off: keep the links the user already has
        db.session.rollback()
        return False
    # Anyone may ask for a link for any account: not recorded as the user's.
    audit.record(user, "password_reset_requested", f"From {ip}", by=audit.SOMEONE)
    db.session.commit()
    return True


def reset_scopes(account: str, ip: str) -> tuple[str, str]:
    """The counters of a request: its address's and its account's."""
    scopes = throttle_scopes(account, ip)
    return SCOPE_PREFIX + scopes.address, SCOPE_PREFIX + scopes.account


def find_account(login: str) -> User | None:
    """The user ``login`` names: a username, or an email, in any case."""
    if not login:
        return None
    return db.session.scalar(select(User).where(login_matches(login)))


def find_link(token: str, now: datetime | None = None) -> ResetLink | None:
    """The account a password link is for, if it can still be used; reading
    it uses nothing."""
    found = tokens.find_token(token, PASSWORD_PURPOSES, now)
    if found is None:
        return None
    user = db.session.get(User, found.user_id)
    if user is None or not user.is_active:
        return None
    return ResetLink(user=user, invitation=found.purpose == TokenPurpose.INVITATION)


def complete_reset(token: str, password: str, now: datetime | None = None) -> User:
    """Use the link to give its account ``password`` (commits): the token
    is claimed in the transaction that sets the password, which ends every
    session of the account and mails the "password changed" notice. The
    user is not logged in: the login page (and its second factor) follows.

    :raises LinkInvalid: the link cannot be used (or a racing request just
        used it).
    :raises passwords.PasswordRejected: the password breaks the policy;
        the link stays usable.
    """
    if find_link(token, now) is None:
        raise LinkInvalid
    db.session.rollback()  # no transaction (nor write lock) while hashing
    # Before the claim: a refusal keeps the link, and no write lock is held
    # while hashing.
    hashed = prepare(password)
    claimed = tokens.use_token(token, PASSWORD_PURPOSES, now)
    user = db.session.get(User, claimed.user_id) if claimed is not None else None
    if claimed is None or user is None or not user.is_active:
        db.session.rollback()
        raise LinkInvalid
    invitation = claimed.purpose == TokenPurpose.INVITATION
    set_password(
        user,
        password,
        action="password_set" if invitation else "password_reset",
        actor=user,
        hashed=hashed,
    )
    return user


def duration_text(lifetime: timedelta) -> str:
    """``"1 hour"``, ``"3 hours"``, ``"30 minutes"``, ``"7 days"``."""
    minutes = max(1, round(lifetime.total_seconds() / 60))
    if minutes % (24 * 60) == 0 and minutes >= 2 * 24 * 60:
        count, unit = minutes // (24 * 60), "day"
    elif minutes % 60 == 0:
        count, unit = minutes // 60, "hour"
    else:
        count, unit = minutes, "minute"
    return f"{count} {unit}{'s' if count != 1 else ''}"
