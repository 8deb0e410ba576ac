"""Dates as the exports write them: ISO 8601 in UTC (JSON and post meta),
and WordPress's ``Y-m-d H:i:s`` on the site's clock or in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from email.utils import format_datetime

from blog import dates

#: WordPress's "no date" (a draft's ``post_date_gmt`` before it is scheduled).
ZERO_DATE = "0000-00-00 00:00:00"


def iso_utc(value: datetime | None) -> str | None:
    """``2030-03-14T20:00:00Z`` (microseconds kept when there are any), or
    ``None``."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def wp_local(value: datetime | None, zone: tzinfo) -> str:
    """``2030-03-14 16:00:00`` on ``zone``'s clock (WordPress's ``post_date``)."""
    if value is None:
        return ZERO_DATE
    return _wp_format(dates.to_zone(value, zone))


def wp_gmt(value: datetime | None) -> str:
    """``2030-03-14 20:00:00`` in UTC (WordPress's ``post_date_gmt``)."""
    if value is None:
        return ZERO_DATE
    return _wp_format(value.astimezone(UTC))


def _wp_format(value: datetime) -> str:
    # Not strftime: its %Y drops the leading zeros of years before 1000.
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    )


def rfc2822(value: datetime) -> str:
    """``Thu, 14 Mar 2030 20:00:00 +0000``: RSS's ``pubDate``, in UTC."""
    return format_datetime(value.astimezone(UTC))
