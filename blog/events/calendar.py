"""Calendar files (.ics) and "Add to: Outlook, iCal, Google Calendar" links.

Pure functions of a post and the addresses the caller passes in: nothing
here reads the request or the database, so tests call them directly.
Every format carries the same instant: the ICS file names the event's zone
(with a matching VTIMEZONE), Google and Outlook get UTC (Google also the
zone's name in ``ctz``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode, urlsplit

import icalendar

from blog.models import Event, EventStatus, Post
from blog.rendering import plain_text

PRODID = "-//blog//events//EN"
GOOGLE_URL = "https://calendar.google.com/calendar/render"
OUTLOOK_URL = "https://outlook.live.com/calendar/0/action/compose"


# Calendar files -------------------------------------------------------------


def uid(post: Post, site_url: str) -> str:
    """Stable across edits and slug changes: the post id and the site's host."""
    host = urlsplit(site_url).hostname or "localhost"
    return f"event-{post.id}@{host}"


def location(event: Event) -> str:
    """Room, venue and address on one line; the online link when there is no place."""
    parts = [event.room, event.venue_name, event.venue_address]
    place = ", ".join(p for p in parts if p)
    return place or event.online_url


def description(post: Post) -> str:
    """The event's description as plain text (calendar files carry no HTML)."""
    return plain_text(post.body_html)


def details_of(post: Post) -> Event:
    """The event row of an event post (loaded with it)."""
    if post.event is None:
        raise ValueError(f"{post!r} is not an event")
    return post.event


_ICS_STATUS = {
    EventStatus.CANCELLED: "CANCELLED",
    EventStatus.POSTPONED: "TENTATIVE",  # the date shown is no longer certain
}


def vevent(post: Post, *, url: str, site_url: str, now: datetime) -> icalendar.Event:
    """One VEVENT for ``post`` (which must have its ``event`` loaded)."""
    event = details_of(post)
    item = icalendar.Event()
    item.add("uid", uid(post, site_url))
    item.add("dtstamp", now.astimezone(UTC))
    if event.all_day:
        item.add("dtstart", event.local_start.date())
        item.add("dtend", event.last_day + timedelta(days=1))
    else:
        item.add("dtstart", event.local_start)
        item.add("dtend", event.local_end)
    item.add("summary", post.title)
    text = description(post)
    if text:
        item.add("description", text)
    if location(event):
        item.add("location", location(event))
    item.add("url", url)
    if event.contact_email:
        organizer = icalendar.vCalAddress(f"mailto:{event.contact_email}")
        if event.contact_name:
            organizer.params["cn"] = event.contact_name
        item.add("organizer", organizer)
    item.add("status", _ICS_STATUS.get(event.status, "CONFIRMED"))
    item.add("sequence", max(event.sequence, 0))
    if post.updated_at is not None:
        item.add("last-modified", post.updated_at.astimezone(UTC))
    return item


def calendar(
    posts: Iterable[Post],
    *,
    url_for_post: Callable[[Post], str],
    site_url: str,
    name: str = "",
    now: datetime,
) -> icalendar.Calendar:
    """A VCALENDAR of ``posts``; ``url_for_post(post)`` gives each public address."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
    first: date | None = None
    last: date | None = None
    for post in posts:
        cal.add_component(
            vevent(post, url=url_for_post(post), site_url=site_url, now=now)
        )
        event = details_of(post)
        start, end = event.starts_at.date(), event.ends_at.date()
        first = start if first is None else min(first, start)
        last = end if last is None else max(last, end)
    if first is not None and last is not None:
        cal.add_missing_timezones(
            first_date=first - timedelta(days=366), last_date=last + timedelta(days=366)
        )
    return cal


def ics(cal: icalendar.Calendar) -> bytes:
    """The calendar as the bytes of a .ics file."""
    return bytes(cal.to_ical())


# "Add to calendar" links ----------------------------------------------------


def _google_stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_link(post: Post, *, url: str) -> str:
    """Google Calendar's "create event" address, in UTC with the event's zone."""
    event = details_of(post)
    if event.all_day:
        end = event.last_day + timedelta(days=1)
        dates = f"{event.local_start:%Y%m%d}/{end:%Y%m%d}"
    else:
        dates = f"{_google_stamp(event.starts_at)}/{_google_stamp(event.ends_at)}"
    params = {
        "action": "TEMPLATE",
        "text": post.title,
        "dates": dates,
        "details": _details(post, url),
        "location": location(event),
        "ctz": event.timezone,
    }
    return f"{GOOGLE_URL}?{urlencode(params)}"


def _outlook_stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def outlook_link(post: Post, *, url: str) -> str:
    """Outlook.com's compose deeplink, with ISO times in UTC."""
    event = details_of(post)
    if event.all_day:
        start = event.local_start.date().isoformat()
        end = (event.last_day + timedelta(days=1)).isoformat()
    else:
        start = _outlook_stamp(event.starts_at)
        end = _outlook_stamp(event.ends_at)
    params = {
        "subject": post.title,
        "startdt": start,
        "enddt": end,
        "body": _details(post, url),
        "location": location(event),
        "allday": "true" if event.all_day else "false",
    }
    return f"{OUTLOOK_URL}?{urlencode(params)}"


def _details(post: Post, url: str, limit: int = 1000) -> str:
    text = description(post)
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + "\u2026"
    return f"{text}\n\n{url}" if text else url
