"""Writing events: the editor's date, place, people and sponsors, checked and
copied onto an event, saved through the articles' path.

An event is a post of kind ``event``: :func:`save_event` hands the post's own
fields (title, slug, body, categories, featured image) to
:func:`blog.posts.publishing.save_post` and adds the rest in the same
transaction. The editor gives local dates and times in the event's own zone,
in years 1900 to 2200 (:func:`blog.dates.in_range`); they are stored in UTC.
Audiences and units are lists of names (which may hold commas): existing
terms are attached, new names become terms, as categories do.

Repetition and changed dates are checked by :mod:`blog.events.repeats`.
A venue picked from the saved ones is linked, and its name and one-line
address are copied onto the event (the room too, unless one is typed); a
typed venue stays text on the event, or becomes a saved venue when asked.
An organiser is picked, or typed and then saved (an existing one of the
same name, in any case, is linked instead).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from blog import dates
from blog.errors import FieldError
from blog.events import places
from blog.events.repeats import (
    RepetitionInput,
    Span,
    apply_changes,
    check_repetition,
)
from blog.extensions import db
from blog.media import Uploads
from blog.models import (
    Event,
    EventPerson,
    EventSponsor,
    EventStatus,
    Organiser,
    PersonRole,
    Post,
    PostKind,
    Taxonomy,
    User,
    Venue,
)
from blog.posts import publishing
from blog.posts.editing import PostError, PostInput
from blog.posts.slugs import slugify
from blog.posts.taxonomy import MAX_NAME, resolve_terms, unique_names
from blog.validation import email_address, http_url, name_line, single_line

MAX_ROWS = 30
#: Addresses under /events/ that an event's slug must not shadow.
RESERVED_SLUGS = frozenset({"past", "feed", "venue", "organiser"})  # feed: blog/feeds
#: One-line fields and their longest accepted length.
TEXT_LIMITS = {
    "venue_name": 200,
    "venue_address": 500,
    "room": 200,
    "cost": 100,
    "contact_name": 100,
    "contact_phone": 50,
}
URL_FIELDS = ("online_url", "registration_url")
#: The longest name or affiliation in a row of people or sponsors.
ROW_TEXT_MAX = 200
#: The most audiences, or units, one event may name.
MAX_TERMS = 50
#: The longest street address a saved venue holds (``venues.street_address``).
VENUE_STREET_MAX = 200
#: The date fields, each checked against the years an editor may give.
DATE_FIELDS = ("start_date", "end_date", "accommodations_deadline")


@dataclass
class PersonInput:
    name: str
    affiliation: str = ""
    url: str = ""
    role: str = PersonRole.SPEAKER


@dataclass
class SponsorInput:
    name: str
    url: str = ""


@dataclass
class OrganiserFields:
    """A new organiser as typed in the event editor."""

    name: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""


@dataclass
class EventInput:
    """What the event editor submits, as plain data.

    Dates and times are local to ``timezone`` (an IANA name). Without an end
    the event lasts an hour (or, all day, one day). The featured image is
    ``post.image``, as for articles. ``audiences`` and ``units`` are names,
    existing or new, each whole (commas are part of a name).
    """

    post: PostInput
    start_date: date | None
    timezone: str
    start_time: time | None = None
    end_date: date | None = None
    end_time: time | None = None
    all_day: bool = False
    venue_name: str = ""
    venue_address: str = ""
    room: str = ""
    online_url: str = ""
    status: str = EventStatus.SCHEDULED
    registration_url: str = ""
    cost: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    accommodations_deadline: date | None = None
    people: list[PersonInput] = field(default_factory=list)
    sponsors: list[SponsorInput] = field(default_factory=list)
    audiences: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    repetition: RepetitionInput = field(default_factory=RepetitionInput)
    #: A saved venue picked (its id), or none: then ``venue_name`` and
    #: ``venue_address`` as typed, saved as a venue when ``save_venue``.
    venue_id: int | None = None
    save_venue: bool = False
    #: A saved organiser picked, or a new one's details (none: no organiser).
    organiser_id: int | None = None
    organiser: OrganiserFields = field(default_factory=OrganiserFields)


def event_times(data: EventInput) -> tuple[datetime, datetime]:
    """The UTC start and (exclusive) end of what the editor typed.

    :raises PostError: unknown zone, missing time, a date outside the years
        1900 to 2200, or an end before the start.
    """
    if data.timezone not in dates.place_zones():
        raise PostError("Choose a time zone such as America/New_York.", "timezone")
    if data.start_date is None:
        raise PostError("Give the date the event starts.", "start_date")
    _check_dates(data)
    zone = ZoneInfo(data.timezone)
    end_date = data.end_date or data.start_date
    if data.all_day:
        start = datetime.combine(data.start_date, time(0), zone)
        end = datetime.combine(end_date + timedelta(days=1), time(0), zone)
    else:
        if data.start_time is None:
            raise PostError("Give a start time, or tick All day.", "start_time")
        start = datetime.combine(data.start_date, data.start_time, zone)
        if data.end_time is None:
            end = (start.astimezone(UTC) + timedelta(hours=1)).astimezone(zone)
        else:
            end = datetime.combine(end_date, data.end_time, zone)
    # A wall time skipped by a DST change is read with the offset before it.
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if end <= start:
        field_name = "end_date" if data.all_day else "end_time"
        raise PostError("The event must end after it starts.", field_name)
    return start, end


def _check_dates(data: EventInput) -> None:
    """Every date given is in the years an editor may give (so that no time
    computed from it leaves the years Python can hold, in any zone).

    :raises PostError: with the first date field at fault.
    """
    for name in DATE_FIELDS:
        value: date | None = getattr(data, name)
        if value is not None and not dates.in_range(value):
            raise PostError(dates.RANGE_MESSAGE, name)


def validate_event(data: EventInput) -> dict[str, Any]:
    """Check everything an event adds to a post; nothing is written.

    :returns: the event's columns, cleaned, with its people, sponsors and
        changed dates as new rows (rows without a name are dropped, once
        checked), the picked venue and organiser, and the new ones to save.
    :raises PostError: with the field at fault.
    """
    starts_at, ends_at = event_times(data)
    repetition = check_repetition(
        data.repetition, Span(starts_at, ends_at, data.timezone, data.all_day)
    )
    if data.status not in set(EventStatus):
        raise PostError("Choose a status.", "status")
    if len(data.people) > MAX_ROWS or len(data.sponsors) > MAX_ROWS:
        raise PostError(f"At most {MAX_ROWS} rows.", "people")
    if any(person.role not in set(PersonRole) for person in data.people):
        raise PostError("Choose speaker, moderator or host.", "people")
    _vocabulary(data)
    try:
        values: dict[str, Any] = {
            name: single_line(getattr(data, name), name, max_length=limit)
            for name, limit in TEXT_LIMITS.items()
        }
        values["contact_name"] = name_line(
            data.contact_name, "contact_name", max_length=TEXT_LIMITS["contact_name"]
        )
        values.update(
            {name: http_url(getattr(data, name), name) for name in URL_FIELDS}
        )
        values["contact_email"] = _contact_email(data.contact_email)
        values["people"] = _numbered([_person(person) for person in data.people])
        values["sponsors"] = _numbered([_sponsor(sponsor) for sponsor in data.sponsors])
        values |= _venue_values(data, values)
        values |= _organiser_values(data)
    except FieldError as error:
        raise PostError(str(error), error.field) from error
    return (
        values
        | repetition
        | {
            "starts_at": starts_at,
            "ends_at": ends_at,
            "timezone": data.timezone,
            "all_day": data.all_day,
            "status": EventStatus(data.status),
            "accommodations_deadline": data.accommodations_deadline,
        }
    )


def _vocabulary(data: EventInput) -> dict[Taxonomy, list[str]]:
    """The audiences' and units' names, tidied, without repeats.

    :raises PostError: too many names, or one too long.
    """
    given = {
        Taxonomy.AUDIENCE: ("audiences", data.audiences),
        Taxonomy.UNIT: ("units", data.units),
    }
    chosen: dict[Taxonomy, list[str]] = {}
    for taxonomy, (field_name, names) in given.items():
        tidy = unique_names(names)
        if len(tidy) > MAX_TERMS:
            raise PostError(f"Choose at most {MAX_TERMS}.", field_name)
        if any(len(name) > MAX_NAME for name in tidy):
            message = f"Keep each name to {MAX_NAME} characters or fewer."
            raise PostError(message, field_name)
        chosen[taxonomy] = tidy
    return chosen


def _person(person: PersonInput) -> EventPerson:
    return EventPerson(
        role=PersonRole(person.role),
        name=name_line(person.name, "people", max_length=ROW_TEXT_MAX),
        affiliation=single_line(person.affiliation, "people", max_length=ROW_TEXT_MAX),
        url=http_url(person.url, "people"),
    )


def _sponsor(sponsor: SponsorInput) -> EventSponsor:
    return EventSponsor(
        name=name_line(sponsor.name, "sponsors", max_length=ROW_TEXT_MAX),
        url=http_url(sponsor.url, "sponsors"),
    )


Row = TypeVar("Row", EventPerson, EventSponsor)


def _numbered(rows: list[Row]) -> list[Row]:
    """The rows that have a name, numbered in the order given."""
    named = [row for row in rows if row.name]
    for position, row in enumerate(named):
        row.position = position
    return named


def _venue_values(data: EventInput, values: dict[str, Any]) -> dict[str, Any]:
    """The picked venue and the copies of its name and address (and room,
    unless one is typed); or the typed venue, with ``new_venue`` when it is
    to be saved. :raises FieldError:"""
    if data.venue_id is not None:
        venue = db.session.get(Venue, data.venue_id)
        if venue is None:
            raise FieldError("Choose a venue from the list.", "venue_id")
        return _linked(venue, values["room"])
    if not data.save_venue:
        return {"venue": None}
    if not values["venue_name"]:
        raise FieldError("Give the venue's name to save it.", "venue_name")
    if len(values["venue_address"]) > VENUE_STREET_MAX:
        message = f"Keep the address to {VENUE_STREET_MAX} characters to save it."
        raise FieldError(message, "venue_address")
    return {"venue": None, "new_venue": True}


def _linked(venue: Venue, room: str) -> dict[str, Any]:
    """An event's columns when it links ``venue``: the venue, copies of its
    name and one-line address, and the room typed, else the venue's own."""
    return {
        "venue": venue,
        "venue_name": venue.name,
        "venue_address": venue.address,
        "room": room or venue.room,
    }


def _organiser_values(data: EventInput) -> dict[str, Any]:
    """The picked organiser, or a new one's columns. :raises FieldError:"""
    typed = data.organiser
    if data.organiser_id is not None:
        if any((typed.name, typed.email, typed.phone, typed.website)):
            raise FieldError(
                "Choose “— none / typed below —” to add a new organiser, "
                "or empty the new organiser's fields.",
                "organiser_name",
            )
        organiser = db.session.get(Organiser, data.organiser_id)
        if organiser is None:
            raise FieldError("Choose an organiser from the list.", "organiser_id")
        return {"organiser": organiser}
    name = name_line(typed.name, "organiser_name", max_length=ROW_TEXT_MAX)
    new = {
        "name": name,
        "email": _email(typed.email, "organiser_email"),
        "phone": single_line(
            typed.phone, "organiser_phone", max_length=TEXT_LIMITS["contact_phone"]
        ),
        "website": http_url(typed.website, "organiser_website"),
    }
    if not name:
        if any(new.values()):
            raise FieldError("Give the organiser's name.", "organiser_name")
        return {"organiser": None}
    return {"organiser": None, "new_organiser": new}


def _contact_email(value: str) -> str:
    return _email(value, "contact_email")


def _email(value: str, field_name: str) -> str:
    if not value.strip():
        return ""
    return email_address(
        value, field_name, message="Give an email address like name@example.org."
    )


def save_event(
    actor: User,
    data: EventInput,
    post: Post | None = None,
    *,
    action: publishing.SaveAction = publishing.SaveAction.UPDATE,
    uploads: Uploads | None = None,
) -> Post:
    """Create or update an event, then commit.

    ``action`` is the editor's button, with the articles' rules
    (:class:`blog.posts.publishing.SaveAction`: contributors submit for
    review, only "Switch to Draft" takes a published event off the site).
    Every save adds one to the event's ``sequence``, so calendar programs
    that imported the .ics file take the new version.

    :param uploads: where an uploaded featured image is stored.
    :raises PermissionDenied: the actor may not edit this post.
    :raises PostError: a field is invalid; nothing is written.
    """
    values = validate_event(data)
    return publishing.save_post(
        actor,
        _unreserved(data.post),
        post,
        action=action,
        kind=PostKind.EVENT,
        uploads=uploads,
        details=lambda saved: _apply_details(saved, data, values, create=True),
    )


def preview_event(actor: User, data: EventInput, post: Post | None = None) -> Post:
    """An unsaved event as readers would see it; nothing is written.

    :raises PostError: a field is invalid.
    """
    values = validate_event(data)
    return publishing.preview_post(
        actor,
        data.post,
        post,
        kind=PostKind.EVENT,
        details=lambda preview: _apply_details(preview, data, values, create=False),
    )


def apply_event_input(post: Post, data: EventInput) -> None:
    """Check the event's details in ``data`` and put them on ``post``, whose
    own fields are already set (a revision being restored); ``data.post`` is
    not used. The caller commits.

    :raises PostError: with the field at fault.
    """
    _apply_details(post, data, validate_event(data), create=True)


def _unreserved(data: PostInput) -> PostInput:
    """The post's fields with a slug that does not shadow /events/past/."""
    wanted = slugify(data.slug.strip() or data.title)
    return replace(data, slug=f"{wanted}-event") if wanted in RESERVED_SLUGS else data


def _apply_details(
    post: Post, data: EventInput, values: dict[str, Any], *, create: bool
) -> None:
    """Audiences, units and the event row (the post's own fields are set)."""
    terms = list(post.terms)
    for taxonomy, names in _vocabulary(data).items():
        terms += resolve_terms(taxonomy, names, create=create)
    post.terms = terms
    event = post.event if post.event is not None else Event(sequence=-1)
    post.event = event
    columns = dict(values)
    changes = columns.pop("changes")
    if columns.pop("new_venue", False):
        venue = places.venue_for(
            columns["venue_name"], columns["venue_address"], create=create
        )
        if venue is not None:  # linked: the venue's copies, as when picked
            columns |= _linked(venue, columns["room"])
    new_organiser = columns.pop("new_organiser", None)
    if new_organiser is not None:
        columns["organiser"] = places.organiser_for(new_organiser, create=create)
    for name, value in columns.items():
        setattr(event, name, value)
    apply_changes(event, changes)
    event.sequence += 1  # a new event starts at -1, so its first version is 0
