"""Unsaved event posts for the calendar, "when" and JSON-LD tests, and the
.ics parser they share."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar

from blog.events import calendar
from blog.models import Event, Post

SITE = "https://blog.example.org"
NOW = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def make(
    start: datetime,
    end: datetime,
    *,
    zone: str = "America/New_York",
    all_day: bool = False,
    post_id: int = 7,
    **fields,
) -> Post:
    """An unsaved event post; times given in UTC."""
    post = Post(
        id=post_id,
        kind="event",
        title="Bridges & <Talks>",
        slug="bridges",
        body_html="<p>Two <em>voices</em>, one table.</p>",
        terms=[],
        updated_at=NOW,
    )
    post.event = Event(
        starts_at=start,
        ends_at=end,
        timezone=zone,
        all_day=all_day,
        status=fields.pop("status", "scheduled"),
        sequence=fields.pop("sequence", 0),
        venue_name=fields.pop("venue_name", "Hall of Maps"),
        venue_address=fields.pop("venue_address", "1 Quay Street"),
        room=fields.pop("room", "Room 220"),
        online_url=fields.pop("online_url", ""),
        contact_name=fields.pop("contact_name", "Dana Lee"),
        contact_email=fields.pop("contact_email", "dana@example.org"),
        people=fields.pop("people", []),
        sponsors=fields.pop("sponsors", []),
        **fields,
    )
    return post


def parse(post: Post) -> icalendar.Event:
    cal = calendar.calendar(
        [post],
        url_for_post=lambda p: f"{SITE}/events/{p.slug}/",
        site_url=SITE,
        now=NOW,
    )
    parsed = icalendar.Calendar.from_ical(calendar.ics(cal))
    (item,) = parsed.walk("VEVENT")
    return item


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)
