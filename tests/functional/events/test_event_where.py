"""The event page's Where and Organiser facts, "Add to" links and schema.org
data for a hybrid event at a saved venue, run by a saved organiser."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import parse_qs, urlsplit

import icalendar

from blog.extensions import db
from blog.models import Event, Organiser, Venue

MEET = "https://meet.example/quiet?pwd=1"


def test_a_hybrid_event_at_a_saved_venue(app, client, make_event):
    post = make_event(
        "Harbor lecture",
        venue_name="Lakeside Hall",
        venue_address="12 Harbor Road, Riverton NY 10101",
        room="Room 341",
        online_url=MEET,
    )
    with app.app_context():
        venue = Venue(
            slug="lakeside-hall",
            name="Lakeside Hall",
            street_address="12 Harbor Road",
            locality="Riverton",
            region="NY",
            postal_code="10101",
            accessibility="Step-free entrance on Pier Street.",
        )
        organiser = Organiser(
            slug="quay-society",
            name="Quay Society",
            website="https://quay.example/",
            email="events@quay.example",
        )
        event = db.session.get(Event, post.id)
        event.venue, event.organiser = venue, organiser
        db.session.commit()

    page = html.unescape(client.get(f"/events/{post.slug}/").get_data(as_text=True))
    where = page[
        page.index('class="event-where"') : page.index(
            "</dd>", page.index('class="event-where"')
        )
    ]
    assert (
        '<a href="/events/venue/lakeside-hall/"><bdi>Lakeside Hall</bdi></a>' in where
    )
    (map_link,) = re.findall(
        r'<a class="event-map" href="([^"]+)" rel="nofollow noopener">'
        r'Map<span class="visually-hidden"> of <bdi>Lakeside Hall</bdi></span></a>',
        where,
    )
    assert map_link.startswith("https://www.openstreetmap.org/search?")
    assert parse_qs(urlsplit(map_link).query)["query"] == [
        "12 Harbor Road, Riverton NY 10101"
    ]
    assert "Accessibility: Step-free entrance on Pier Street." in where
    assert f'<a href="{MEET}" rel="nofollow noopener">join the event</a>' in where
    assert (
        '<dt>Organiser</dt>\n      <dd class="event-organiser">'
        '<a href="/events/organiser/quay-society/"><bdi>Quay Society</bdi></a></dd>'
    ) in page
    assert "<iframe" not in page and "<script src" not in page

    # "Add to": a menu "Outlook" (Outlook.com, Microsoft 365), iCal, Google
    add_to = page[page.index('<div class="add-to-calendar">') :]
    add_to = add_to[: add_to.index("</div>")]
    assert re.sub(r"<[^>]+>|\s+", " ", add_to).split() == (
        "Add to: Outlook Outlook.com Microsoft 365 , iCal , Google Calendar".split()
    )
    for host in ("outlook.live.com", "outlook.office.com", "calendar.google.com"):
        address = re.search(rf'href="(https://{host}/[^"]+)"', add_to)[1]
        params = parse_qs(urlsplit(address).query)
        assert params["location"] == [
            "Room 341, Lakeside Hall, 12 Harbor Road, Riverton NY 10101"
        ]
        body = (params.get("body") or params["details"])[0]
        assert f"Join online: {MEET}" in body

    (data,) = [
        d
        for d in map(json.loads, re.findall(r'ld\+json">(.*?)</script>', page, re.S))
        if d["@type"] == "Event"
    ]
    place, online = data["location"]
    assert place["url"] == "http://localhost/events/venue/lakeside-hall/"
    assert place["address"]["@type"] == "PostalAddress"
    assert place["address"]["postalCode"] == "10101"
    assert online == {"@type": "VirtualLocation", "url": MEET}
    assert data["eventAttendanceMode"].endswith("MixedEventAttendanceMode")
    assert data["organizer"][0]["name"] == "Quay Society"

    (item,) = icalendar.Calendar.from_ical(
        client.get(f"/events/{post.slug}.ics").data
    ).walk("VEVENT")
    assert str(item["url"]) == MEET
    assert str(item["description"]).endswith(
        f"Join online: {MEET}\n\nhttp://localhost/events/{post.slug}/"
    )
    # No contact given: the organiser is whom calendars reply to.
    assert str(item["organizer"]) == "mailto:events@quay.example"
    assert item["organizer"].params["CN"] == "Quay Society"
