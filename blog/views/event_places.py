"""Venue and organiser pages: ``/events/venue/<slug>/`` and
``/events/organiser/<slug>/``, each with its upcoming events."""

from __future__ import annotations

from flask import Blueprint, abort
from flask.typing import ResponseReturnValue

from blog.views.caching import cacheable

bp = Blueprint("event_places", __name__)


@bp.get("/events/venue/<slug>/")
@cacheable
def venue(slug: str) -> ResponseReturnValue:
    abort(404)  # TODO(places helper)


@bp.get("/events/organiser/<slug>/")
@cacheable
def organiser(slug: str) -> ResponseReturnValue:
    abort(404)  # TODO(places helper)
