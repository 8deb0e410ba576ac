"""schema.org ``Event`` data (JSON-LD) for search engines, from an event post:
its date (a series': the date the page shows), its ``Place`` (with a
``PostalAddress`` when it links a venue) and ``VirtualLocation``, its
organisers, speakers, sponsors and audiences."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from blog import dates
from blog.events.calendar import description, details_of, in_person
from blog.events.place_schema import postal_address
from blog.events.recurrence import Occurrence
from blog.events.when import local_span
from blog.models import Event, EventPerson, EventStatus, Organiser, Post

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
    venue_url: str = "",
    occurrence: Occurrence | None = None,
) -> dict[str, Any]:
    """A schema.org ``Event``; serialise it with Jinja's ``tojson`` (HTML-safe).

    A series is described by the date a page shows (``occurrence``: the
    next one, or the one whose page it is); ``venue_url`` is the venue's
    page here, when the event links one.
    """
    event = details_of(post)
    start, end = _dates(event, occurrence)
    status = event.status if occurrence is None else occurrence.status
    places = _places(event, url)
    if event.status == EventStatus.MOVED_ONLINE or (
        event.online_url and not in_person(event)
    ):
        mode = "https://schema.org/OnlineEventAttendanceMode"
    elif event.online_url:
        mode = "https://schema.org/MixedEventAttendanceMode"
    else:
        mode = "https://schema.org/OfflineEventAttendanceMode"
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": post.title,
        "startDate": start,
        "endDate": end,
        "eventStatus": _SCHEMA_STATUS[status],
        "eventAttendanceMode": mode,
        "url": url,
        "description": description(post),
    }
    if occurrence is not None and occurrence.moved and status == EventStatus.SCHEDULED:
        data["eventStatus"] = "https://schema.org/EventRescheduled"
        data["previousStartDate"] = _previous_start(event, occurrence)
    if places:
        if venue_url and places[0]["@type"] == "Place":
            places[0]["url"] = venue_url
        data["location"] = places[0] if len(places) == 1 else places
    performers = [_person(p) for p in event.speakers]
    if performers:
        data["performer"] = performers
    organizers: list[dict[str, Any]] = []
    if event.organiser is not None:
        organizers.append(_organiser(event.organiser))
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


def _dates(event: Event, occurrence: Occurrence | None) -> tuple[str, str]:
    """ISO start and end: local dates when all day, else local times."""
    if occurrence is None:
        start, end = local_span(event)
    else:
        zone = dates.zone_named(event.timezone)
        start, end = dates.span_in_zone(occurrence.starts_at, occurrence.ends_at, zone)
    if event.all_day:
        last = start if end <= start else end - timedelta(microseconds=1)
        return start.date().isoformat(), last.date().isoformat()
    return start.isoformat(), end.isoformat()


def _previous_start(event: Event, occurrence: Occurrence) -> str:
    """Where the rule put a moved date (schema.org's ``previousStartDate``)."""
    if event.all_day:
        return occurrence.day.isoformat()
    start = local_span(event)[0]
    return datetime.combine(occurrence.day, start.time(), start.tzinfo).isoformat()


def _places(event: Event, url: str) -> list[dict[str, Any]]:
    """The ``Place`` (unless the event moved online) and ``VirtualLocation``."""
    places: list[dict[str, Any]] = []
    if in_person(event):
        name = ", ".join(p for p in (event.room, event.venue_name) if p)
        place: dict[str, Any] = {"@type": "Place", "name": name}
        address = postal_address(event.venue) if event.venue is not None else None
        if address is not None:
            place["address"] = address
        elif event.venue_address:
            place["address"] = event.venue_address
        places.append(place)
    if event.online_url:
        places.append({"@type": "VirtualLocation", "url": event.online_url})
    elif event.status == EventStatus.MOVED_ONLINE:
        places.append({"@type": "VirtualLocation", "url": url})  # details there
    return places


def _organiser(organiser: Organiser) -> dict[str, Any]:
    data = _organization(organiser.name, organiser.website)
    if organiser.email:
        data["email"] = organiser.email
    if organiser.phone:
        data["telephone"] = organiser.phone
    return data


def _organization(name: str, url: str = "") -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Organization", "name": name}
    if url:
        data["url"] = url
    return data


def _person(person: EventPerson) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Person", "name": person.name}
    if person.affiliation:
        data["affiliation"] = {"@type": "Organization", "name": person.affiliation}
    if person.url:
        data["url"] = person.url
    return data
