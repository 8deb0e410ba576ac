"""Calendars for events: .ics files, "Add to calendar" links, "when", JSON-LD.

Pure functions of a post and the addresses the caller passes in: nothing
here reads the request or the database, so tests call them directly.
Every format carries the same instant: the ICS file names the event's zone
(with a matching VTIMEZONE), Google and Outlook get UTC (Google also the
zone's name in ``ctz``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import icalendar

from blog.models import Event, EventStatus, Post
from blog.rendering import plain_text

PRODID = "-//blog//events//EN"
GOOGLE_URL = "https://calendar.google.com/calendar/render"
OUTLOOK_URL = "https://outlook.live.com/calendar/0/action/compose"
EN_DASH = "\u2013"


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
    return plain_text(post.body_html)


_ICS_STATUS = {
    EventStatus.CANCELLED: "CANCELLED",
    EventStatus.POSTPONED: "TENTATIVE",  # the date shown is no longer certain
}


def vevent(post: Post, *, url: str, site_url: str, now: datetime) -> icalendar.Event:
    """One VEVENT for ``post`` (which must have its ``event`` loaded)."""
    event: Event = post.event
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
    item.add("status", _ICS_STATUS.get(EventStatus(event.status), "CONFIRMED"))
    item.add("sequence", max(event.sequence, 0))
    if post.updated_at is not None:
        item.add("last-modified", post.updated_at.astimezone(UTC))
    return item


def calendar(
    posts: Iterable[Post],
    *,
    url_for_post: Any,
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
        start, end = post.event.starts_at.date(), post.event.ends_at.date()
        first = start if first is None else min(first, start)
        last = end if last is None else max(last, end)
    if first is not None and last is not None:
        cal.add_missing_timezones(
            first_date=first - timedelta(days=366), last_date=last + timedelta(days=366)
        )
    return cal


def ics(cal: icalendar.Calendar) -> bytes:
    return cal.to_ical()


# "Add to calendar" links ----------------------------------------------------


def _google_stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_link(post: Post, *, url: str) -> str:
    """Google Calendar's "create event" address, in UTC with the event's zone."""
    event: Event = post.event
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
    event: Event = post.event
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


# Words ----------------------------------------------------------------------


def long_date(value: date) -> str:
    """``Thursday, March 14, 2024``."""
    return f"{value:%A}, {value:%B} {value.day}, {value.year}"


def clock(value: datetime, *, meridiem: bool = True) -> str:
    """``4:00 p.m.`` (or ``4:00`` when the a.m./p.m. is said once, later)."""
    hour = value.hour % 12 or 12
    text = f"{hour}:{value:%M}"
    return f"{text} {_meridiem(value)}" if meridiem else text


def _meridiem(value: datetime) -> str:
    return "a.m." if value.hour < 12 else "p.m."


def zone_name(value: datetime) -> str:
    """The zone's abbreviation (``EDT``); ``UTC+05:30`` where it has none."""
    abbreviation = value.tzname() or ""
    if not abbreviation or abbreviation[0] in "+-":
        offset = value.strftime("%z")
        return f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    return abbreviation


def when(event: Event) -> str:
    """When the event happens, in its own zone, with the zone named.

    ``Thursday, March 14, 2024, 4:00–5:30 p.m. EDT``; an all-day or multi-day
    event says so.
    """
    start, end = event.local_start, event.local_end
    if event.all_day:
        last = event.last_day
        if last == start.date():
            return f"{long_date(start.date())}, all day"
        if last.year == start.year:
            first = f"{start:%A}, {start:%B} {start.day}"
            return f"{first} {EN_DASH} {long_date(last)}, all day"
        return f"{long_date(start.date())} {EN_DASH} {long_date(last)}, all day"
    if start.date() == end.date():
        if zone_name(start) != zone_name(end):
            return (
                f"{long_date(start.date())}, {clock(start)} {zone_name(start)}"
                f"{EN_DASH}{clock(end)} {zone_name(end)}"
            )
        same_half = _meridiem(start) == _meridiem(end)
        return (
            f"{long_date(start.date())}, {clock(start, meridiem=not same_half)}"
            f"{EN_DASH}{clock(end)} {zone_name(end)}"
        )
    return (
        f"{long_date(start.date())}, {clock(start)} {zone_name(start)} {EN_DASH} "
        f"{long_date(end.date())}, {clock(end)} {zone_name(end)}"
    )


def short_when(event: Event) -> str:
    """``Thu, Mar 14, 4:00 p.m. EDT`` for listings."""
    start = event.local_start
    day = f"{start:%a}, {start:%b} {start.day}"
    if event.all_day:
        return f"{day}, all day"
    return f"{day}, {clock(start)} {zone_name(start)}"


# schema.org -----------------------------------------------------------------

_SCHEMA_STATUS = {
    EventStatus.SCHEDULED: "https://schema.org/EventScheduled",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
    EventStatus.POSTPONED: "https://schema.org/EventPostponed",
    EventStatus.MOVED_ONLINE: "https://schema.org/EventMovedOnline",
}


def json_ld(
    post: Post,
    *,
    url: str,
    image_url: str = "",
    organizer_name: str = "",
    organizer_url: str = "",
) -> dict[str, Any]:
    """A schema.org ``Event``; serialise it with Jinja's ``tojson`` (HTML-safe)."""
    event: Event = post.event
    if event.all_day:
        start: str = event.local_start.date().isoformat()
        end: str = event.last_day.isoformat()
    else:
        start, end = event.local_start.isoformat(), event.local_end.isoformat()
    places: list[dict[str, Any]] = []
    if event.has_venue and event.status != EventStatus.MOVED_ONLINE:
        place: dict[str, Any] = {"@type": "Place", "name": event.venue_name}
        if event.room:
            place["name"] = ", ".join(p for p in (event.room, event.venue_name) if p)
        if event.venue_address:
            place["address"] = event.venue_address
        places.append(place)
    if event.online_url:
        places.append({"@type": "VirtualLocation", "url": event.online_url})
    if event.status == EventStatus.MOVED_ONLINE or (
        places and all(p["@type"] == "VirtualLocation" for p in places)
    ):
        mode = "https://schema.org/OnlineEventAttendanceMode"
    elif len(places) > 1:
        mode = "https://schema.org/MixedEventAttendanceMode"
    else:
        mode = "https://schema.org/OfflineEventAttendanceMode"
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": post.title,
        "startDate": start,
        "endDate": end,
        "eventStatus": _SCHEMA_STATUS[EventStatus(event.status)],
        "eventAttendanceMode": mode,
        "url": url,
        "description": description(post),
    }
    if places:
        data["location"] = places[0] if len(places) == 1 else places
    performers = [_person(p) for p in event.speakers]
    if performers:
        data["performer"] = performers
    organizers: list[dict[str, Any]] = []
    if organizer_name:
        organizers.append(_organization(organizer_name, organizer_url))
    organizers += [_organization(u.name) for u in event.units]
    if organizers:
        data["organizer"] = organizers
    if event.sponsors:
        data["sponsor"] = [_organization(s.name, s.url) for s in event.sponsors]
    if event.audiences:
        data["audience"] = [
            {"@type": "Audience", "audienceType": a.name} for a in event.audiences
        ]
    if image_url:
        data["image"] = [image_url]
    return data


def _organization(name: str, url: str = "") -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Organization", "name": name}
    if url:
        data["url"] = url
    return data


def _person(person: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Person", "name": person.name}
    if person.affiliation:
        data["affiliation"] = {"@type": "Organization", "name": person.affiliation}
    if person.url:
        data["url"] = person.url
    return data
