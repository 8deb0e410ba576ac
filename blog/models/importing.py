"""What imports brought in: each WordPress item's local counterpart (so
that running an import again creates nothing new), and the imports started
from the dashboard, with their progress and summary."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from blog.extensions import Model
from blog.models.base import UTCDateTime, utcnow, value_enum


class ImportLink(Model):
    """One imported item: WordPress's id (and GUID) and the row it became."""

    __tablename__ = "import_links"
    __table_args__ = (
        UniqueConstraint(
            "source_site", "kind", "source_id", name="uq_import_links_source"
        ),
        Index("ix_import_links_source_site_guid", "source_site", "guid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The exported site's address (``wp:base_blog_url``).
    source_site: Mapped[str] = mapped_column(String(200))
    #: ``author``, ``category``, ``tag``, ``post`` (pages, attachments and
    #: posts share WordPress's ids), ``comment``.
    kind: Mapped[str] = mapped_column(String(20))
    #: WordPress's id (a login for authors).
    source_id: Mapped[str] = mapped_column(String(100))
    guid: Mapped[str] = mapped_column(String(500), default="")
    #: The id of the row it became (users, terms, posts, media or comments).
    local_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ImportState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ImportRun(Model):
    """An import started from Tools → Import: the uploaded file, how far it
    got (bytes read) and, once done, its summary."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    #: Where the upload waits, under the instance folder.
    stored_path: Mapped[str] = mapped_column(String(500))
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[ImportState] = mapped_column(
        value_enum(ImportState), default=ImportState.QUEUED
    )
    started_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Moves while the import runs: a run whose heartbeat stopped died.
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )
    bytes_total: Mapped[int] = mapped_column(BigInteger, default=0)
    bytes_done: Mapped[int] = mapped_column(BigInteger, default=0)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str] = mapped_column(Text, default="")
