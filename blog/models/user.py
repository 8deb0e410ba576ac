"""Accounts: users, their roles, and failed-login counters for throttling."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Index, String, Text
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
    password_hash: Mapped[str] = mapped_column(String(255))
    #: Bumped by logout and password change; sessions carrying an older value end.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def get_id(self) -> str:
        """Flask-Login's session id carries the session version."""
        return f"{self.id}:{self.session_version}"

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
