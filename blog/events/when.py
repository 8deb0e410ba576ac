"""When an event happens, in words, in its own zone with the zone named:
``Thursday, March 14, 2024, 4:00–5:30 p.m. EDT``.

Built from :mod:`blog.dates`, so events read like every other date on the site.
"""

from __future__ import annotations

from blog.dates import clock, long_day, meridiem, short_day, zone_name
from blog.models import Event

EN_DASH = "\u2013"


def when(event: Event) -> str:
    """The event page's "When"; an all-day or multi-day event says so."""
    start, end = event.local_start, event.local_end
    if event.all_day:
        last = event.last_day
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
    start = event.local_start
    if event.all_day:
        return f"{short_day(start)}, all day"
    return f"{short_day(start)}, {clock(start)} {zone_name(start)}"
