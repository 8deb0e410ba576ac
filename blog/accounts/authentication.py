"""Logging in and out: throttled password checks, and ending sessions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select

from blog.accounts import passwords
from blog.extensions import db
from blog.models import LoginFailure, User, utcnow


class LoginThrottled(Exception):
    """Too many recent failures for this account or address."""


@dataclass(frozen=True)
class ThrottleLimits:
    """How many failures, within ``window``, stop further tries."""

    per_account: int = 5
    per_ip: int = 20
    window: timedelta = timedelta(minutes=15)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ThrottleLimits:
        """From ``LOGIN_MAX_FAILURES_PER_ACCOUNT``, ``..._PER_IP`` and
        ``LOGIN_FAILURE_WINDOW`` (seconds)."""
        return cls(
            per_account=int(config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]),
            per_ip=int(config["LOGIN_MAX_FAILURES_PER_IP"]),
            window=timedelta(seconds=int(config["LOGIN_FAILURE_WINDOW"])),
        )


def authenticate(
    login: str, password: str, ip: str, limits: ThrottleLimits | None = None
) -> User | None:
    """Check a login; record failures; commit.

    Unknown users and wrong passwords take the same time and give the same
    answer (``None``).

    :raises LoginThrottled: too many recent failures for the account or IP.
    """
    limits = limits or ThrottleLimits()
    login = login.strip()
    account_scope, ip_scope = f"account:{login.lower()}", f"ip:{ip}"
    since = utcnow() - limits.window
    if (
        _failures(account_scope, since) >= limits.per_account
        or _failures(ip_scope, since) >= limits.per_ip
    ):
        raise LoginThrottled
    # Usernames cannot contain "@" and emails are unique whatever their case,
    # so a login matches one account at most.
    column = func.lower(User.email) if "@" in login else func.lower(User.username)
    found = db.session.execute(
        select(User.id, User.password_hash).where(column == login.lower())
    ).first()
    # End the read before the slow hash check, so a login never holds
    # SQLite's write lock (taken by BEGIN IMMEDIATE on POST) while hashing.
    db.session.rollback()
    stored_hash = found.password_hash if found else None
    correct = passwords.verify_password(stored_hash, password)
    if found is None or not correct:
        db.session.add_all(
            [LoginFailure(scope=account_scope), LoginFailure(scope=ip_scope)]
        )
        db.session.commit()
        return None
    user = db.session.get(User, found.id)
    if user is None:  # deleted while the password was being checked
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    db.session.execute(delete(LoginFailure).where(LoginFailure.scope == account_scope))
    db.session.execute(delete(LoginFailure).where(LoginFailure.failed_at < since))
    db.session.commit()
    return user


def _failures(scope: str, since: datetime) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(LoginFailure)
            .where(LoginFailure.scope == scope, LoginFailure.failed_at >= since)
        )
        or 0
    )


def end_all_sessions(user: User) -> None:
    """Log the user out everywhere (commits): every session carries the
    user's session version, and a stale version ends the session."""
    user.session_version += 1
    db.session.commit()
