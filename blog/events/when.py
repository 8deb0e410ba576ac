"""When an event happens, in words, in its own zone with the zone named:
``Thursday, March 14, 2024, 4:00–5:30 p.m. EDT``.

Built from :mod:`blog.dates`, so events read like every other date on the site.
:func:`local_span` and :func:`last_day` are the one way to put an event on
its zone's clock: they hold for any stored date, where the model's
``astimezone`` would overflow near year 1 or 9999 (those events are shown
in UTC, with the zone named so).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from blog.dates import (
    clock,
    long_day,
    meridiem,
    short_day,
    span_in_zone,
    zone_name,
    zone_named,
)
from blog.models import Event

if TYPE_CHECKING:  # recurrence builds on this module
    from blog.events.recurrence import Occurrence

EN_DASH = "\u2013"


def local_span(event: Event) -> tuple[datetime, datetime]:
    """The start and (exclusive) end on the event's own clock (UTC's where
    that clock cannot show them, or for a zone this system does not know)."""
    return span_in_zone(event.starts_at, event.ends_at, zone_named(event.timezone))


def occurrence_span(occurrence: Occurrence) -> tuple[datetime, datetime]:
    """One occurrence's start and end on its event's clock (as :func:`local_span`)."""
    zone = zone_named(occurrence.event.timezone)
    return span_in_zone(occurrence.starts_at, occurrence.ends_at, zone)


def _last_of(start: datetime, end: datetime) -> date:
    if end <= start:  # only a row written around the editor's checks
        return start.date()
    return (end - timedelta(microseconds=1)).date()


def last_day(event: Event) -> date:
    """The last local day the event runs on (the end is exclusive)."""
    return _last_of(*local_span(event))


def occurrence_days(occurrence: Occurrence) -> tuple[date, date]:
    """The first and last local days one occurrence runs on, on its event's
    clock: the days a month calendar shows it on."""
    start, end = occurrence_span(occurrence)
    return start.date(), _last_of(start, end)


def local_days(event: Event) -> tuple[date, date]:
    """The first and last local days the event runs on (for all-day events)."""
    return local_span(event)[0].date(), last_day(event)


def when(event: Event) -> str:
    """The event page's "When"; an all-day or multi-day event says so."""
    return _spoken(*local_span(event), all_day=event.all_day)


def when_of(occurrence: Occurrence) -> str:
    """:func:`when` for one date of an event (a repeating one's, or a
    one-off event's only date)."""
    return _spoken(*occurrence_span(occurrence), all_day=occurrence.event.all_day)


def _spoken(start: datetime, end: datetime, *, all_day: bool) -> str:
    if all_day:
        last = _last_of(start, end)
        if last == start.date():
            return f"{long_day(start.date())}, all day"
        if last.year == start.year:
            first = long_day(start, with_year=False)
            return f"{first} {EN_DASH} {long_day(last)}, all day"
        return f"{long_day(start.date())} {EN_DASH} {long_day(last)}, all day"
    if start.date() == end.date():
        if zone_name(start) != zone_name(end):
            return (
                f"{long_day(start.date())}, {clock(start)} {zone_name(start)}"
                f"{EN_DASH}{clock(end)} {zone_name(end)}"
            )
        same_half = meridiem(start) == meridiem(end)
        return (
            f"{long_day(start.date())}, {clock(start, with_meridiem=not same_half)}"
            f"{EN_DASH}{clock(end)} {zone_name(end)}"
        )
    return (
        f"{long_day(start.date())}, {clock(start)} {zone_name(start)} {EN_DASH} "
        f"{long_day(end.date())}, {clock(end)} {zone_name(end)}"
    )


def short_when(event: Event) -> str:
    """``Thu, Mar 14, 4:00 p.m. EDT`` for listings."""
    return _short(local_span(event)[0], all_day=event.all_day)


def short_when_of(occurrence: Occurrence) -> str:
    """:func:`short_when` for one date of an event."""
    return _short(occurrence_span(occurrence)[0], all_day=occurrence.event.all_day)


def _short(start: datetime, *, all_day: bool) -> str:
    if all_day:
        return f"{short_day(start)}, all day"
    return f"{short_day(start)}, {clock(start)} {zone_name(start)}"


def original_when(occurrence: Occurrence) -> str:
    """Where the rule put a moved occurrence, in words ("Moved from ...").

    The rule keeps the first date's wall-clock start and length on the
    event's own clock (as :mod:`blog.events.recurrence` does), so the
    original slot is that start on the occurrence's own date (its name).
    """
    event = occurrence.event
    first, first_end = local_span(event)
    length = first_end.replace(tzinfo=None) - first.replace(tzinfo=None)
    zone = first.tzinfo or UTC
    wall = datetime.combine(occurrence.day, first.time().replace(tzinfo=None))
    start = wall.replace(tzinfo=zone)
    end = (wall + length).replace(tzinfo=zone)
    # Back through UTC, so that each end reads its own side of a clock change.
    start, end = span_in_zone(start.astimezone(UTC), end.astimezone(UTC), zone)
    return _spoken(start, end, all_day=event.all_day)


def clock_of(occurrence: Occurrence) -> str:
    """``4:00 p.m.``: when an occurrence starts on its event's clock, for a
    calendar's day (``""`` all day)."""
    if occurrence.event.all_day:
        return ""
    return clock(occurrence_span(occurrence)[0])
