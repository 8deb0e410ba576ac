"""Listings of dates: a weekly series once per date among one-off events,
in order and in pages; the "This week" / "This month" ranges; past dates
newest first; the home page, the events feed and the calendar files.

The clock is fixed by handing ``now`` to the services, and by replacing
the modules' ``utcnow`` for the pages.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime

import icalendar
import pytest

from blog.events import listings
from blog.extensions import db
from blog.site.settings import save_settings
from tests.functional.feeds.helpers import SITE, parse

#: A Monday, noon UTC (8 a.m. EDT).
NOW = datetime(2030, 3, 11, 12, 0, tzinfo=UTC)
SEMINAR = "/events/seminar/"


def moved(day: int, hour: int) -> tuple[date, str, datetime, datetime]:
    """April ``day`` at ``hour`` UTC, one hour long."""
    start = datetime(2030, 4, day, hour, tzinfo=UTC)
    return (date(2030, 4, 2), "moved", start, start.replace(hour=hour + 1))


@pytest.fixture
def season(make_event, make_series):
    """A weekly seminar (Tuesdays 4 p.m. New York, six dates: the 19th
    skipped, the 26th cancelled, April 2 moved to April 3 at 6 p.m.) among
    one-off events, one far beyond the series' horizon."""
    make_series(
        "Seminar",
        slug="seminar",
        start="2030-03-12 16:00",
        end="2030-03-12 17:00",
        count=6,
        categories="Talks",
        changes=[
            (date(2030, 3, 19), "skipped"),
            (date(2030, 3, 26), "cancelled"),
            moved(3, 22),
        ],
    )
    make_event(
        "Alpha", slug="alpha", start="2030-03-13 10:00", end=None, categories="Talks"
    )
    make_event("Beta", slug="beta", start="2030-03-27 10:00", end=None)
    make_event("Gamma", slug="gamma", start="2031-06-01 10:00", end=None)
    make_event("Old", slug="old", start="2029-01-01 10:00", end=None)
    # A monthly series that starts beyond a year from now is listed too.
    make_series(
        "Later",
        slug="later",
        repeat="monthly",
        start="2031-07-01 10:00",
        end=None,
        count=2,
    )


def _dates(found) -> list[str]:
    return [f"{o.post.title} {o.day:%m-%d}" for o in found]


ALL = [
    "Seminar 03-12",
    "Alpha 03-13",
    "Seminar 03-26",
    "Beta 03-27",
    "Seminar 04-02",
    "Seminar 04-09",
    "Seminar 04-16",
    "Gamma 06-01",
    "Later 07-01",
    "Later 08-01",
]


def test_dates_are_merged_in_order_and_paged(app, season):
    with app.app_context():
        pages = [listings.upcoming_page(NOW, page=n, per_page=3) for n in (1, 2, 3, 4)]
        assert [_dates(p.items) for p in pages] == [
            ALL[:3],
            ALL[3:6],
            ALL[6:9],
            ALL[9:],
        ]
        assert (pages[0].total, pages[0].pages, pages[1].has_prev) == (10, 4, True)
        assert pages[0].items[2].cancelled and pages[1].items[1].moved
        # Ranges on the site's clock: to Sunday night, to the month's end.
        week = listings.range_end("week", NOW, UTC)
        assert week == datetime(2030, 3, 18, tzinfo=UTC)
        assert (
            _dates(listings.upcoming_page(NOW, page=1, per_page=9, until=week).items)
            == ALL[:2]
        )
        month = listings.range_end("month", NOW, UTC)
        assert (
            _dates(listings.upcoming_page(NOW, page=1, per_page=9, until=month).items)
            == ALL[:4]
        )
        talks = listings.upcoming_page(NOW, page=1, per_page=9, category="talks")
        assert [d for d in _dates(talks.items)] == [
            d for d in ALL if not d.startswith(("Beta", "Gamma", "Later"))
        ]
        # Later on: what has ended is past, newest first; running is upcoming.
        later = datetime(2030, 4, 9, 20, 30, tzinfo=UTC)  # the 9th's, running
        past = listings.past_page(later, page=1, per_page=9)
        assert _dates(past.items) == [*reversed(ALL[:5]), "Old 01-01"]
        assert _dates(listings.next_occurrences(2, later)) == ALL[5:7]
        assert _dates(listings.upcoming_summary(later)) == ALL[5:8]


def test_the_listing_page_links_each_date(app, client, season, monkeypatch):
    monkeypatch.setattr("blog.views.events.utcnow", lambda: NOW)
    with app.app_context():
        save_settings({"posts_per_page": 3})
        db.session.commit()
    page = client.get("/events/?range=month").get_data(as_text=True)
    main = page[page.index("<main") :]
    links = re.findall(r'<h3 class="entry-title"><a href="([^"]+)"', main)
    assert links == [f"{SEMINAR}2030-03-12/", "/events/alpha/", f"{SEMINAR}2030-03-26/"]
    assert "Tuesday, March 12, 2030, 4:00–5:00 p.m. EDT" in main
    assert main.count("Repeats weekly") == 2
    assert "<strong>Cancelled</strong>" in main
    assert '?range=month" aria-current="page">This month</a>' in main
    # The pager and the canonical address keep the range.
    assert 'rel="next" href="/events/?range=month&amp;page=2"' in page
    assert 'rel="canonical" href="http://localhost/events/?range=month"' in page
    second = client.get("/events/?range=month&page=2").get_data(as_text=True)
    assert "/events/beta/" in second and "Gamma" not in second
    week = client.get("/events/?range=week&category=talks").get_data(as_text=True)
    assert re.findall(r'entry-title"><a href="([^"]+)"', week) == [
        f"{SEMINAR}2030-03-12/",
        "/events/alpha/",
    ]
    assert '<input type="hidden" name="range" value="week">' in week
    assert 'href="/events/2030/03/">Month view</a>' in week
    assert client.get("/events/?page=5").status_code == 404


def test_home_feed_and_calendar_files(app, client, season, monkeypatch):
    monkeypatch.setattr("blog.events.listings.utcnow", lambda: NOW)
    monkeypatch.setattr("blog.feeds.queries.utcnow", lambda: NOW)
    home = html.unescape(client.get("/").get_data(as_text=True))
    assert re.findall(r'<li><a href="(/events/[^"]+)">', home) == [
        f"{SEMINAR}2030-03-12/",
        "/events/alpha/",
        f"{SEMINAR}2030-03-26/",
    ]
    assert "Tue, Mar 26, 4:00 p.m. EDT</time> · Cancelled" in home
    feed = parse(client, "/events/feed/")
    entries = [(e.title, e.link, e.id) for e in feed.entries]
    guid = entries[0][2]
    assert entries[:5] == [
        ("Seminar (Tue, Mar 12, 4:00 p.m. EDT)", f"{SITE}{SEMINAR}2030-03-12/", guid),
        ("Alpha (Wed, Mar 13, 10:00 a.m. EDT)", f"{SITE}/events/alpha/", entries[1][2]),
        (
            "Cancelled: Seminar (Tue, Mar 26, 4:00 p.m. EDT)",
            f"{SITE}{SEMINAR}2030-03-26/",
            guid.replace("2030-03-12", "2030-03-26"),
        ),
        ("Beta (Wed, Mar 27, 10:00 a.m. EDT)", f"{SITE}/events/beta/", entries[3][2]),
        (
            "Seminar (Wed, Apr 3, 6:00 p.m. EDT)",
            f"{SITE}{SEMINAR}2030-04-02/",
            guid.replace("2030-03-12", "2030-04-02"),
        ),
    ]
    assert guid.endswith("#2030-03-12") and "#" not in entries[1][2]
    # Calendar files: one VEVENT per event, a series still running included.
    monkeypatch.setattr(
        "blog.events.listings.utcnow", lambda: datetime(2030, 4, 5, tzinfo=UTC)
    )
    cal = icalendar.Calendar.from_ical(client.get("/events.ics").data)
    masters = [e for e in cal.walk("VEVENT") if "RECURRENCE-ID" not in e]
    assert [str(e["summary"]) for e in masters] == ["Seminar", "Gamma", "Later"]
    talks = icalendar.Calendar.from_ical(client.get("/events/category/talks.ics").data)
    assert {str(e["summary"]) for e in talks.walk("VEVENT")} == {"Seminar"}
