"""The "Add to" links: Google Calendar, Outlook.com and Microsoft 365.

Each link carries what the .ics file carries for the same date: the start
and end in UTC (Google also the zone's name, ``ctz``), the place (or the
online link for an online event) and a description that ends with "Join
online: <link>" and the page's address.

A repeating event:

- Google gets the whole series: its first date and ``recur=RRULE:...``.
  Google's link takes one recurrence line, so the dates skipped, cancelled
  or moved are listed in the description rather than given as EXDATE
  (which it would ignore or refuse).
- Outlook's compose links cannot repeat: they add the one date the page
  shows (the next one, passed as ``shown``), and say so.
- The page of one date (``occurrence``) adds that date only, everywhere.

No links while there is no date: for a cancelled or postponed event, and
for a cancelled date (:func:`add_to_links` returns ``None``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

from blog import dates
from blog.events.calendar import (
    calendar_text,
    changed_occurrences,
    details_of,
    location,
    rrule_of,
    skipped_days,
)
from blog.events.recurrence import Occurrence
from blog.models import Event, EventStatus, Post

GOOGLE_URL = "https://calendar.google.com/calendar/render"
#: Personal Microsoft accounts.
OUTLOOK_COM_URL = "https://outlook.live.com/calendar/0/action/compose"
#: Work and school accounts (universities, companies).
MICROSOFT_365_URL = "https://outlook.office.com/calendar/0/action/compose"
#: How much of the description a link carries (addresses have limits).
TEXT_LIMIT = 1000
#: How many changed dates a series' Google link lists.
NOTES_LIMIT = 10
ONE_DATE = "This is one date of a repeating event; see all dates on its page."
_NO_DATE = frozenset({EventStatus.CANCELLED, EventStatus.POSTPONED})


@dataclass(frozen=True)
class AddToLinks:
    """The addresses behind "Add to: Outlook, iCal, Google Calendar" (the
    .ics file's address is the view's)."""

    google: str
    outlook_com: str
    microsoft_365: str


def add_to_links(
    post: Post,
    *,
    url: str,
    occurrence: Occurrence | None = None,
    shown: Occurrence | None = None,
) -> AddToLinks | None:
    """The links for ``post``'s page, or for the page of one of its dates
    (``occurrence``); ``None`` while there is no date to add.

    ``shown`` is the date a series' own page shows (its next): Outlook adds
    that one, Google the whole series. Without it, Outlook adds the first.
    """
    event = details_of(post)
    if event.status in _NO_DATE:
        return None
    if occurrence is not None and occurrence.status in _NO_DATE:
        return None
    one = occurrence or (shown if shown is not None and not shown.cancelled else None)
    return AddToLinks(
        google=google_link(post, url=url, occurrence=occurrence),
        outlook_com=outlook_link(post, url=url, occurrence=one),
        microsoft_365=outlook_link(
            post, url=url, occurrence=one, base=MICROSOFT_365_URL
        ),
    )


# Times ----------------------------------------------------------------------


def _span(post: Post, occurrence: Occurrence | None) -> tuple[datetime, datetime]:
    """The UTC start and (exclusive) end a link adds."""
    if occurrence is not None:
        return occurrence.starts_at, occurrence.ends_at
    event = details_of(post)
    return event.starts_at, event.ends_at


def _local_days(event: Event, start: datetime, end: datetime) -> tuple[date, date]:
    """The first day and the day after the last, as calendar links take them."""
    first, stop = dates.span_in_zone(start, end, dates.zone_named(event.timezone))
    last = stop - timedelta(microseconds=1) if stop > first else first
    return first.date(), dates.day_after(last.date())


def _compact(value: date) -> str:
    """``20240314``, four digits for any year (``%Y`` drops leading zeros)."""
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _google_stamp(value: datetime) -> str:
    utc = dates.to_zone(value, UTC)
    return f"{_compact(utc)}T{utc:%H%M%S}Z"


def _outlook_stamp(value: datetime) -> str:
    utc = dates.to_zone(value, UTC)
    return f"{utc.date().isoformat()}T{utc:%H:%M:%S}Z"


# Google ---------------------------------------------------------------------


def google_link(post: Post, *, url: str, occurrence: Occurrence | None = None) -> str:
    """Google Calendar's "create event" address, in UTC with the event's zone;
    a whole series (``recur``) unless ``occurrence`` names one date."""
    event = details_of(post)
    start, end = _span(post, occurrence)
    if event.all_day:
        first, after = _local_days(event, start, end)
        span = f"{_compact(first)}/{_compact(after)}"
    else:
        span = f"{_google_stamp(start)}/{_google_stamp(end)}"
    rule = rrule_of(event) if occurrence is None else None
    if rule is not None:
        notes = series_notes(post)
    elif event.repeats:
        notes = [ONE_DATE]
    else:
        notes = []
    params = {
        "action": "TEMPLATE",
        "text": post.title,
        "dates": span,
        "details": calendar_text(post, url=url, notes=notes, limit=TEXT_LIMIT),
        "location": location(event),
        "ctz": event.timezone,
    }
    if rule is not None:
        text = rule.to_ical()  # type: ignore[no-untyped-call]  # vRecur is untyped
        params["recur"] = f"RRULE:{text.decode()}"
    return f"{GOOGLE_URL}?{urlencode(params)}"


def series_notes(post: Post, limit: int = NOTES_LIMIT) -> list[str]:
    """A series' dates that differ from its rule, in words: "Not on ..." and
    "Moved: ... to ...", at most ``limit`` of them."""
    event = details_of(post)
    skipped = {day: f"Not on {dates.long_day(day)}." for day in skipped_days(event)}
    changed = {o.day: _change_note(o) for o in changed_occurrences(post)}
    notes = [note for _, note in sorted((skipped | changed).items())]
    if len(notes) > limit:
        more = len(notes) - limit + 1
        notes = [*notes[: limit - 1], f"And {more} more changes: see the page."]
    return notes


def _change_note(occurrence: Occurrence) -> str:
    if occurrence.cancelled:
        return f"Not on {dates.long_day(occurrence.day)} (cancelled)."
    event = occurrence.event
    zone = dates.zone_named(event.timezone)
    start = dates.to_zone(occurrence.starts_at, zone)
    if event.all_day:
        new = dates.long_day(start.date())
    else:
        new = (
            f"{dates.long_day(start.date())}, {dates.clock(start)} "
            f"{dates.zone_name(start)}"
        )
    return f"Moved: {dates.long_day(occurrence.day)} to {new}."


# Outlook --------------------------------------------------------------------


def outlook_link(
    post: Post,
    *,
    url: str,
    occurrence: Occurrence | None = None,
    base: str = OUTLOOK_COM_URL,
) -> str:
    """Outlook's compose deeplink (Outlook.com, or Microsoft 365 with
    ``base=MICROSOFT_365_URL``), with ISO times in UTC. It cannot repeat:
    it adds ``occurrence``, or the event's first date."""
    event = details_of(post)
    start, end = _span(post, occurrence)
    if event.all_day:
        first, after = _local_days(event, start, end)
        start_text, end_text = first.isoformat(), after.isoformat()
    else:
        start_text, end_text = _outlook_stamp(start), _outlook_stamp(end)
    notes = [ONE_DATE] if event.repeats else []
    params = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": post.title,
        "startdt": start_text,
        "enddt": end_text,
        "allday": "true" if event.all_day else "false",
        "body": calendar_text(post, url=url, notes=notes, limit=TEXT_LIMIT),
        "location": location(event),
    }
    return f"{base}?{urlencode(params)}"
