"""Uploaded images, stored under server-chosen names in the instance folder."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from blog.extensions import Model
from blog.models.base import UTCDateTime, utcnow


class Media(Model):
    __tablename__ = "media"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(100), unique=True)
    mimetype: Mapped[str] = mapped_column(String(50))
    width: Mapped[int]
    height: Mapped[int]
    original_name: Mapped[str] = mapped_column(String(255), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The file holds pixels only (stored by today's rules, or cleaned by
    #: ``flask media clean``); until then it may change, so no cache keeps it.
    pixels_only: Mapped[bool] = mapped_column(default=True, server_default=false())
