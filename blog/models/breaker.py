"""The shared state of circuit breakers around slow outside services."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from blog.extensions import Model
from blog.models.base import UTCDateTime


class CircuitBreaker(Model):
    """Consecutive failures of an outside service (Akismet), shared by every
    worker (:mod:`blog.comments.breaker`); open while ``open_until`` is ahead."""

    __tablename__ = "circuit_breakers"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    open_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
