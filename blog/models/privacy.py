"""Personal data requests (export, erase), as WordPress's privacy tools
have them, and the audit log of what was done with each."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.extensions import Model
from blog.models.base import UTCDateTime, utcnow, value_enum
from blog.models.user import User


class PrivacyRequestKind(enum.StrEnum):
    EXPORT = "export"
    ERASE = "erase"


class PrivacyRequestStatus(enum.StrEnum):
    PENDING = "pending"  # the person has not confirmed yet
    CONFIRMED = "confirmed"  # confirmed by the emailed link; ready to run
    COMPLETED = "completed"
    EXPIRED = "expired"  # not confirmed in time


class PrivacyRequest(Model):
    __tablename__ = "privacy_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    kind: Mapped[PrivacyRequestKind] = mapped_column(value_enum(PrivacyRequestKind))
    status: Mapped[PrivacyRequestStatus] = mapped_column(
        value_enum(PrivacyRequestStatus), default=PrivacyRequestStatus.PENDING
    )
    #: sha256 of the secret in the confirmation link (the link itself is
    #: only in the email).
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: An export's zip file, under the instance folder ("" until made).
    export_file: Mapped[str] = mapped_column(String(300), default="")
    #: What was done, in a line ("12 comments anonymized").
    result: Mapped[str] = mapped_column(String(500), default="")

    requested_by: Mapped[User | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<PrivacyRequest {self.id} {self.kind} {self.status}>"


class PrivacyLogEntry(Model):
    """One step of a personal data request: who, what, when. Kept when the
    request itself is deleted."""

    __tablename__ = "privacy_log_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("privacy_requests.id", ondelete="SET NULL"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    #: The actor's username then, or "the person" / "command line".
    actor_name: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<PrivacyLogEntry {self.request_id} {self.action}>"
