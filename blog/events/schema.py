"""schema.org ``Event`` data (JSON-LD) for search engines, from an event post."""

from __future__ import annotations

from typing import Any

from blog.events.calendar import description, details_of
from blog.events.when import local_days, local_span
from blog.models import EventPerson, EventStatus, Post

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
    event = details_of(post)
    if event.all_day:
        first, last = local_days(event)
        start, end = first.isoformat(), last.isoformat()
    else:
        local_start, local_end = local_span(event)
        start, end = local_start.isoformat(), local_end.isoformat()
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
        "eventStatus": _SCHEMA_STATUS[event.status],
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


def _person(person: EventPerson) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Person", "name": person.name}
    if person.affiliation:
        data["affiliation"] = {"@type": "Organization", "name": person.affiliation}
    if person.url:
        data["url"] = person.url
    return data
