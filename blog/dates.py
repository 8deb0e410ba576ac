"""Dates and times in the house style, for pages, feeds and calendars.

The style follows the seed pages and AP usage: ``November 22, 2026``,
``Thursday, March 14, 2024``, ``4:00 p.m.``, ``EDT``. Callers pass the zone
to show a time in (the site's, or an event's own); nothing here reads the
request or the settings.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo


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
    return day(value.astimezone(zone)) if value is not None else ""


def local_datetime(value: datetime | None, zone: tzinfo) -> str:
    """``November 22, 2026 at 3:05 p.m.`` in ``zone``; ``""`` for no date."""
    if value is None:
        return ""
    seen = value.astimezone(zone)
    return f"{day(seen)} at {clock(seen)}"


def iso(value: datetime | date | None) -> str:
    """ISO 8601, for ``<time datetime>`` and machine-readable data."""
    return value.isoformat() if value is not None else ""
