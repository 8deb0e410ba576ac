"""Server-side sessions: one ``user_sessions`` row per signed-in device.

Flask-Login keeps a random key in the (signed) session cookie and in the
remember-me cookie; the database keeps only the key's hash. A request is
signed in while the row exists, has not expired and its user is active, so
ending a session (one device, every other device, or all of them) takes
effect at once on every server, and sessions survive a restart.

``last_seen_at`` is written at most every :data:`TOUCH_EVERY` and only from
the dashboard, so public pages never write to the database.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import OperationalError

from blog.database import rowcount, write_intent
from blog.extensions import db
from blog.models import User, UserSession, utcnow
from blog.validation import clean_text

log = logging.getLogger(__name__)

#: How often a session's "last seen" is brought up to date at most.
TOUCH_EVERY = timedelta(minutes=5)
USER_AGENT_MAX = 500


@dataclass(frozen=True)
class SessionLifetimes:
    """How long a session lasts from its login, by whether it is remembered."""

    plain: timedelta = timedelta(hours=48)
    remembered: timedelta = timedelta(days=30)

    @classmethod
    def from_config(cls, config: dict[str, object]) -> SessionLifetimes:
        """From ``SESSION_HOURS`` and ``REMEMBER_COOKIE_DURATION`` (seconds
        or a ``timedelta``)."""
        remembered = config.get("REMEMBER_COOKIE_DURATION", cls.remembered)
        if not isinstance(remembered, timedelta):
            remembered = timedelta(seconds=float(str(remembered)))
        return cls(
            plain=timedelta(hours=float(str(config.get("SESSION_HOURS", 48)))),
            remembered=remembered,
        )


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(
    user: User,
    *,
    ip: str,
    user_agent: str,
    remember: bool = False,
    lifetimes: SessionLifetimes | None = None,
    now: datetime | None = None,
) -> str:
    """A new session for ``user`` (commits); its key, also set as
    ``user.session_key`` for Flask-Login. Forgets the user's expired ones
    and records the login time."""
    lifetimes = lifetimes or SessionLifetimes()
    now = now or utcnow()
    key = secrets.token_urlsafe(32)
    lifetime = lifetimes.remembered if remember else lifetimes.plain
    db.session.execute(
        delete(UserSession)
        .where(UserSession.user_id == user.id, UserSession.expires_at <= now)
        .execution_options(synchronize_session=False)
    )
    db.session.add(
        UserSession(
            user_id=user.id,
            key_hash=key_hash(key),
            created_at=now,
            last_seen_at=now,
            expires_at=now + lifetime,
            ip=clean_text(ip)[:45],
            # Browsers send what they like (PostgreSQL refuses NUL in text).
            user_agent=clean_text(user_agent)[:USER_AGENT_MAX],
            remember=remember,
        )
    )
    user.last_login_at = now
    db.session.commit()
    user.session_key = key
    user.session_seen_at = now
    return key


def load_session_user(key: str, now: datetime | None = None) -> User | None:
    """The active user whose unexpired session has this key, or ``None``."""
    now = now or utcnow()
    if not key or len(key) > 100:
        return None
    row = db.session.execute(
        select(User, UserSession.last_seen_at)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.key_hash == key_hash(key),
            UserSession.expires_at > now,
            User.deactivated_at.is_(None),
        )
    ).first()
    if row is None:
        return None
    user, seen = row
    user.session_key = key
    user.session_seen_at = seen
    return user


def touch(user: User, ip: str, now: datetime | None = None) -> None:
    """Bring the current session's "last seen" (and address) up to date, at
    most every :data:`TOUCH_EVERY` (so most requests write nothing).

    Best effort: a busy database skips it rather than failing the page.
    Commits the request's transaction first (call it before any change).
    """
    now = now or utcnow()
    seen = user.session_seen_at
    if not user.session_key or (seen is not None and seen >= now - TOUCH_EVERY):
        return
    db.session.commit()  # end the reading transaction: the write has its own
    try:
        with write_intent():
            result = db.session.execute(
                update(UserSession)
                .where(
                    UserSession.key_hash == key_hash(user.session_key),
                    UserSession.last_seen_at < now - TOUCH_EVERY,
                )
                .values(last_seen_at=now, ip=clean_text(ip)[:45])
                .execution_options(synchronize_session=False)
            )
            db.session.commit()
    except OperationalError:
        db.session.rollback()
        log.warning("Skipped recording a session's last activity: database busy")
        return
    if rowcount(result):
        user.session_seen_at = now


def list_sessions(user: User, now: datetime | None = None) -> list[UserSession]:
    """The user's unexpired sessions, most recently seen first."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user.id, UserSession.expires_at > now)
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )


def is_current(user: User, session: UserSession) -> bool:
    """Whether ``session`` is the one ``user`` was loaded for."""
    return bool(user.session_key) and session.key_hash == key_hash(
        user.session_key or ""
    )


def end_session(user: User, session_id: int) -> bool:
    """End one of the user's sessions (commits); whether there was one."""
    result = db.session.execute(
        delete(UserSession)
        .where(UserSession.id == session_id, UserSession.user_id == user.id)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return rowcount(result) > 0


def end_sessions(user: User, *, keep_current: bool = False, commit: bool = True) -> int:
    """End the user's sessions: every one, or every one but the session
    ``user`` was loaded for (``keep_current``); how many ended."""
    statement = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_current and user.session_key:
        statement = statement.where(UserSession.key_hash != key_hash(user.session_key))
    result = db.session.execute(statement.execution_options(synchronize_session=False))
    if commit:
        db.session.commit()
    return rowcount(result)


def end_other_sessions(user: User) -> int:
    """ "Log out everywhere else" (commits); how many sessions ended."""
    return end_sessions(user, keep_current=True)


def end_all_sessions(user: User) -> None:
    """Log the user out everywhere (commits)."""
    end_sessions(user)
