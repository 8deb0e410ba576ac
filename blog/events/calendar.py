"""Calendar files (.ics) and "Add to: Outlook, iCal, Google Calendar" links.

Pure functions of a post and the addresses the caller passes in: nothing
here reads the request or the database, so tests call them directly.
Every format carries the same instant: the ICS file names the event's zone
(with a matching VTIMEZONE), Google and Outlook get UTC (Google also the
zone's name in ``ctz``).

Whatever is stored, a calendar is made: any date Python holds (events
outside :data:`ZONED_YEARS`, only ever written around the editor's checks,
are given in UTC, so no VTIMEZONE spans millennia), and any text (line
breaks and control characters, which no calendar line may hold, are
replaced).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode, urlsplit

import icalendar

from blog import dates
from blog.events.when import local_days, local_span
from blog.models import Event, EventStatus, Post
from blog.rendering import plain_text

PRODID = "-//blog//events//EN"
GOOGLE_URL = "https://calendar.google.com/calendar/render"
OUTLOOK_URL = "https://outlook.live.com/calendar/0/action/compose"
#: Timed events in these (local) years are written in their own zone, with a
#: VTIMEZONE covering them; others in UTC. A year's margin on each side of
#: what the editor accepts, for events that cross it.
ZONED_YEARS = range(dates.EARLIEST_YEAR - 1, dates.LATEST_YEAR + 2)
#: Unicode categories no calendar text keeps: controls, lone surrogates.
_DROPPED = frozenset({"Cc", "Cs"})


# Text -----------------------------------------------------------------------


def ics_text(value: str, *, multiline: bool = False) -> str:
    """``value`` as calendar text: without control characters, which RFC 5545
    allows in no value; its lines kept when ``multiline``, else joined."""
    lines = [
        "".join(
            " " if char == "\t" else char
            for char in line
            if char == "\t" or unicodedata.category(char) not in _DROPPED
        )
        for line in value.splitlines()
    ]
    return "\n".join(lines) if multiline else " ".join(" ".join(lines).split())


def _address(value: str) -> str:
    """A URI or email address without spaces or control characters."""
    return "".join(c for c in value if not c.isspace() and c.isprintable())


# Calendar files -------------------------------------------------------------


def uid(post: Post, site_url: str) -> str:
    """Stable across edits and slug changes: the post id and the site's host."""
    host = urlsplit(site_url).hostname or "localhost"
    return f"event-{post.id}@{host}"


def place(event: Event) -> str:
    """Room, venue and address on one line (``""`` for an online event)."""
    parts = (event.room, event.venue_name, event.venue_address)
    return ", ".join(part for part in parts if part)


def location(event: Event) -> str:
    """The event's place; the online link when there is no place."""
    return ics_text(place(event) or event.online_url)


def description(post: Post) -> str:
    """The event's description as plain text (calendar files carry no HTML)."""
    return ics_text(plain_text(post.body_html), multiline=True)


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
    item.add("dtstamp", dates.to_zone(now, UTC))
    _add_times(item, event)
    item.add("summary", ics_text(post.title))
    text = description(post)
    if text:
        item.add("description", text)
    if location(event):
        item.add("location", location(event))
    item.add("url", _address(url))
    email = _address(event.contact_email)
    if email:
        organizer = icalendar.vCalAddress(f"mailto:{email}")
        if event.contact_name:
            organizer.params["cn"] = ics_text(event.contact_name)
        item.add("organizer", organizer)
    item.add("status", _ICS_STATUS.get(event.status, "CONFIRMED"))
    item.add("sequence", max(event.sequence, 0))
    if post.updated_at is not None:
        item.add("last-modified", dates.to_zone(post.updated_at, UTC))
    return item


def _add_times(item: icalendar.Event, event: Event) -> None:
    """DTSTART and DTEND: local days when all day, else local times in
    :data:`ZONED_YEARS` and UTC outside them."""
    if event.all_day:
        first, last = local_days(event)
        item.add("dtstart", first)
        if last < date.max:
            item.add("dtend", last + timedelta(days=1))
        else:  # no day after 9999-12-31 to end on
            item.add("duration", timedelta(days=(last - first).days + 1))
    elif _zoned(event):
        start, end = local_span(event)
        item.add("dtstart", start)
        item.add("dtend", end)
    else:
        item.add("dtstart", dates.to_zone(event.starts_at, UTC))
        item.add("dtend", dates.to_zone(event.ends_at, UTC))


def _zoned(event: Event) -> bool:
    """Whether the event's times are written on its own clock (with a VTIMEZONE)."""
    start, end = local_span(event)
    return start.year in ZONED_YEARS and end.year in ZONED_YEARS


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
    if name := ics_text(name):
        cal.add("x-wr-calname", name)
    first: date | None = None
    last: date | None = None
    for post in posts:
        cal.add_component(
            vevent(post, url=url_for_post(post), site_url=site_url, now=now)
        )
        event = details_of(post)
        if event.all_day or not _zoned(event):
            continue  # dates, or UTC: no VTIMEZONE needed
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


def _compact(value: date) -> str:
    """``20240314``, four digits for any year (``%Y`` drops leading zeros)."""
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _all_day_bounds(event: Event) -> tuple[date, date]:
    """The first day and the day after the last, as calendar links take them."""
    first, last = local_days(event)
    return first, dates.day_after(last)


def _google_stamp(value: datetime) -> str:
    utc = dates.to_zone(value, UTC)
    return f"{_compact(utc)}T{utc:%H%M%S}Z"


def google_link(post: Post, *, url: str) -> str:
    """Google Calendar's "create event" address, in UTC with the event's zone."""
    event = details_of(post)
    if event.all_day:
        start, end = _all_day_bounds(event)
        span = f"{_compact(start)}/{_compact(end)}"
    else:
        span = f"{_google_stamp(event.starts_at)}/{_google_stamp(event.ends_at)}"
    params = {
        "action": "TEMPLATE",
        "text": post.title,
        "dates": span,
        "details": _details(post, url),
        "location": location(event),
        "ctz": event.timezone,
    }
    return f"{GOOGLE_URL}?{urlencode(params)}"


def _outlook_stamp(value: datetime) -> str:
    utc = dates.to_zone(value, UTC)
    return f"{utc.date().isoformat()}T{utc:%H:%M:%S}Z"


def outlook_link(post: Post, *, url: str) -> str:
    """Outlook.com's compose deeplink, with ISO times in UTC."""
    event = details_of(post)
    if event.all_day:
        first, after = _all_day_bounds(event)
        start, end = first.isoformat(), after.isoformat()
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
