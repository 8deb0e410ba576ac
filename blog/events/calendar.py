"""Calendar files (.ics): one VEVENT per event; for a repeating event, its
rule (RRULE), its skipped dates (EXDATE) and one more VEVENT per cancelled
or moved date (same UID, RECURRENCE-ID), as RFC 5545 has it.

Pure functions of a post and the addresses the caller passes in: nothing
here reads the request or the database, so tests call them directly.
Timed events are written on their zone's clock (with a VTIMEZONE covering
the whole series), so a 4 p.m. New York seminar stays at 4 p.m. in winter
and in summer. The "Add to" links, built from the same parts, are in
:mod:`blog.events.links`.

Whatever is stored, a calendar is made: any date Python holds (events
outside :data:`ZONED_YEARS`, only ever written around the editor's checks,
are given in UTC, so no VTIMEZONE spans millennia), and any text (line
breaks and control characters, which no calendar line may hold, are
replaced).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

import icalendar

from blog import dates
from blog.events import recurrence
from blog.events.when import local_span
from blog.models import (
    Event,
    EventStatus,
    MonthlyBy,
    OccurrenceChange,
    Post,
    Repeat,
)
from blog.rendering import plain_text

PRODID = "-//blog//events//EN"
#: Timed events in these (local) years are written in their own zone, with a
#: VTIMEZONE covering them; others in UTC. A year's margin on each side of
#: what the editor accepts, for events that cross it.
ZONED_YEARS = range(dates.EARLIEST_YEAR - 1, dates.LATEST_YEAR + 2)
#: Unicode categories no calendar text keeps: controls, lone surrogates.
_DROPPED = frozenset({"Cc", "Cs"})
#: How the online link is introduced in descriptions (calendars and links).
JOIN_ONLINE = "Join online:"


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


def uri_text(value: str) -> str:
    """A URI or email address without spaces or control characters."""
    return "".join(c for c in value if not c.isspace() and c.isprintable())


def details_of(post: Post) -> Event:
    """The event row of an event post (loaded with it)."""
    if post.event is None:
        raise ValueError(f"{post!r} is not an event")
    return post.event


def place(event: Event) -> str:
    """Room, venue and address on one line (``""`` for an online event)."""
    parts = (event.room, event.venue_name, event.venue_address)
    return ", ".join(part for part in parts if part)


def online_link(event: Event) -> str:
    """The address people join the event at (``""`` when it has none)."""
    return uri_text(event.online_url)


def in_person(event: Event) -> bool:
    """Whether people meet at a place (not when the event moved online)."""
    return event.has_venue and event.status != EventStatus.MOVED_ONLINE


def location(event: Event) -> str:
    """Where calendars say the event is: its place; the online link when it
    has no place or has moved online."""
    if in_person(event):
        return ics_text(place(event))
    if event.status == EventStatus.MOVED_ONLINE:
        return online_link(event) or "Online"
    return online_link(event)


def description(post: Post) -> str:
    """The event's description as plain text (calendar files carry no HTML)."""
    return ics_text(plain_text(post.body_html), multiline=True)


def calendar_text(
    post: Post, *, url: str, notes: Iterable[str] = (), limit: int | None = None
) -> str:
    """What a calendar entry's description says: the event's text (cut at
    ``limit`` characters, for links), ``notes``, the online link ("Join
    online: ...") and the page's address, one paragraph each."""
    text = description(post)
    if limit is not None and len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + "\u2026"
    parts = [text, *(ics_text(note) for note in notes)]
    if link := online_link(details_of(post)):
        parts.append(f"{JOIN_ONLINE} {link}")
    parts.append(uri_text(url))
    return "\n\n".join(part for part in parts if part)


def ics_status(status: EventStatus) -> str:
    """RFC 5545's STATUS: a postponed event, whose date no longer holds, is
    cancelled until it has a new one (then CONFIRMED, with a higher SEQUENCE)."""
    if status in (EventStatus.CANCELLED, EventStatus.POSTPONED):
        return "CANCELLED"
    return "CONFIRMED"


# Times ----------------------------------------------------------------------


def _zoned(event: Event) -> bool:
    """Whether the event's times are written on its own clock (with a VTIMEZONE)."""
    start, end = local_span(event)
    return start.year in ZONED_YEARS and end.year in ZONED_YEARS


def _clock(event: Event, start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """``start`` and ``end`` (UTC) on the clock the file writes ``event`` in."""
    if _zoned(event):
        return dates.span_in_zone(start, end, dates.zone_named(event.timezone))
    return dates.to_zone(start, UTC), dates.to_zone(end, UTC)


def _days(event: Event, start: datetime, end: datetime) -> tuple[date, date]:
    """The first and last local days of ``start``-``end`` (all-day events)."""
    first, stop = dates.span_in_zone(start, end, dates.zone_named(event.timezone))
    last = first if stop <= first else stop - timedelta(microseconds=1)
    return first.date(), last.date()


def _add_times(
    item: icalendar.Event, event: Event, start: datetime, end: datetime
) -> None:
    """DTSTART and DTEND: local days when all day, else local times in
    :data:`ZONED_YEARS` and UTC outside them."""
    if event.all_day:
        first, last = _days(event, start, end)
        item.add("dtstart", first)
        if last < date.max:
            item.add("dtend", last + timedelta(days=1))
        else:  # no day after 9999-12-31 to end on
            item.add("duration", timedelta(days=(last - first).days + 1))
    else:
        local_start, local_end = _clock(event, start, end)
        item.add("dtstart", local_start)
        item.add("dtend", local_end)


# Repetition -----------------------------------------------------------------

_FREQ = {Repeat.DAILY: "DAILY", Repeat.WEEKLY: "WEEKLY", Repeat.MONTHLY: "MONTHLY"}


def rrule_of(event: Event) -> icalendar.vRecur | None:
    """The event's RRULE, the same dates as :func:`blog.events.recurrence.rule`
    (``None`` for an event that does not repeat). UNTIL is a date for an
    all-day series, else the until-day's last second on the event's clock,
    in UTC (RFC 5545 3.3.10: UTC when DTSTART names a zone)."""
    if not event.repeats:
        return None
    start = local_span(event)[0]
    parts: dict[str, object] = {"freq": _FREQ[event.repeat]}
    interval = max(event.repeat_interval or 1, 1)
    if event.repeat_count:
        parts["count"] = min(event.repeat_count, recurrence.MAX_OCCURRENCES)
    elif event.repeat_until is not None:
        parts["until"] = _until(event, event.repeat_until, start)
    if interval > 1:
        parts["interval"] = interval
    if event.repeat == Repeat.WEEKLY:
        parts["byday"] = [recurrence.WEEKDAYS[d] for d in recurrence.weekdays(event)]
        if interval > 1:  # which week a day falls in depends on the week's start
            parts["wkst"] = "MO"
    elif event.repeat == Repeat.MONTHLY:
        weekday = recurrence.WEEKDAYS[start.weekday()]
        if event.repeat_monthly_by == MonthlyBy.NTH_WEEKDAY:
            parts["byday"] = f"{recurrence.nth_of_month(start.date())}{weekday}"
        elif event.repeat_monthly_by == MonthlyBy.LAST_WEEKDAY:
            parts["byday"] = f"-1{weekday}"
        else:
            parts["bymonthday"] = start.day
    return icalendar.vRecur(parts)


def _until(event: Event, until: date, start: datetime) -> date | datetime:
    if event.all_day:
        return until
    last = datetime.combine(until, time(23, 59, 59), start.tzinfo)
    try:
        return last.astimezone(UTC)
    except OverflowError:  # the last second of 9999 on a clock behind UTC
        return datetime.max.replace(microsecond=0, tzinfo=UTC)


def _original_start(event: Event, day: date) -> date | datetime:
    """The start the rule gives the occurrence named ``day``, as DTSTART is
    written (EXDATE and RECURRENCE-ID must take the same form)."""
    if event.all_day:
        return day
    start = local_span(event)[0]
    local = datetime.combine(day, start.time(), start.tzinfo)
    return local if _zoned(event) else dates.to_zone(local, UTC)


def _in_rule(event: Event, day: date) -> bool:
    rule = recurrence.rule(event)
    if rule is None:
        return False
    start = local_span(event)[0].replace(tzinfo=None)
    return datetime.combine(day, start.time()) in rule


def skipped_days(event: Event) -> list[date]:
    """The dates the rule gives that were skipped (EXDATE), in order."""
    return [
        change.occurrence_date
        for change in sorted(event.changes, key=lambda c: c.occurrence_date)
        if change.change == OccurrenceChange.SKIPPED
        and _in_rule(event, change.occurrence_date)
    ]


def changed_occurrences(post: Post) -> list[recurrence.Occurrence]:
    """A series' cancelled and moved dates, as changed, in order of their
    original dates (changes to dates the rule no longer gives are left out)."""
    event = details_of(post)
    found = (
        recurrence.find(post, change.occurrence_date)
        for change in sorted(event.changes, key=lambda c: c.occurrence_date)
        if change.change != OccurrenceChange.SKIPPED
    )
    return [occurrence for occurrence in found if occurrence is not None]


# Calendar files -------------------------------------------------------------


def uid(post: Post, site_url: str) -> str:
    """Stable across edits and slug changes: the post id and the site's host."""
    host = urlsplit(site_url).hostname or "localhost"
    return f"event-{post.id}@{host}"


def _described(
    item: icalendar.Event, post: Post, *, url: str, site_url: str, now: datetime
) -> None:
    """What every VEVENT of ``post`` says besides its times and status."""
    event = details_of(post)
    item.add("uid", uid(post, site_url))
    item.add("dtstamp", dates.to_zone(now, UTC))
    item.add("summary", ics_text(post.title))
    item.add("description", calendar_text(post, url=url))
    if where := location(event):
        item.add("location", where)
    link = online_link(event)
    item.add("url", link or uri_text(url))
    if link:  # RFC 7986: calendars offer a "Join" button
        params = {"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": "Join online"}
        item.add("conference", icalendar.vUri(link, params=params))
    # The contact, else the organiser: whom a calendar's "reply" reaches.
    name, email = event.contact_name, uri_text(event.contact_email)
    if not email and event.organiser is not None:
        name, email = event.organiser.name, uri_text(event.organiser.email)
    if email:
        organizer = icalendar.vCalAddress(f"mailto:{email}")
        if name:
            organizer.params["cn"] = ics_text(name)
        item.add("organizer", organizer)
    item.add("sequence", max(event.sequence or 0, 0))
    if post.updated_at is not None:
        item.add("last-modified", dates.to_zone(post.updated_at, UTC))


def vevent(post: Post, *, url: str, site_url: str, now: datetime) -> icalendar.Event:
    """The VEVENT of ``post`` (which must have its ``event`` loaded); for a
    series, its first date with RRULE and EXDATE."""
    event = details_of(post)
    item = icalendar.Event()
    _described(item, post, url=url, site_url=site_url, now=now)
    _add_times(item, event, event.starts_at, event.ends_at)
    if (rule := rrule_of(event)) is not None:
        item.add("rrule", rule)
        skipped = [_original_start(event, day) for day in skipped_days(event)]
        if skipped:
            item.add("exdate", skipped)
    item.add("status", ics_status(event.status))
    return item


def overrides(
    post: Post, *, url: str, site_url: str, now: datetime
) -> list[icalendar.Event]:
    """One VEVENT per cancelled or moved date of a series: same UID and
    SEQUENCE, RECURRENCE-ID the original start, and the new times or
    STATUS:CANCELLED."""
    event = details_of(post)
    items = []
    for occurrence in changed_occurrences(post):
        item = icalendar.Event()
        _described(item, post, url=url, site_url=site_url, now=now)
        item.add("recurrence-id", _original_start(event, occurrence.day))
        _add_times(item, event, occurrence.starts_at, occurrence.ends_at)
        item.add("status", ics_status(occurrence.status))
        items.append(item)
    return items


def _last_end(event: Event, now: datetime) -> datetime:
    """When the event's last date ends, for the VTIMEZONE's range; a year
    past now (or the first date) for a series without end."""
    if not event.repeats:
        return event.ends_at
    if not (event.repeat_count or event.repeat_until):
        return max(now, event.starts_at) + recurrence.HORIZON
    return event.last_ends_at or recurrence.series_end(event) or event.ends_at


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
        url = url_for_post(post)
        cal.add_component(vevent(post, url=url, site_url=site_url, now=now))
        for item in overrides(post, url=url, site_url=site_url, now=now):
            cal.add_component(item)
        event = details_of(post)
        if event.all_day or not _zoned(event):
            continue  # dates, or UTC: no VTIMEZONE needed
        start, end = event.starts_at.date(), _last_end(event, now).date()
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
