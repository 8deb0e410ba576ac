"""The "Map" link of an event's place: its venue's own map, else an
OpenStreetMap search of the address (a plain link: no embedded map, no
script). The venue's rule is :func:`blog.events.places.map_url`."""

from __future__ import annotations

from blog.events import places
from blog.events.calendar import in_person
from blog.models import Event


def event_map_url(event: Event) -> str:
    """A map of where ``event`` happens; ``""`` for an online event (or one
    that moved online) and for a place with neither map nor address."""
    if not in_person(event):
        return ""
    if event.venue is not None and (url := places.map_url(event.venue)):
        return url
    return places.osm_search_url(event.venue_address or event.venue_name)
