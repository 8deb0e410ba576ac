"""Hybrid, online, cancelled and postponed events in the .ics file and in the
"Add to" links (Google, Outlook.com, Microsoft 365): every format carries the
same place, online link and instant, and no link is offered without a date.
Events built in memory (no database)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from blog.events import links, maps
from blog.models import Venue
from tests.unit.events.helpers import SITE, make, parse, utc

PAGE = f"{SITE}/events/bridges/"
MEET = "https://meet.example/abc?pwd=1&x=2"


def query(address: str) -> dict[str, str]:
    """A link's parameters, each once."""
    parsed = parse_qs(urlsplit(address).query, keep_blank_values=True)
    assert all(len(values) == 1 for values in parsed.values()), parsed
    return {key: values[0] for key, values in parsed.items()}


def hybrid(**fields):
    return make(
        utc(2024, 3, 14, 20), utc(2024, 3, 14, 21, 30), online_url=MEET, **fields
    )


def test_a_hybrid_event_carries_its_place_and_its_link_everywhere():
    post = hybrid()
    item = parse(post)
    assert str(item["url"]) == MEET
    assert str(item["location"]) == "Room 220, Hall of Maps, 1 Quay Street"
    assert str(item["description"]) == (
        f"Two voices, one table.\n\nJoin online: {MEET}\n\n{PAGE}"
    )
    (conference,) = item.conferences  # RFC 7986
    assert (str(conference.uri), conference.feature) == (MEET, "VIDEO")
    assert item["conference"].params["VALUE"] == "URI"

    found = links.add_to_links(post, url=PAGE)
    assert found is not None
    google = query(found.google)
    assert found.google.startswith("https://calendar.google.com/calendar/render?")
    assert google["location"] == "Room 220, Hall of Maps, 1 Quay Street"
    assert google["details"] == str(item["description"])
    assert google["dates"] == "20240314T200000Z/20240314T213000Z"
    assert google["ctz"] == "America/New_York"
    assert "recur" not in google
    bases = {
        found.outlook_com: "https://outlook.live.com/calendar/0/action/compose?",
        found.microsoft_365: "https://outlook.office.com/calendar/0/action/compose?",
    }
    for address, base in bases.items():
        assert address.startswith(base)
        assert query(address) == {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": "Bridges & <Talks>",
            "startdt": "2024-03-14T20:00:00Z",
            "enddt": "2024-03-14T21:30:00Z",
            "allday": "false",
            "body": str(item["description"]),
            "location": "Room 220, Hall of Maps, 1 Quay Street",
        }
    # the instants are the file's
    start = datetime.fromisoformat(query(found.outlook_com)["startdt"])
    assert start == item.decoded("dtstart") == utc(2024, 3, 14, 20)


@pytest.mark.parametrize("status", ["scheduled", "moved_online"])
def test_an_online_event_is_located_at_its_link(status):
    fields = {"venue_name": "", "venue_address": "", "room": ""}
    if status == "moved_online":  # the place it had no longer holds
        fields = {}
    post = hybrid(status=status, **fields)
    item = parse(post)
    assert str(item["location"]) == MEET
    assert str(item["url"]) == MEET
    assert str(item["status"]) == "CONFIRMED"
    found = links.add_to_links(post, url=PAGE)
    assert found is not None
    assert query(found.google)["location"] == MEET
    assert query(found.microsoft_365)["location"] == MEET
    assert query(found.outlook_com)["body"].endswith(f"Join online: {MEET}\n\n{PAGE}")
    assert maps.event_map_url(post.event) == ""  # nowhere to walk to


def test_an_in_person_event_keeps_the_page_as_its_url_and_says_nothing_of_joining():
    post = make(utc(2024, 3, 14, 20), utc(2024, 3, 14, 21))
    item = parse(post)
    assert str(item["url"]) == PAGE
    assert "conference" not in item
    assert "Join online" not in str(item["description"])
    found = links.add_to_links(post, url=PAGE)
    assert found is not None and "Join" not in query(found.google)["details"]


@pytest.mark.parametrize("status", ["cancelled", "postponed"])
def test_no_links_without_a_date_and_the_file_says_cancelled(status):
    post = hybrid(status=status, sequence=4)
    assert links.add_to_links(post, url=PAGE) is None
    item = parse(post)
    assert str(item["status"]) == "CANCELLED"
    assert int(item["sequence"]) == 4
    assert str(item["uid"]) == "event-7@blog.example.org"  # as when it was scheduled


def test_long_descriptions_are_cut_in_links_but_never_the_link_and_page():
    post = hybrid()
    post.body_html = "<p>" + "word " * 600 + "</p>"
    found = links.add_to_links(post, url=PAGE)
    assert found is not None
    details = query(found.google)["details"]
    assert details.endswith(f"\u2026\n\nJoin online: {MEET}\n\n{PAGE}")
    assert len(details) < 1200
    assert len(str(parse(post)["description"])) > 3000  # the file has it all


def test_the_map_link_is_the_venues_own_or_an_openstreetmap_search():
    post = make(utc(2024, 3, 14, 20), utc(2024, 3, 14, 21))
    assert maps.event_map_url(post.event) == (
        "https://www.openstreetmap.org/search?query=1+Quay+Street"
    )
    venue = Venue(slug="hall", name="Hall of Maps", street_address="1 Quay Street")
    post.event.venue = venue
    assert maps.event_map_url(post.event).endswith("?query=1+Quay+Street")
    venue.map_url = "https://maps.example/hall"
    assert maps.event_map_url(post.event) == "https://maps.example/hall"
