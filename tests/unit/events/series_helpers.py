"""A repeating event built in memory, shared by the calendar and JSON-LD tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from blog.models import EventOccurrenceChange, Post
from tests.unit.events.helpers import make

NEW_YORK = ZoneInfo("America/New_York")


def local(*args: int, zone: ZoneInfo = NEW_YORK) -> datetime:
    """A wall time in ``zone``, in UTC (as events store it)."""
    return datetime(*args, tzinfo=zone).astimezone(UTC)


def change(
    day: date, kind: str, start: datetime | None = None, hours: int = 1
) -> EventOccurrenceChange:
    end = start + timedelta(hours=hours) if start else None
    return EventOccurrenceChange(
        occurrence_date=day, change=kind, starts_at=start, ends_at=end
    )


def seminar(**fields: Any) -> Post:
    """4 p.m. New York, Thursdays from September 5 to December 19, 2024 (the
    clocks go back on November 3): October 3 skipped, October 10 moved to
    Friday the 11th, Thanksgiving cancelled."""
    fields.setdefault(
        "changes",
        [
            change(date(2024, 10, 3), "skipped"),
            change(date(2024, 10, 10), "moved", local(2024, 10, 11, 16)),
            change(date(2024, 11, 28), "cancelled"),
        ],
    )
    fields.setdefault("repeat_until", date(2024, 12, 19))
    return make(
        local(2024, 9, 5, 16),
        local(2024, 9, 5, 17),
        repeat="weekly",
        repeat_interval=1,
        repeat_weekdays="TH",
        sequence=3,
        **fields,
    )
