"""Venue and organiser pages: ``/events/venue/<slug>/`` and
``/events/organiser/<slug>/``, each with its upcoming events.

A constant number of queries each: the record, then the upcoming events
(with their details in one query each), whatever their number.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, url_for
from flask.typing import ResponseReturnValue

from blog.events import place_schema, places
from blog.models import utcnow
from blog.site import structured_data
from blog.views.caching import cacheable
from blog.views.context import absolute
from blog.views.sharing import page_meta

bp = Blueprint("event_places", __name__)


def _breadcrumbs(name: str, url: str) -> list[tuple[str, str]]:
    """Home › Events › the venue or organiser, with absolute addresses."""
    return [
        ("Home", absolute(url_for("public.home"))),
        ("Events", absolute(url_for("events.index"))),
        (name, url),
    ]


def _page(
    template: str, name: str, url: str, data: dict[str, Any], **context: Any
) -> str:
    trail = _breadcrumbs(name, url)
    return render_template(
        template,
        meta=page_meta(name),
        json_ld=[data, structured_data.breadcrumbs(trail)],
        **context,
    )


@bp.get("/events/venue/<slug>/")
@cacheable
def venue(slug: str) -> ResponseReturnValue:
    place = places.get_venue(slug) or abort(404)
    url = absolute(url_for(".venue", slug=place.slug))
    map_url = places.map_url(place)
    return _page(
        "events/venue.html",
        place.name,
        url,
        place_schema.place(place, url=url, map_url=map_url),
        venue=place,
        map_url=map_url,
        accessibility=places.paragraphs(place.accessibility),
        months=places.upcoming_at_venue(place, utcnow()),
    )


@bp.get("/events/organiser/<slug>/")
@cacheable
def organiser(slug: str) -> ResponseReturnValue:
    found = places.get_organiser(slug) or abort(404)
    url = absolute(url_for(".organiser", slug=found.slug))
    return _page(
        "events/organiser.html",
        found.name,
        url,
        place_schema.organization(found, url=url),
        organiser=found,
        months=places.upcoming_by_organiser(found, utcnow()),
    )
