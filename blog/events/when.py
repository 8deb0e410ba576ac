"""When an event happens, in words, in its own zone with the zone named:
``Thursday, March 14, 2024, 4:00–5:30 p.m. EDT``.

Built from :mod:`blog.dates`, so events read like every other date on the site.
:func:`local_span` and :func:`last_day` are the one way to put an event on
its zone's clock: they hold for any stored date, where the model's
``astimezone`` would overflow near year 1 or 9999 (those events are shown
in UTC, with the zone named so).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

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

EN_DASH = "\u2013"


def local_span(event: Event) -> tuple[datetime, datetime]:
    """The start and (exclusive) end on the event's own clock (UTC's where
    that clock cannot show them, or for a zone this system does not know)."""
    return span_in_zone(event.starts_at, event.ends_at, zone_named(event.timezone))


def last_day(event: Event) -> date:
    """The last local day the event runs on (the end is exclusive)."""
    start, end = local_span(event)
    if end <= start:  # only a row written around the editor's checks
        return start.date()
    return (end - timedelta(microseconds=1)).date()


def local_days(event: Event) -> tuple[date, date]:
    """The first and last local days the event runs on (for all-day events)."""
    return local_span(event)[0].date(), last_day(event)


def when(event: Event) -> str:
    """The event page's "When"; an all-day or multi-day event says so."""
    start, end = local_span(event)
    if event.all_day:
        last = last_day(event)
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
    start, _ = local_span(event)
    if event.all_day:
        return f"{short_day(start)}, all day"
    return f"{short_day(start)}, {clock(start)} {zone_name(start)}"
