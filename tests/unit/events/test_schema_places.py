"""blog.events.schema with venues, organisers, online links and repeating
events: ``Place`` with a ``PostalAddress``, ``Organization``,
``VirtualLocation`` and the attendance mode, a series described by the date
a page shows. Events built in memory (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from blog.events import recurrence, schema
from blog.models import Organiser, Venue
from tests.unit.events.helpers import SITE, make, utc
from tests.unit.events.series_helpers import seminar

PAGE = f"{SITE}/events/bridges/"
VENUE_PAGE = f"{SITE}/events/venue/hall-of-maps/"
MEET = "https://meet.example/abc"
ONLINE = "https://schema.org/OnlineEventAttendanceMode"
MIXED = "https://schema.org/MixedEventAttendanceMode"
OFFLINE = "https://schema.org/OfflineEventAttendanceMode"


def test_a_venue_and_an_organiser_are_a_place_and_an_organization():
    post = make(utc(2024, 3, 14, 20), utc(2024, 3, 14, 21), online_url=MEET)
    post.event.venue = Venue(
        slug="hall-of-maps",
        name="Hall of Maps",
        street_address="1 Quay Street",
        locality="Riverton",
        region="",
        postal_code="RV1 2AB",
        country="GB",
    )
    post.event.organiser = Organiser(
        slug="lantern",
        name="The Lantern Project",
        email="hello@lantern.example",
        phone="+44 20 7946 0000",
        website="https://lantern.example",
    )
    data = schema.json_ld(
        post,
        url=PAGE,
        venue_url=VENUE_PAGE,
        organizer_name="The Blog",
        organizer_url=SITE,
    )
    assert data["eventAttendanceMode"] == MIXED
    assert data["location"] == [
        {
            "@type": "Place",
            "name": "Room 220, Hall of Maps",
            "url": VENUE_PAGE,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": "1 Quay Street",
                "addressLocality": "Riverton",
                "postalCode": "RV1 2AB",
                "addressCountry": "GB",
            },
        },
        {"@type": "VirtualLocation", "url": MEET},
    ]
    assert data["organizer"][:2] == [
        {
            "@type": "Organization",
            "name": "The Lantern Project",
            "url": "https://lantern.example",
            "email": "hello@lantern.example",
            "telephone": "+44 20 7946 0000",
        },
        {"@type": "Organization", "name": "The Blog", "url": SITE},
    ]


@pytest.mark.parametrize(
    ("fields", "mode", "location"),
    [
        (
            {},
            OFFLINE,
            {
                "@type": "Place",
                "name": "Room 220, Hall of Maps",
                "address": "1 Quay Street",
            },
        ),
        (
            {"venue_name": "", "venue_address": "", "room": "", "online_url": MEET},
            ONLINE,
            {"@type": "VirtualLocation", "url": MEET},
        ),
        (
            {"status": "moved_online", "online_url": MEET},
            ONLINE,
            {"@type": "VirtualLocation", "url": MEET},
        ),
        (
            {"status": "moved_online"},  # no link yet: the page says how to join
            ONLINE,
            {"@type": "VirtualLocation", "url": PAGE},
        ),
    ],
)
def test_the_attendance_mode_follows_the_place_and_the_link(fields, mode, location):
    post = make(utc(2024, 3, 14, 20), utc(2024, 3, 14, 21), **fields)
    data = schema.json_ld(post, url=PAGE)
    assert (data["eventAttendanceMode"], data["location"]) == (mode, location)


def test_a_series_is_described_by_the_date_shown():
    post = seminar()
    data = schema.json_ld(
        post, url=PAGE, occurrence=recurrence.find(post, date(2024, 12, 5))
    )
    assert (data["startDate"], data["endDate"]) == (
        "2024-12-05T16:00:00-05:00",
        "2024-12-05T17:00:00-05:00",
    )
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    moved = schema.json_ld(
        post, url=PAGE, occurrence=recurrence.find(post, date(2024, 10, 10))
    )
    assert moved["startDate"] == "2024-10-11T16:00:00-04:00"
    assert moved["eventStatus"] == "https://schema.org/EventRescheduled"
    assert moved["previousStartDate"] == "2024-10-10T16:00:00-04:00"
    cancelled = schema.json_ld(
        post, url=PAGE, occurrence=recurrence.find(post, date(2024, 11, 28))
    )
    assert cancelled["eventStatus"] == "https://schema.org/EventCancelled"
    # without a date shown: the first
    assert schema.json_ld(post, url=PAGE)["startDate"] == "2024-09-05T16:00:00-04:00"
