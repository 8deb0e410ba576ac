"""blog.events.schema: schema.org JSON-LD, and event statuses as search engines
and calendars see them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from blog.events import schema
from blog.models import EventPerson, EventSponsor, Taxonomy, Term
from tests.unit.events.helpers import SITE, make, parse, utc


def test_cancelled_events_say_so():
    post = make(utc(2024, 3, 14, 20), utc(2024, 3, 14, 21), status="cancelled")
    assert str(parse(post)["status"]) == "CANCELLED"
    data = schema.json_ld(post, url=SITE)
    assert data["eventStatus"] == "https://schema.org/EventCancelled"


def test_json_ld_describes_the_event():
    post = make(
        utc(2024, 3, 14, 20),
        utc(2024, 3, 14, 21, 30),
        online_url="https://meet.example/abc",
        people=[
            EventPerson(role="speaker", name="Ana Ruiz", affiliation="Harbor U"),
            EventPerson(role="moderator", name="Ben Okafor", affiliation="Lakeside"),
        ],
        sponsors=[EventSponsor(name="Peace Lab", url="https://peace.example")],
    )
    post.terms = [
        Term(taxonomy=Taxonomy.AUDIENCE, name="Students", slug="students"),
        Term(taxonomy=Taxonomy.UNIT, name="Policy Institute", slug="policy-institute"),
    ]
    data = schema.json_ld(
        post, url=SITE + "/events/bridges/", image_url=SITE + "/media/x.png"
    )
    assert data["@type"] == "Event" and data["name"] == "Bridges & <Talks>"
    assert data["startDate"] == "2024-03-14T16:00:00-04:00"
    assert data["endDate"] == "2024-03-14T17:30:00-04:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["location"][0]["@type"] == "Place"
    assert data["location"][1] == {
        "@type": "VirtualLocation",
        "url": "https://meet.example/abc",
    }
    assert data["performer"] == [
        {
            "@type": "Person",
            "name": "Ana Ruiz",
            "affiliation": {"@type": "Organization", "name": "Harbor U"},
        }
    ]
    assert data["organizer"] == [{"@type": "Organization", "name": "Policy Institute"}]
    assert data["sponsor"][0]["url"] == "https://peace.example"
    assert data["audience"] == [{"@type": "Audience", "audienceType": "Students"}]
    assert data["image"] == [SITE + "/media/x.png"]
    assert data["description"] == "Two voices, one table."
    assert data["url"] == SITE + "/events/bridges/"


def test_postponed_is_cancelled_until_redated_and_moved_online_is_online():
    postponed = make(utc(2024, 3, 14, 20), utc(2024, 3, 14, 21), status="postponed")
    assert str(parse(postponed)["status"]) == "CANCELLED"  # no date holds
    assert schema.json_ld(postponed, url=SITE)["eventStatus"].endswith("EventPostponed")
    online = make(
        utc(2024, 3, 14, 20),
        utc(2024, 3, 14, 21),
        status="moved_online",
        online_url="https://meet.example/x",
    )
    data = schema.json_ld(online, url=SITE)
    assert data["eventStatus"] == "https://schema.org/EventMovedOnline"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {
        "@type": "VirtualLocation",
        "url": "https://meet.example/x",
    }


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "America/New_York"])
def test_json_ld_holds_any_stored_date(zone):
    first = datetime.min.replace(tzinfo=UTC)
    last = datetime.max.replace(tzinfo=UTC)
    early = schema.json_ld(make(first, first + timedelta(hours=1), zone=zone), url=SITE)
    late = schema.json_ld(make(last - timedelta(hours=1), last, zone=zone), url=SITE)
    assert early["startDate"].startswith("0001-01-01T")
    assert late["endDate"].startswith("9999-12-31T")
