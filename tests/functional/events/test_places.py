"""Venues and organisers: managed by editors in the dashboard (their events'
copies follow), refused to authors, and their public pages with upcoming
events, a map link, schema.org data and constant query counts."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from blog.errors import PermissionDenied
from blog.events import places
from blog.events.place_input import OrganiserInput, VenueInput
from blog.extensions import db
from blog.models import Event, Organiser, Role, SearchDocument, User, Venue

ADDRESS = {
    "street_address": "12 Harbor Road",
    "locality": "Riverton",
    "region": "NY",
    "postal_code": "10101",
    "country": "United States",
}


def link(app, post_id: int, *, venue: str = "", organiser: str = "") -> None:
    """Link an event to a venue and an organiser (by slug) as the editor
    does: the venue's name and one-line address copied into the event."""
    with app.app_context():
        event = db.session.get(Event, post_id)
        if venue:
            place = places.get_venue(venue)
            assert place is not None
            event.venue_id = place.id
            event.venue_name, event.venue_address = place.name, place.address
        if organiser:
            found = places.get_organiser(organiser)
            assert found is not None
            event.organiser_id = found.id
        db.session.commit()


def json_ld(page: str) -> list[dict]:
    return [
        json.loads(block)
        for block in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', page, re.S
        )
    ]


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_an_editor_manages_venues_and_their_events_follow(
    app, client, make_user, make_event, auth
):
    auth.login(make_user(Role.EDITOR, "ed"))
    form = {"name": "Lakeside Hall", "room": "Room 341", **ADDRESS}
    response = client.post("/dashboard/events/venues/new", data=form)
    assert response.status_code == 302
    # The same name in another case is refused, with everything typed kept.
    again = client.post(
        "/dashboard/events/venues/new",
        data={**form, "name": "lakeside hall", "map_url": "javascript:alert(1)"},
    )
    page = text(again)
    assert again.status_code == 200
    assert "“lakeside hall” already exists." in page
    assert "Give a full address starting with https://" in page
    assert 'value="12 Harbor Road"' in page
    with app.app_context():
        venue = db.session.scalars(select(Venue)).one()
        assert (venue.slug, venue.room) == ("lakeside-hall", "Room 341")
        assert venue.address == "12 Harbor Road, Riverton NY 10101, United States"
        venue_id = venue.id
    listing = text(client.get("/dashboard/events/venues/"))
    assert "Lakeside Hall" in listing and "Riverton NY 10101" in listing
    assert 'aria-current="page">Venues</a>' in listing  # the side navigation

    first = make_event("Harbor lecture")
    second = make_event("Harbor concert")
    elsewhere = make_event("Somewhere else", venue_name="Town Hall")
    for post in (first, second):
        link(app, post.id, venue="lakeside-hall")

    edit = f"/dashboard/events/venues/{venue_id}/edit"
    assert 'value="lakeside-hall"' in text(client.get(edit))
    renamed = {**form, "name": "Lakeside Auditorium", "street_address": "14 Pier St"}
    assert client.post(edit, data=renamed).status_code == 302
    with app.app_context():
        rows = {e.post_id: e for e in db.session.scalars(select(Event)).all()}
        for post in (first, second):
            assert rows[post.id].venue_name == "Lakeside Auditorium"
            assert rows[post.id].venue_address.startswith("14 Pier St, Riverton")
            assert rows[post.id].sequence >= 1  # calendars take the new place
        assert rows[elsewhere.id].venue_name == "Town Hall"
        found = db.session.scalar(
            select(SearchDocument.text).where(SearchDocument.post_id == first.id)
        )
        assert "Lakeside Auditorium" in found and "Lakeside Hall" not in found
        assert db.session.get(Venue, venue_id).slug == "lakeside-hall"  # kept

    delete = f"/dashboard/events/venues/{venue_id}/delete"
    confirm = text(client.get(delete))
    assert "2 events link to it" in confirm and "Delete Permanently" in confirm
    assert client.post(delete).status_code == 302
    with app.app_context():
        assert db.session.get(Venue, venue_id) is None
        event = db.session.get(Event, first.id)
        assert event.venue_id is None
        assert event.venue_name == "Lakeside Auditorium"  # the copy stays


def test_organisers_are_managed_by_editors_and_not_by_authors(
    app, client, make_user, auth
):
    editor = make_user(Role.EDITOR, "ed")
    author = make_user(Role.AUTHOR, "au")
    auth.login(editor)
    new = "/dashboard/events/organisers/new"
    refused = client.post(new, data={"name": "Quay Society", "email": "not mail"})
    assert "Give an email address like name@example.org." in text(refused)
    organiser = {
        "name": "Quay Society",
        "email": "Hello@Quay.Example",
        "phone": "+1 555 0100",
        "website": "https://quay.example/",
    }
    assert client.post(new, data=organiser).status_code == 302
    with app.app_context():
        found = db.session.scalars(select(Organiser)).one()
        assert (found.slug, found.email) == ("quay-society", "Hello@quay.example")
        organiser_id = found.id
    edit = f"/dashboard/events/organisers/{organiser_id}/edit"
    assert client.post(edit, data={**organiser, "slug": "Quay"}).status_code == 302
    assert client.post(edit, data={**organiser, "slug": ""}).status_code == 302
    with app.app_context():
        assert db.session.get(Organiser, organiser_id).slug == "quay"  # blank keeps

    auth.logout()
    auth.login(author)
    for path in (
        "/dashboard/events/venues/",
        "/dashboard/events/organisers/new",
        edit,
    ):
        assert client.get(path).status_code == 403
    assert client.post(new, data={"name": "Sneaky"}).status_code == 403
    menu = text(client.get("/dashboard/events/"))
    assert "Venues" not in menu and "Organisers" not in menu
    with app.app_context():
        actor = db.session.get(User, author.id)
        with pytest.raises(PermissionDenied):
            places.create_venue(actor, VenueInput(name="Sneaky"))
        with pytest.raises(PermissionDenied):
            places.delete_organiser(actor, db.session.get(Organiser, organiser_id))
        # Authors may still name a new venue in the editor, and pick old ones.
        made = places.venue_for("Boat House", "1 Quay", create=True)
        assert made is not None and made.street_address == "1 Quay"
        assert places.venue_for("BOAT HOUSE", "", create=True) is made
        quay = places.organiser_for({"name": "quay society"}, create=True)
        assert quay.id == organiser_id
        db.session.commit()

    auth.logout()
    auth.login(editor)
    delete = f"/dashboard/events/organisers/{organiser_id}/delete"
    assert "No event links to it." in text(client.get(delete))
    assert client.post(delete).status_code == 302
    with app.app_context():
        assert db.session.get(Organiser, organiser_id) is None


def make_places(app, make_user, **venue) -> None:
    editor = make_user(Role.EDITOR)
    with app.app_context():
        actor = db.session.get(User, editor.id)
        data = {
            "name": "Lakeside Hall",
            "room": "Room 341",
            "accessibility": "Step-free entrance on Pier Street.\nLift to all floors."
            "\n\nHearing loop in Room 341.",
            **ADDRESS,
            **venue,
        }
        places.create_venue(actor, VenueInput(**data))
        places.create_organiser(
            actor,
            OrganiserInput(
                name="Quay Society",
                email="events@quay.example",
                phone="+1 555 0100",
                website="https://quay.example/",
            ),
        )


def test_venue_and_organiser_pages(app, client, make_user, make_event, make_series):
    make_places(app, make_user)
    coming = make_event("Harbor lecture")
    gone = make_event("Old lecture", start="2020-03-14 16:00", end="2020-03-14 17:00")
    draft = make_event("Secret rehearsal", publish=False)
    # A weekly series begun long ago: its next dates are listed, each linked.
    weekly = make_series(
        "Harbor reading group",
        start="2020-03-03 18:00",
        end="2020-03-03 19:00",
        until=date.today() + timedelta(days=35),
    )
    for post in (coming, gone, draft, weekly):
        link(app, post.id, venue="lakeside-hall", organiser="quay-society")

    response = client.get("/events/venue/lakeside-hall/")
    assert response.status_code == 200
    page = text(response)
    assert '<h1 class="entry-title"><bdi>Lakeside Hall</bdi></h1>' in page
    assert "12 Harbor Road, Riverton NY 10101, United States" in page
    assert "Step-free entrance on Pier Street.<br>Lift to all floors." in page
    assert "Upcoming events" in page and "March 2030" in page
    assert "Harbor lecture" in page and f"/events/{coming.slug}/" in page
    assert "Old lecture" not in page and "Secret rehearsal" not in page
    dates = re.findall(rf'href="/events/{weekly.slug}/(\d{{4}}-\d\d-\d\d)/"', page)
    assert len(dates) >= 4 and dates == sorted(dates)
    assert min(dates) >= date.today().isoformat()
    assert "<iframe" not in page  # a link to the map, nothing embedded
    (map_link,) = re.findall(r'<a href="(https://www\.openstreetmap[^"]+)"', page)
    assert urlsplit(map_link).path == "/search"
    assert parse_qs(urlsplit(map_link).query)["query"] == [
        "12 Harbor Road, Riverton NY 10101, United States"
    ]
    place, crumbs = json_ld(page)
    assert place["@type"] == "Place" and place["name"] == "Lakeside Hall"
    assert place["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "12 Harbor Road",
        "addressLocality": "Riverton",
        "addressRegion": "NY",
        "postalCode": "10101",
        "addressCountry": "United States",
    }
    assert place["hasMap"] == map_link
    assert place["url"] == "http://localhost/events/venue/lakeside-hall/"
    assert [item["name"] for item in crumbs["itemListElement"]] == [
        "Home",
        "Events",
        "Lakeside Hall",
    ]

    page = text(client.get("/events/organiser/quay-society/"))
    assert '<a href="mailto:events@quay.example">' in page
    assert '<a href="tel:+15550100">+1 555 0100</a>' in page
    assert '<a href="https://quay.example/" rel="nofollow noopener">' in page
    assert "Harbor lecture" in page and "Secret rehearsal" not in page
    organisation = json_ld(page)[0]
    assert organisation == {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": "Quay Society",
        "url": "https://quay.example/",
        "mainEntityOfPage": {
            "@type": "WebPage",
            "@id": "http://localhost/events/organiser/quay-society/",
        },
        "email": "events@quay.example",
        "telephone": "+1 555 0100",
    }

    for missing in ("/events/venue/nowhere/", "/events/organiser/nobody/"):
        assert client.get(missing).status_code == 404


def test_a_venue_with_its_own_map_and_no_events(app, client, make_user):
    make_places(
        app, make_user, map_url="https://maps.example/lakeside", accessibility=""
    )
    page = text(client.get("/events/venue/lakeside-hall/"))
    assert '<a href="https://maps.example/lakeside" rel="nofollow noopener">Map' in page
    assert "openstreetmap" not in page and "Accessibility" not in page
    assert "No upcoming events at this venue." in page
    assert json_ld(page)[0]["hasMap"] == "https://maps.example/lakeside"


def test_place_pages_take_constant_queries(
    app, client, make_user, make_event, make_series, count_queries
):
    """As many queries with one one-off event and one series as with five
    one-off events and three series with changed dates."""
    make_places(app, make_user)

    shown: list[int] = []

    def queries() -> tuple[int, int]:
        counts = []
        for path in ("/events/venue/lakeside-hall/", "/events/organiser/quay-society/"):
            with count_queries() as counter:
                response = client.get(path)
            assert response.status_code == 200
            shown.append(response.get_data(as_text=True).count('rel="bookmark"'))
            counts.append(counter.count)
        return counts[0], counts[1]

    soon = datetime.now(UTC).date() + timedelta(days=10)  # within HORIZON

    def series(n: int, **fields) -> None:
        start = soon + timedelta(days=n)
        post = make_series(
            f"Series {n}", start=f"{start} 10:00", end=None, count=3, **fields
        )
        link(app, post.id, venue="lakeside-hall", organiser="quay-society")

    first = make_event("Talk 0", categories="Science")
    link(app, first.id, venue="lakeside-hall", organiser="quay-society")
    series(0)
    one = queries()
    for n in range(1, 5):
        post = make_event(
            f"Talk {n}", start=f"2030-0{n + 3}-14 16:00", end=None, categories=f"C{n}"
        )
        link(app, post.id, venue="lakeside-hall", organiser="quay-society")
    for n in (1, 2):
        skipped = soon + timedelta(days=n + 7)
        series(n, categories=f"S{n}", changes=[(skipped, "skipped")])
    assert queries() == one
    assert shown == [1 + 3, 1 + 3, 5 + 3 + 2 + 2, 5 + 3 + 2 + 2]
