"""What an event's revisions keep beyond the article's fields: its date and
zone, repetition and changed dates, place (and the saved venue and
organiser it links), people, sponsors, audiences, units and contact, as the
editor shows them (local dates and times in the event's own zone), so that
a revision is restored through the editor's own checks
(:class:`blog.events.editing.EventInput`). A saved venue or organiser
deleted since is left out: the event keeps the venue's name and address as
text.

Registered with :func:`blog.posts.revisions.register_details` by
``blog.events``.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from blog.events.editing import (
    TEXT_LIMITS,
    URL_FIELDS,
    EventInput,
    PersonInput,
    SponsorInput,
    apply_event_input,
)
from blog.events.repeats import ChangeInput, RepetitionInput, as_typed, rule_fields
from blog.events.when import last_day, local_span
from blog.extensions import db
from blog.models import (
    Event,
    EventStatus,
    OccurrenceChange,
    Organiser,
    PersonRole,
    Post,
    Repeat,
    Venue,
)
from blog.numbers import parse_int
from blog.posts.editing import PostInput
from blog.posts.revisions import KindDetails

#: The one-line fields and their labels on the revisions screen.
TEXT_LABELS = {
    "venue_name": "Venue",
    "room": "Room",
    "venue_address": "Address",
    "online_url": "Online link",
    "registration_url": "Registration link",
    "cost": "Cost",
}
CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")
#: The event's text fields, kept as they are.
PLAIN_TEXT_FIELDS = (*TEXT_LIMITS, *URL_FIELDS, "contact_email")


def snapshot(post: Post) -> dict[str, Any]:
    """The event's details as JSON data (an empty dict for a post without)."""
    event = post.event
    if event is None:
        return {}
    start, end = local_span(event)
    return {
        "start_date": start.date().isoformat(),
        "start_time": None if event.all_day else start.time().isoformat("minutes"),
        "end_date": (last_day(event) if event.all_day else end.date()).isoformat(),
        "end_time": None if event.all_day else end.time().isoformat("minutes"),
        "timezone": event.timezone,
        "all_day": event.all_day,
        "status": str(EventStatus(event.status).value),
        **{name: getattr(event, name) for name in PLAIN_TEXT_FIELDS},
        "accommodations_deadline": _iso(event.accommodations_deadline),
        "people": [
            {
                "name": person.name,
                "affiliation": person.affiliation,
                "url": person.url,
                "role": str(PersonRole(person.role).value),
            }
            for person in event.people
        ],
        "sponsors": [{"name": s.name, "url": s.url} for s in event.sponsors],
        "audiences": [term.name for term in event.audiences],
        "units": [term.name for term in event.units],
        **_repetition_snapshot(event),
        "venue_id": event.venue.id if event.venue is not None else event.venue_id,
        "organiser_id": _organiser_id(event),
        "organiser": event.organiser.name if event.organiser is not None else "",
    }


def _organiser_id(event: Event) -> int | None:
    return event.organiser.id if event.organiser is not None else event.organiser_id


def _repetition_snapshot(event: Event) -> dict[str, Any]:
    """The "Repeats" fields and changes as typed (nothing for a one-off)."""
    if not event.repeats:
        return {}
    typed = as_typed(event)
    return {
        **rule_fields(typed),
        "repeat_until": _iso(typed.until),
        "changes": [
            {
                "date": _iso(change.day),
                "change": change.change,
                "new_date": _iso(change.new_date),
                "new_start_time": _clock(change.new_start_time),
                "new_end_time": _clock(change.new_end_time),
            }
            for change in typed.changes
        ],
    }


def restore(post: Post, details: dict[str, Any]) -> None:
    """Put a revision's details back on ``post`` (its own fields are set),
    checked as the editor's are.

    :raises PostError: a value is refused today (a zone no longer known).
    """
    if not details:
        return
    texts: dict[str, Any] = {
        name: str(details.get(name) or "") for name in PLAIN_TEXT_FIELDS
    }
    data = EventInput(
        post=PostInput(title=post.title, body=post.body_source),
        start_date=_date(details.get("start_date")),
        start_time=_time(details.get("start_time")),
        end_date=_date(details.get("end_date")),
        end_time=_time(details.get("end_time")),
        timezone=str(details.get("timezone") or "UTC"),
        all_day=bool(details.get("all_day")),
        status=str(details.get("status") or EventStatus.SCHEDULED),
        accommodations_deadline=_date(details.get("accommodations_deadline")),
        people=[
            PersonInput(
                name=str(p.get("name", "")),
                affiliation=str(p.get("affiliation", "")),
                url=str(p.get("url", "")),
                role=str(p.get("role", PersonRole.SPEAKER)),
            )
            for p in details.get("people", [])
        ],
        sponsors=[
            SponsorInput(name=str(s.get("name", "")), url=str(s.get("url", "")))
            for s in details.get("sponsors", [])
        ],
        audiences=tuple(details.get("audiences", [])),
        units=tuple(details.get("units", [])),
        repetition=_repetition(details),
        venue_id=_still(Venue, details.get("venue_id")),
        organiser_id=_still(Organiser, details.get("organiser_id")),
        **texts,
    )
    apply_event_input(post, data)


def _repetition(details: dict[str, Any]) -> RepetitionInput:
    """A revision's "Repeats" (none in one kept before events repeated)."""
    count = details.get("repeat_count")
    interval = details.get("repeat_interval")
    return RepetitionInput(
        repeat=str(details.get("repeat") or Repeat.NONE),
        interval=interval if isinstance(interval, int) else 1,
        weekdays=tuple(str(d) for d in details.get("repeat_weekdays") or ()),
        monthly_by=str(details.get("repeat_monthly_by") or "day"),
        ends=str(details.get("repeat_ends") or "never"),
        until=_date(details.get("repeat_until")),
        count=count if isinstance(count, int) else None,
        changes=[
            ChangeInput(
                day=_date(change.get("date")),
                change=str(change.get("change") or OccurrenceChange.SKIPPED),
                new_date=_date(change.get("new_date")),
                new_start_time=_time(change.get("new_start_time")),
                new_end_time=_time(change.get("new_end_time")),
            )
            for change in details.get("changes") or ()
        ],
    )


def _still(model: type[Any], value: object) -> int | None:
    """The id of a saved venue or organiser if it still exists."""
    found = parse_int(str(value)) if value is not None else None
    return found if found is not None and db.session.get(model, found) else None


def describe(details: dict[str, Any]) -> list[tuple[str, str]]:
    """The details as labelled text, for the revisions screen to compare."""
    people = details.get("people", [])
    speakers = [p for p in people if p.get("role") == PersonRole.SPEAKER]
    others = [p for p in people if p.get("role") != PersonRole.SPEAKER]
    status = str(details.get("status") or EventStatus.SCHEDULED)
    return [
        ("When", _when(details)),
        (
            "Event status",
            EventStatus(status).label if status in set(EventStatus) else status,
        ),
        *[(label, str(details.get(name) or "")) for name, label in TEXT_LABELS.items()],
        ("Speakers", "\n".join(_person(p) for p in speakers)),
        ("Moderators", "\n".join(_person(p, with_role=True) for p in others)),
        (
            "Co-sponsored by",
            "\n".join(_sponsor(s) for s in details.get("sponsors", [])),
        ),
        ("Open to", "\n".join(details.get("audiences", []))),
        ("Organising units", "\n".join(details.get("units", []))),
        (
            "Contact",
            "\n".join(str(details.get(n) or "") for n in CONTACT_FIELDS).strip(),
        ),
        (
            "Accommodation requests by",
            str(details.get("accommodations_deadline") or ""),
        ),
        ("Repeats", _repeats(details)),
        (
            "Changes to single dates",
            "\n".join(_change(c) for c in details.get("changes") or ()),
        ),
        ("Organised by", str(details.get("organiser") or "")),
    ]


def _repeats(details: dict[str, Any]) -> str:
    repeat = details.get("repeat")
    if not repeat or repeat == Repeat.NONE:
        return ""
    text = f"{str(repeat).capitalize()}, every {details.get('repeat_interval') or 1}"
    if repeat == Repeat.WEEKLY:
        text += f", on {','.join(details.get('repeat_weekdays') or ())}"
    if repeat == Repeat.MONTHLY:
        text += f", by {details.get('repeat_monthly_by')}"
    if details.get("repeat_ends") == "until":
        text += f", until {details.get('repeat_until')}"
    elif details.get("repeat_ends") == "count":
        text += f", {details.get('repeat_count')} times"
    return text


def _change(change: dict[str, Any]) -> str:
    text = f"{change.get('date')}: {change.get('change')}"
    if change.get("change") == OccurrenceChange.MOVED:
        moved = (change.get(n) for n in ("new_date", "new_start_time", "new_end_time"))
        text += " to " + " ".join(str(part) for part in moved if part)
    return text


def _when(details: dict[str, Any]) -> str:
    zone = details.get("timezone") or ""
    if not details.get("start_date"):
        return ""
    if details.get("all_day"):
        return f"{details['start_date']} to {details.get('end_date')}, all day ({zone})"
    return (
        f"{details['start_date']} {details.get('start_time') or ''} to "
        f"{details.get('end_date')} {details.get('end_time') or ''} ({zone})"
    )


def _person(person: dict[str, Any], *, with_role: bool = False) -> str:
    text = str(person.get("name", ""))
    if person.get("affiliation"):
        text += f", {person['affiliation']}"
    if person.get("url"):
        text += f" <{person['url']}>"
    return f"{str(person.get('role', '')).capitalize()}: {text}" if with_role else text


def _sponsor(sponsor: dict[str, Any]) -> str:
    url = sponsor.get("url")
    return f"{sponsor.get('name', '')} <{url}>" if url else str(sponsor.get("name", ""))


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _clock(value: time | None) -> str | None:
    return value.isoformat("minutes") if value is not None else None


def _date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _time(value: object) -> time | None:
    return time.fromisoformat(value) if isinstance(value, str) and value else None


EVENT_DETAILS = KindDetails(snapshot=snapshot, restore=restore, describe=describe)
