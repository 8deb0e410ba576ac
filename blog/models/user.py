"""Accounts: users and their roles; their server-side sessions, one-use
tokens (password reset, invitation, email change), two-factor recovery
codes and the record of changes to them; failed-login counters."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from blog.extensions import Model
from blog.models.base import UTCDateTime, utcnow, value_enum


class Role(enum.StrEnum):
    """WordPress's roles, most powerful first."""

    ADMIN = "admin"
    EDITOR = "editor"
    AUTHOR = "author"
    CONTRIBUTOR = "contributor"


#: Roles that edit every post and moderate every comment (WordPress's
#: ``edit_others_posts`` and ``moderate_comments``).
EDITOR_ROLES: frozenset[Role] = frozenset({Role.ADMIN, Role.EDITOR})


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    bio: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[Role] = mapped_column(value_enum(Role))
    #: ``None`` until an invited user chooses a password.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    website: Mapped[str] = mapped_column(String(200), default="")
    #: ``bio`` rendered and sanitized when saved (shown on the author page).
    bio_html: Mapped[str] = mapped_column(Text, default="")
    #: Set while the account is deactivated: no login, no session.
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The TOTP secret (base32) once two-factor login is confirmed.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    #: The last TOTP time step accepted, so that one code works once.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    #: The comments screen's keyboard shortcuts (j, k, a, s, ...) are on.
    keyboard_shortcuts: Mapped[bool] = mapped_column(
        default=True, server_default=true()
    )
    #: The profile picture (a file under the uploads' ``avatars/`` folder),
    #: shown instead of the generated avatar; "" for none.
    avatar_file: Mapped[str] = mapped_column(String(200), default="", server_default="")

    @property
    def session_key(self) -> str | None:
        """The key of the session this object was loaded for or logged in
        with (not stored: Flask-Login keeps it in the session cookie)."""
        key: str | None = self.__dict__.get("_session_key")
        return key

    @session_key.setter
    def session_key(self, key: str | None) -> None:
        self.__dict__["_session_key"] = key

    @property
    def session_seen_at(self) -> datetime | None:
        """When the session this object was loaded for was last seen."""
        seen: datetime | None = self.__dict__.get("_session_seen_at")
        return seen

    @session_seen_at.setter
    def session_seen_at(self, seen: datetime | None) -> None:
        self.__dict__["_session_seen_at"] = seen

    def get_id(self) -> str:
        """Flask-Login's id is the key of a row in ``user_sessions``, so that
        each signed-in device can be listed and ended on its own.

        :raises RuntimeError: no session was started for this object
            (:func:`blog.accounts.sessions.start_session`).
        """
        if not self.session_key:
            raise RuntimeError("start a session (accounts.sessions) before login_user")
        return self.session_key

    # UserMixin compares get_id(), which is now per session: compare accounts.
    __hash__ = object.__hash__

    def __eq__(self, other: object) -> bool:
        if isinstance(other, User):
            # Unsaved users (id None) equal only themselves.
            return self is other or (self.id == other.id and other.id is not None)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    @property
    def is_active(self) -> bool:
        """Flask-Login refuses to log in a deactivated user."""
        return self.deactivated_at is None

    @property
    def is_invited(self) -> bool:
        """Invited, and no password chosen yet."""
        return self.password_hash is None

    @property
    def status(self) -> str:
        """``"deactivated"``, ``"invited"`` or ``"active"``."""
        if self.deactivated_at is not None:
            return "deactivated"
        return "invited" if self.is_invited else "active"

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_secret is not None

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"


class LoginThrottle(Model):
    """Failed logins counted for one scope (an account tried from one
    address, or one address), shared by every worker.

    Tries before ``blocked_until`` are refused unchecked; the row is
    forgotten at ``expires_at``. Changed only by the single atomic
    statements of :mod:`blog.accounts.authentication`.
    """

    __tablename__ = "login_throttles"
    __table_args__ = (Index("ix_login_throttles_expires_at", "expires_at"),)

    #: ``ip:<address>``, ``pair:<hash of account and address>``,
    #: ``account:<hash of account>``, or ``known:<hash of account and
    #: address>`` (an address the account logged in from, until
    #: ``expires_at``). Hashes, so that a password typed into the login field
    #: is never stored.
    scope: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    blocked_until: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class UserSession(Model):
    """One signed-in device. The cookie holds a random key; only its hash is
    stored, so a copy of the database does not sign anyone in. Deleting the
    row ends the session, on every server at once."""

    __tablename__ = "user_sessions"
    __table_args__ = (
        Index("ix_user_sessions_user_id_last_seen_at", "user_id", "last_seen_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ip: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(500), default="")
    remember: Mapped[bool] = mapped_column(default=False)


class TokenPurpose(enum.StrEnum):
    RESET = "reset"
    INVITATION = "invitation"
    EMAIL = "email"


class AccountToken(Model):
    """A one-use link sent by mail: password reset, invitation (sets the
    first password) or email change. Only the token's hash is stored."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[TokenPurpose] = mapped_column(value_enum(TokenPurpose))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The address an email-change token confirms.
    new_email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RecoveryCode(Model):
    """A single-use two-factor recovery code (stored as a hash)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AccountEvent(Model):
    """Who changed what on an account, and when (shown on the user's page).

    Names are copied, so the record outlives deleted users; ``actor_id`` is
    ``None`` for the command line and for the system itself.
    """

    __tablename__ = "account_events"
    __table_args__ = (
        Index("ix_account_events_user_id_created_at", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    username: Mapped[str] = mapped_column(String(60))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: The actor's username, or "command line".
    actor_name: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
