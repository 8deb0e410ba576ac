"""Venues and organisers in the dashboard: lists, new, edit, delete.

``dashboard.places`` holds two child blueprints, ``dashboard.places.venues``
(``/dashboard/events/venues/``) and ``dashboard.places.organisers``
(``/dashboard/events/organisers/``), so the side navigation can put each
screen under its own item. Editors and admins only (the services say so,
and :func:`require_manager` answers 403 before any form is shown).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from blog.events import places
from blog.extensions import csrf, db
from blog.forms.common import ActionForm
from blog.forms.places import OrganiserForm, VenueForm
from blog.models import Organiser, Venue
from blog.views.dashboard.access import abort_unless
from blog.views.form_page import form_page

bp = Blueprint("places", __name__, url_prefix="/events")
venues = Blueprint("venues", __name__, url_prefix="/venues")
organisers = Blueprint("organisers", __name__, url_prefix="/organisers")


@bp.before_request
def require_manager() -> None:
    abort_unless(places.can_manage_places(current_user))


def load_venue(venue_id: int) -> Venue:
    return db.session.get(Venue, venue_id) or abort(404)


def load_organiser(organiser_id: int) -> Organiser:
    return db.session.get(Organiser, organiser_id) or abort(404)


def _delete_page(
    place: places.Place, noun: str, delete: Callable[[], object]
) -> ResponseReturnValue:
    """The confirmation (GET, or a POST whose token has expired), else the
    deletion and back to the list (``.index`` of the screen's blueprint)."""
    form = ActionForm()
    if not form.validate_on_submit():
        return render_template(
            "dashboard/events/delete_place.html",
            place=place,
            noun=noun,
            events=places.linked_events(place),
            form=form,
            cancel=url_for(".index"),
        )
    name = place.name
    delete()
    flash(f"Deleted “{name}”.", "success")
    return redirect(url_for(".index"))


# Venues ----------------------------------------------------------------------


@venues.get("/")
def index() -> ResponseReturnValue:
    return render_template("dashboard/events/venues.html", rows=places.venue_usage())


@venues.route("/new", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def new() -> ResponseReturnValue:
    form = VenueForm()
    return form_page(
        form,
        lambda: places.create_venue(current_user, form.to_input()),
        template="dashboard/events/venue_form.html",
        done=f"Added “{form.name.data}”.",
        then=url_for(".index"),
        venue=None,
    )


@venues.route("/<int:venue_id>/edit", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def edit(venue_id: int) -> ResponseReturnValue:
    venue = load_venue(venue_id)
    form = VenueForm(obj=venue)
    return form_page(
        form,
        lambda: places.update_venue(current_user, venue, form.to_input()),
        template="dashboard/events/venue_form.html",
        done="Saved. Events at this venue show its new name and address.",
        then=url_for(".index"),
        venue=venue,
    )


@venues.route("/<int:venue_id>/delete", methods=["GET", "POST"])
def delete(venue_id: int) -> ResponseReturnValue:
    """GET asks to confirm (how many events use it); POST deletes."""
    venue = load_venue(venue_id)
    return _delete_page(
        venue, "venue", lambda: places.delete_venue(current_user, venue)
    )


# Organisers ------------------------------------------------------------------


@organisers.get("/", endpoint="index")
def organiser_index() -> ResponseReturnValue:
    return render_template(
        "dashboard/events/organisers.html", rows=places.organiser_usage()
    )


@organisers.route("/new", methods=["GET", "POST"], endpoint="new")
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def new_organiser() -> ResponseReturnValue:
    form = OrganiserForm()
    return form_page(
        form,
        lambda: places.create_organiser(current_user, form.to_input()),
        template="dashboard/events/organiser_form.html",
        done=f"Added “{form.name.data}”.",
        then=url_for(".index"),
        organiser=None,
    )


@organisers.route("/<int:organiser_id>/edit", methods=["GET", "POST"], endpoint="edit")
@csrf.exempt  # the form checks its own token, so an expired one keeps the text
def edit_organiser(organiser_id: int) -> ResponseReturnValue:
    organiser = load_organiser(organiser_id)
    form = OrganiserForm(obj=organiser)
    return form_page(
        form,
        lambda: places.update_organiser(current_user, organiser, form.to_input()),
        template="dashboard/events/organiser_form.html",
        done="Saved.",
        then=url_for(".index"),
        organiser=organiser,
    )


@organisers.route(
    "/<int:organiser_id>/delete", methods=["GET", "POST"], endpoint="delete"
)
def delete_organiser(organiser_id: int) -> ResponseReturnValue:
    """GET asks to confirm (how many events name it); POST deletes."""
    organiser = load_organiser(organiser_id)
    return _delete_page(
        organiser,
        "organiser",
        lambda: places.delete_organiser(current_user, organiser),
    )


bp.register_blueprint(venues)
bp.register_blueprint(organisers)
