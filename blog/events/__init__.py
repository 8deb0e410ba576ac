"""Events: posts of kind ``event`` with a date, a place, people, sponsors,
audiences and organising units, and the calendars they go into.

- ``editing``: the event editor's fields, checked, saved with the post
  (``repeats``: the repetition's and changed dates' checks);
- ``recurrence``: the dates of a repeating event, computed with dateutil's
  ``rrule`` on the event's own clock (``series`` keeps ``last_ends_at``,
  ``repetition_data`` carries a series through exports and imports);
- ``listings``: upcoming and past dates, filters, the month grid, the
  dashboard's list;
- ``calendar``: .ics files; ``links``: "Add to" Outlook.com, Microsoft 365
  and Google; ``maps``: the venue's map link;
- ``places``: venues and organisers (``place_input``: their fields;
  ``place_schema``: their schema.org data);
- ``when`` and ``describe``: "Thursday, March 14, 2024, 4:00–5:30 p.m. EDT",
  "Every Tuesday until December 15, 2026";
- ``schema``: schema.org JSON-LD for search engines;
- ``revisions``: what an event's revisions keep (registered below, so that
  every save of an event keeps its details).
"""

from blog.events.editing import (
    EventInput,
    PersonInput,
    SponsorInput,
    event_times,
    preview_event,
    save_event,
    validate_event,
)
from blog.events.listings import (
    get_visible_event,
    group_by_month,
    past,
    upcoming,
)
from blog.events.revisions import EVENT_DETAILS
from blog.models import PostKind
from blog.posts.revisions import register_details

register_details(PostKind.EVENT, EVENT_DETAILS)

__all__ = [
    "EventInput",
    "PersonInput",
    "SponsorInput",
    "event_times",
    "get_visible_event",
    "group_by_month",
    "past",
    "preview_event",
    "save_event",
    "upcoming",
    "validate_event",
]
