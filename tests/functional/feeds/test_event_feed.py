"""The events feed (/events/feed/): upcoming events, soonest first, each
saying when it happens; past, draft and scheduled events stay out."""

from __future__ import annotations

from datetime import timedelta

from blog.models import utcnow
from tests.functional.feeds.helpers import SITE, check_atom, check_rss, parse


def test_upcoming_events_with_their_dates(client, make_event):
    later = make_event(
        "Garden tour",
        start="2031-05-02 10:00",
        end="2031-05-02 12:00",
        venue_name="Community Garden",
        categories="Outdoors",
    )
    make_event("Bee talk", start="2031-04-01 18:00", end="2031-04-01 19:30")
    make_event("Long gone", start="2001-04-01 18:00", end="2001-04-01 19:30")
    make_event("Not ready", start="2031-04-03 18:00", end=None, publish=False)
    make_event(
        "Announced later",
        start="2031-04-04 18:00",
        end=None,
        publish_at=utcnow() + timedelta(days=2),
    )
    rss = parse(client, "/events/feed/")
    check_rss(rss.response.data, f"{SITE}/events/feed/")
    atom = parse(client, "/events/feed/atom/")
    check_atom(atom.response.data, f"{SITE}/events/feed/atom/")
    for feed in (rss, atom):
        assert feed.feed.title == "My Blog » Events"
        assert feed.feed.link == f"{SITE}/events/"
        assert [e.title for e in feed.entries] == [
            "Bee talk (Tue, Apr 1, 6:00 p.m. EDT)",
            "Garden tour (Fri, May 2, 10:00 a.m. EDT)",
        ]
        tour = feed.entries[1]
        assert tour.link == f"{SITE}/events/{later.slug}/"
        assert tour.id == f"{SITE}/?p={later.id}"
        assert "Friday, May 2, 2031, 10:00 a.m.\u201312:00 p.m. EDT" in tour.summary
        assert "Community Garden" in tour.summary
        assert [t.term for t in tour.tags] == ["Outdoors"]
        for hidden in (b"Long gone", b"Not ready", b"Announced later"):
            assert hidden not in feed.response.data


def test_a_cancelled_event_says_so(client, make_event):
    make_event(
        "Picnic", start="2031-06-01 12:00", end="2031-06-01 14:00", status="cancelled"
    )
    [entry] = parse(client, "/events/feed/").entries
    assert entry.title.startswith("Cancelled: Picnic (")


def test_the_events_feed_answers_304(client, make_event):
    make_event("Bee talk", start="2031-04-01 18:00", end="2031-04-01 19:30")
    etag = client.get("/events/feed/").headers["ETag"]
    assert (
        client.get("/events/feed/", headers={"If-None-Match": etag}).status_code == 304
    )


def test_an_event_cannot_take_the_feeds_address(client, make_event):
    post = make_event("Feed", start="2031-04-01 18:00", end="2031-04-01 19:30")
    assert post.slug == "feed-event"
    assert client.get("/events/feed-event/").status_code == 200
    assert parse(client, "/events/feed/").entries[0].title.startswith("Feed (")
