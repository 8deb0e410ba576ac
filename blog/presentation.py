"""Formatting for templates: dates in the site's time zone, page links."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import g, request, url_for


def zone_of(settings: dict[str, Any]) -> ZoneInfo:
    return ZoneInfo(settings.get("timezone") or "UTC")


def _site_zone() -> ZoneInfo:
    settings = g.get("site_settings") or {}
    return zone_of(settings)


def local_date(value: datetime | None) -> str:
    """``November 22, 2026`` in the site's time zone."""
    if value is None:
        return ""
    local = value.astimezone(_site_zone())
    return f"{local:%B} {local.day}, {local.year}"


def local_datetime(value: datetime | None) -> str:
    """``November 22, 2026 at 3:05 pm`` in the site's time zone."""
    if value is None:
        return ""
    local = value.astimezone(_site_zone())
    hour = local.hour % 12 or 12
    return (
        f"{local_date(value)} at {hour}:{local:%M} {'am' if local.hour < 12 else 'pm'}"
    )


def iso_datetime(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def page_url(page: int) -> str:
    """This page's address at another page number, keeping its filters."""
    args = {**request.args.to_dict(), **(request.view_args or {}), "page": page}
    return url_for(request.endpoint or "public.home", **args)
