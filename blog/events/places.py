"""Venues and organisers: records events link to, added and edited once in
the dashboard and picked again and again in the editor.

Who manages them: the people who manage the site's vocabularies (categories,
audiences, units), i.e. editors and admins. Authors pick existing ones in the
editor, or name a new one there (:func:`venue_for`, :func:`organiser_for`),
but never edit or delete one.

An event linked to a venue keeps a copy of the venue's name and one-line
address in ``venue_name``/``venue_address`` (calendars, search and exports
read the event alone): :func:`update_venue` rewrites those copies, and
:func:`delete_venue` unlinks the events, which keep their copies.

The services commit; ``venue_for``/``organiser_for`` insert inside the
caller's transaction (the event editor's save).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, func, insert, select, update

from blog.errors import FieldError, require
from blog.events import listings
from blog.events.listings import OccurrenceMonth
from blog.events.place_input import (
    SLUG_MAX,
    URL_MAX,
    OrganiserInput,
    VenueInput,
    check_address_length,
    checked,
    organiser_checks,
    venue_checks,
)
from blog.extensions import db
from blog.models import Event, Organiser, User, Venue
from blog.posts.permissions import can_manage_terms
from blog.posts.slugs import slugify, unique_slug
from blog.search import reindex
from blog.validation import http_url_or_empty

#: How many upcoming dates a venue's or organiser's page lists.
UPCOMING_LIMIT = 50
OSM_SEARCH = "https://www.openstreetmap.org/search"

Place = Venue | Organiser
PlaceT = TypeVar("PlaceT", Venue, Organiser)


def can_manage_places(user: User) -> bool:
    """Add, edit and delete venues and organisers: the same people who manage
    categories, audiences and units (editors and admins)."""
    return can_manage_terms(user)


def venue_values(data: VenueInput, own: Venue | None = None) -> dict[str, Any]:
    """The venue's columns, cleaned (nothing is written); ``own``: the venue
    being edited, which may keep its name.

    :raises FieldError: naming every field at fault (a name another venue
        has, in any case, included).
    """
    checks = venue_checks(data)
    name = checks["name"]
    checks["name"] = lambda: _unclaimed(Venue, name(), own)
    values = checked(checks)
    check_address_length(Venue(**values).address)
    return values


def organiser_values(
    data: OrganiserInput, own: Organiser | None = None
) -> dict[str, Any]:
    """The organiser's columns, cleaned, as :func:`venue_values`.

    :raises FieldError:
    """
    checks = organiser_checks(data)
    name = checks["name"]
    checks["name"] = lambda: _unclaimed(Organiser, name(), own)
    return checked(checks)


# Names and slugs -------------------------------------------------------------


def _named(model: type[PlaceT], name: str) -> PlaceT | None:
    """The venue or organiser called ``name``, in any case."""
    query = select(model).where(func.lower(model.name) == name.lower()).limit(1)
    found = db.session.scalar(query)
    if found is None and not name.isascii():
        # SQLite's lower() folds ASCII only: compare the rest in Python.
        candidates = db.session.scalars(select(model).where(model.name != ""))
        found = next((c for c in candidates if c.name.lower() == name.lower()), None)
    return found


def _unclaimed(model: type[PlaceT], name: str, own: PlaceT | None) -> str:
    """``name``, unless another record has it. :raises FieldError:"""
    clash = _named(model, name)
    if clash is not None and clash is not own:
        raise FieldError(f"“{name}” already exists.", "name")
    return name


def _slug_taken(
    model: type[Venue] | type[Organiser], slug: str, own_id: int | None
) -> bool:
    query = select(model.id).where(model.slug == slug)
    if own_id is not None:
        query = query.where(model.id != own_id)
    return db.session.scalar(query) is not None


def _new_slug(model: type[Venue] | type[Organiser], name: str) -> str:
    """A slug from ``name``, with ``-2``, ``-3``... when taken."""
    return unique_slug(
        slugify(name, SLUG_MAX), lambda slug: _slug_taken(model, slug, None)
    )


def _chosen_slug(
    model: type[Venue] | type[Organiser], wanted: str, name: str, own: Place | None
) -> str:
    """The slug an editor typed (tidied); when blank, the record's own, or
    a new one from ``name``.

    :raises FieldError: another record has the one typed.
    """
    if not wanted.strip():
        return own.slug if own is not None else _new_slug(model, name)
    slug = slugify(wanted, SLUG_MAX)
    if _slug_taken(model, slug, own.id if own is not None else None):
        raise FieldError(f"The slug “{slug}” is taken.", "slug")
    return slug


# Venues ----------------------------------------------------------------------


def create_venue(actor: User, data: VenueInput) -> Venue:
    """Add a venue (commits). :raises FieldError: bad input, or name taken."""
    require(can_manage_places(actor))
    values = venue_values(data)
    venue = Venue(slug=_chosen_slug(Venue, data.slug, values["name"], None), **values)
    db.session.add(venue)
    db.session.commit()
    return venue


def update_venue(actor: User, venue: Venue, data: VenueInput) -> int:
    """Change a venue, and the copies of its name and address in its events
    (commits). :returns: how many events' copies changed. :raises FieldError:"""
    require(can_manage_places(actor))
    values = venue_values(data, venue)
    values["slug"] = _chosen_slug(Venue, data.slug, values["name"], venue)
    for name, value in values.items():
        setattr(venue, name, value)
    db.session.flush()
    changed = _copy_to_events(venue)
    db.session.commit()
    return changed


def _copy_to_events(venue: Venue) -> int:
    """Give the venue's events its name and address (one ``UPDATE``) and a
    higher calendar ``SEQUENCE`` (calendar programs then take the new
    location); their search documents follow."""
    name, address = venue.name, venue.address
    stale = (Event.venue_id == venue.id) & (
        (Event.venue_name != name) | (Event.venue_address != address)
    )
    ids = list(db.session.scalars(select(Event.post_id).where(stale)))
    if not ids:
        return 0
    db.session.execute(
        update(Event)
        .where(Event.post_id.in_(ids))
        .values(venue_name=name, venue_address=address, sequence=Event.sequence + 1),
        execution_options={"synchronize_session": "fetch"},
    )
    reindex(db.session.connection(), ids)
    return len(ids)


def delete_venue(actor: User, venue: Venue) -> int:
    """Delete a venue; its events keep the name and address they copied
    (commits). :returns: how many events were linked to it."""
    require(can_manage_places(actor))
    unlinked = _unlink(Event.venue_id == venue.id, venue_id=None)
    db.session.delete(venue)
    db.session.commit()
    return unlinked


def _unlink(linked: ColumnElement[bool], **values: None) -> int:
    """Clear the events' link explicitly (the foreign key's ``ON DELETE SET
    NULL`` would too, but unseen by the session's loaded events)."""
    result = db.session.execute(
        update(Event).where(linked).values(**values),
        execution_options={"synchronize_session": "fetch"},
    )
    return int(getattr(result, "rowcount", 0) or 0)


# Organisers ------------------------------------------------------------------


def create_organiser(actor: User, data: OrganiserInput) -> Organiser:
    """Add an organiser (commits). :raises FieldError:"""
    require(can_manage_places(actor))
    values = organiser_values(data)
    slug = _chosen_slug(Organiser, data.slug, values["name"], None)
    organiser = Organiser(slug=slug, **values)
    db.session.add(organiser)
    db.session.commit()
    return organiser


def update_organiser(actor: User, organiser: Organiser, data: OrganiserInput) -> None:
    """Change an organiser; event pages show the change at once (commits).
    :raises FieldError:"""
    require(can_manage_places(actor))
    values = organiser_values(data, organiser)
    values["slug"] = _chosen_slug(Organiser, data.slug, values["name"], organiser)
    for name, value in values.items():
        setattr(organiser, name, value)
    db.session.commit()


def delete_organiser(actor: User, organiser: Organiser) -> int:
    """Delete an organiser; its events lose the link (commits).
    :returns: how many events were linked to it."""
    require(can_manage_places(actor))
    unlinked = _unlink(Event.organiser_id == organiser.id, organiser_id=None)
    db.session.delete(organiser)
    db.session.commit()
    return unlinked


# The editor's side ---------------------------------------------------------


def saved_venues() -> list[Venue]:
    """The venues the editor offers, by name."""
    query = select(Venue).order_by(func.lower(Venue.name), Venue.id)
    return list(db.session.scalars(query))


def saved_organisers() -> list[Organiser]:
    """The organisers the editor offers, by name."""
    query = select(Organiser).order_by(func.lower(Organiser.name), Organiser.id)
    return list(db.session.scalars(query))


def venue_for(name: str, address: str, *, create: bool) -> Venue | None:
    """The saved venue called ``name`` in any case (left as it is), or a new
    one with ``address`` as its street address (none in a preview). For the
    event editor, which has checked both: anyone who may save an event may
    name a new venue, never change one."""
    found = _named(Venue, name)
    if found is not None or not create:
        return found
    return _inserted(Venue, {"name": name, "street_address": address})


def organiser_for(values: dict[str, Any], *, create: bool) -> Organiser:
    """The saved organiser called ``values["name"]`` (left as it is), or a
    new one from the checked ``values`` (unsaved in a preview)."""
    found = _named(Organiser, values["name"])
    if found is not None:
        return found
    return _inserted(Organiser, values) if create else Organiser(**values)


def _inserted(model: type[PlaceT], values: dict[str, Any]) -> PlaceT:
    """A new venue or organiser with a unique slug, inserted at once (not
    flushed with the half-built event) so that the revision the save records
    holds its id; the save's rollback removes it again."""
    slug = _new_slug(model, values["name"])
    new_id = db.session.execute(
        insert(model).values(slug=slug, **values).returning(model.id)
    ).scalar_one()
    made = db.session.get(model, new_id)
    assert made is not None
    return made


# Reading ---------------------------------------------------------------------


def venue_usage() -> list[tuple[Venue, int]]:
    """Every venue with how many events link to it, by name (one query)."""
    return _usage(Venue)


def organiser_usage() -> list[tuple[Organiser, int]]:
    """Every organiser with how many events link to it, by name (one query)."""
    return _usage(Organiser)


def _link_column(model: type[Venue] | type[Organiser]) -> Any:
    """The events' column that links them to a venue or an organiser."""
    return Event.venue_id if model is Venue else Event.organiser_id


def _usage(model: type[PlaceT]) -> list[tuple[PlaceT, int]]:
    rows = db.session.execute(
        select(model, func.count(Event.post_id))
        .outerjoin(Event, _link_column(model) == model.id)
        .group_by(model.id)
        .order_by(func.lower(model.name), model.id)
    )
    return [(place, count) for place, count in rows]


def linked_events(place: Place) -> int:
    """How many events (of any status) link to this venue or organiser."""
    column = _link_column(type(place))
    query = select(func.count()).select_from(Event).where(column == place.id)
    return int(db.session.scalar(query) or 0)


def get_venue(slug: str) -> Venue | None:
    return db.session.scalar(select(Venue).where(Venue.slug == slug))


def get_organiser(slug: str) -> Organiser | None:
    return db.session.scalar(select(Organiser).where(Organiser.slug == slug))


def upcoming_at_venue(venue: Venue, now: datetime) -> list[OccurrenceMonth]:
    """The venue's next events that readers may see, under month headings."""
    return _upcoming(Event.venue_id == venue.id, now)


def upcoming_by_organiser(organiser: Organiser, now: datetime) -> list[OccurrenceMonth]:
    """The organiser's next events that readers may see, under month headings."""
    return _upcoming(Event.organiser_id == organiser.id, now)


def _upcoming(linked: ColumnElement[bool], now: datetime) -> list[OccurrenceMonth]:
    """The next dates of the linked events (a series' each), by month."""
    found = listings.next_occurrences_where(linked, UPCOMING_LIMIT, now)
    return listings.occurrences_by_month(found)


def map_url(venue: Venue) -> str:
    """The venue's own map link, else an OpenStreetMap search of its
    address; ``""`` when it has neither."""
    if own := http_url_or_empty(venue.map_url or "", max_length=URL_MAX):
        return own  # checked when typed; checked again, as read from storage
    return osm_search_url(venue.address)


def osm_search_url(address: str) -> str:
    """An OpenStreetMap search for ``address`` (a plain link: no embedded
    map, no script); ``""`` for a blank address."""
    address = " ".join(address.split())
    return f"{OSM_SEARCH}?{urlencode({'query': address})}" if address else ""


def paragraphs(text: str) -> list[list[str]]:
    """Plain text as paragraphs (split at blank lines) of lines, for a
    template to show with ``<p>`` and ``<br>`` and autoescaping."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [block.split("\n") for block in blocks if block]
