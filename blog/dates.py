"""Dates and times in the house style, for pages, feeds and calendars.

The style follows the seed pages and AP usage: ``November 22, 2026``,
``Thursday, March 14, 2024``, ``4:00 p.m.``, ``EDT``. Callers pass the zone
to show a time in (the site's, or an event's own); nothing here reads the
request or the settings.

Editors may only type dates from :data:`EARLIEST_YEAR` to
:data:`LATEST_YEAR` (:func:`in_range`), but rows written before that check,
or by an importer, may hold any date Python can: everything here accepts
them, from ``0001-01-01`` to ``9999-12-31``. Convert a stored time with
:func:`to_zone`, never with ``astimezone``: near those ends a zone's clock
would leave the years Python can hold.
"""

from __future__ import annotations

import functools
import zoneinfo
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: The years the editors accept (publish dates, event dates, deadlines).
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200
RANGE_MESSAGE = f"Choose a date between {EARLIEST_YEAR} and {LATEST_YEAR}."


def in_range(value: date) -> bool:
    """Whether an editor may give this date (or time): years 1900 to 2200."""
    return EARLIEST_YEAR <= value.year <= LATEST_YEAR


def zone_named(name: str | None) -> tzinfo:
    """The IANA zone ``name``; UTC for no name, or one this system does not know."""
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def to_zone(value: datetime, zone: tzinfo) -> datetime:
    """``value`` on ``zone``'s clock; on UTC's where that clock would pass
    year 1 or 9999 (stored times are UTC, so that always works)."""
    try:
        return value.astimezone(zone)
    except OverflowError:
        pass
    try:
        return value.astimezone(UTC)
    except OverflowError:
        return value


def span_in_zone(
    start: datetime, end: datetime, zone: tzinfo
) -> tuple[datetime, datetime]:
    """Both ends of a span on ``zone``'s clock, or both on UTC's where one
    cannot be (see :func:`to_zone`): never one of each."""
    local_start, local_end = to_zone(start, zone), to_zone(end, zone)
    if local_start.tzinfo is local_end.tzinfo:
        return local_start, local_end
    return to_zone(start, UTC), to_zone(end, UTC)


def day_after(value: date) -> date:
    """The next day; ``9999-12-31`` itself, the last day Python knows."""
    return value if value == date.max else value + timedelta(days=1)


def day(value: date) -> str:
    """``November 22, 2026``."""
    return f"{value:%B} {value.day}, {value.year}"


def long_day(value: date, *, with_year: bool = True) -> str:
    """``Thursday, March 14, 2024`` (or ``Thursday, March 14``)."""
    if not with_year:
        return f"{value:%A}, {value:%B} {value.day}"
    return f"{value:%A}, {day(value)}"


def short_day(value: date) -> str:
    """``Thu, Mar 14``, for listings."""
    return f"{value:%a}, {value:%b} {value.day}"


def month(value: date) -> str:
    """``March 2024``, for headings."""
    return f"{value:%B} {value.year}"


def meridiem(value: datetime) -> str:
    return "a.m." if value.hour < 12 else "p.m."


def clock(value: datetime, *, with_meridiem: bool = True) -> str:
    """``4:00 p.m.`` (or ``4:00`` when the a.m./p.m. is said once, later)."""
    text = f"{value.hour % 12 or 12}:{value:%M}"
    return f"{text} {meridiem(value)}" if with_meridiem else text


def zone_name(value: datetime) -> str:
    """The zone's abbreviation (``EDT``); ``UTC+05:30`` where it has none."""
    abbreviation = value.tzname() or ""
    if not abbreviation or abbreviation[0] in "+-":
        offset = value.strftime("%z")
        return f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    return abbreviation


def local_date(value: datetime | None, zone: tzinfo) -> str:
    """``November 22, 2026`` in ``zone``; ``""`` for no date."""
    return day(to_zone(value, zone)) if value is not None else ""


def local_datetime(
    value: datetime | None, zone: tzinfo, *, with_zone: bool = False
) -> str:
    """``November 22, 2026 at 3:05 p.m.`` in ``zone`` (``... p.m. EST`` with
    the zone named); ``""`` for no date."""
    if value is None:
        return ""
    seen = to_zone(value, zone)
    text = f"{day(seen)} at {clock(seen)}"
    return f"{text} {zone_name(seen)}" if with_zone else text


def iso(value: datetime | date | None) -> str:
    """ISO 8601 to the second, for ``<time datetime>`` and machine-readable
    data (HTML's valid date strings take no microseconds)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


#: Names in the time zone database that are not places: "localtime" is
#: whatever the server's clock says, "Factory" a placeholder.
NOT_ZONES = frozenset({"localtime", "Factory"})


@functools.cache
def place_zones() -> frozenset[str]:
    """The time zones an editor may choose: the database's, less
    :data:`NOT_ZONES`."""
    return frozenset(zoneinfo.available_timezones() - NOT_ZONES)


def wait_text(seconds: int) -> str:
    """``"1 second"``, ``"40 seconds"``, ``"2 minutes"`` (rounded up)."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
