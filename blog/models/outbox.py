"""Mail waiting to be sent: the outbox."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from blog.extensions import Model
from blog.models.base import UTCDateTime, utcnow, value_enum


class OutboxStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for its first try, or for a retry
    SENT = "sent"
    FAILED = "failed"  # gave up after too many attempts or days


class OutboxMessage(Model):
    """One plain-text message, queued in the transaction that decided to send
    it and delivered outside any request (:mod:`blog.mail.outbox`)."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipients: Mapped[list[str]] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    #: Extra headers (``List-Unsubscribe``, ``List-Unsubscribe-Post``).
    headers: Mapped[dict[str, str]] = mapped_column(
        JSON, default=dict, server_default=text("'{}'")
    )
    status: Mapped[OutboxStatus] = mapped_column(
        value_enum(OutboxStatus), default=OutboxStatus.QUEUED
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Tries so far, counted when a sender claims the message.
    attempts: Mapped[int] = mapped_column(default=0)
    #: Due from then on; a sender that claims it moves it a lease ahead.
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The last failure's kind and SMTP code (never the server's text).
    last_error: Mapped[str] = mapped_column(String(200), default="")

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.status}>"
