"""The content version of the public pages, shared by every worker and server."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from blog.extensions import Model
from blog.models.base import UTCDateTime, utcnow


class CacheState(Model):
    """One row (``id`` 1): ``version`` goes up in the same transaction as any
    change a public page can show (:mod:`blog.site.cache_version`), so a page
    cached under an older version is never served again. ``next_due`` is the
    next time a page changes by the clock alone (a scheduled post comes due,
    an event ends); the first read past it bumps the version."""

    __tablename__ = "cache_state"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(default=1)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_due: Mapped[datetime | None] = mapped_column(UTCDateTime)
