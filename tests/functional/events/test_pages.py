"""What readers see of events: the event page in the seed's order, listings,
calendar files and feeds, redirects, and constant query counts."""

from __future__ import annotations

import html
import io
import json
import re
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from sqlalchemy import select

from blog import events
from blog.events import PersonInput, SponsorInput
from blog.events.when import local_span
from blog.extensions import db
from blog.media import ImageInput, Uploads
from blog.models import Post, Role, Setting, User
from blog.posts import PostInput, SaveAction
from blog.site import promo
from tests.fixtures_events import png_bytes

SOON = (datetime.now(UTC) + timedelta(days=10)).strftime("%Y-%m-%d")
SEED_DAY = "2031-03-13"  # a Thursday, in daylight time in New York


def seed_like(make_event, **overrides):
    """An event shaped like the seed page, with our own sample content."""
    fields = dict(
        body="Can quiet, unofficial talks open doors that official ones closed?",
        start=f"{SEED_DAY} 16:00",
        end=f"{SEED_DAY} 17:30",
        timezone="America/New_York",
        venue_name="Lakeside Hall",
        room="Room 341",
        venue_address="12 Harbor Road, Riverton",
        categories="Diplomacy",
        audiences=("Faculty", "Staff", "The public", "Students"),
        units=("Institute for Global Dialogue", "East Asia Programme"),
        people=[
            PersonInput("Mira Castellanos", "Harbor University"),
            PersonInput("Tomas Eriksen", "Northfield Policy Centre"),
            PersonInput("Aiko Brandt", "Bridgeway Foundation"),
            PersonInput("Samuel Okoro", "Riverton College", role="moderator"),
        ],
        sponsors=[
            SponsorInput("The Lantern Project", "https://lantern.example"),
            SponsorInput("Programme on Conflict and Cooperation"),
        ],
        contact_name="Priya Nandakumar",
        contact_email="priya@example.org",
        image=ImageInput(
            upload=io.BytesIO(png_bytes()),
            filename="hall.png",
            alt="The old lecture hall in winter",
            caption="Lakeside Hall, before the new wing",
        ),
    )
    fields.update(overrides)
    return make_event(
        "Quiet Channels: Can Unofficial Talks Restart Diplomacy?", **fields
    )


def set_promo(app, make_user, **fields) -> None:
    admin = make_user(Role.ADMIN)
    with app.app_context():
        actor = db.session.get(User, admin.id)
        data = promo.PromoInput(
            title=fields.get("title", "Fifty Years of Dialogue"),
            text=fields.get("text", "A year of talks.\n\nJoin us all autumn."),
            link=fields.get("link", "/events/"),
        )
        promo.save_promo(actor, data, current={}, uploads=Uploads.of(app))


def assert_in_order(page: str, markers: list[str]) -> None:
    """Each marker appears after the one before it."""
    position = 0
    for before, marker in zip(["(start)", *markers], markers, strict=False):
        found = page.find(marker, position)
        assert found >= 0, f"{marker!r} is missing after {before!r}"
        position = found + len(marker)


def test_the_event_page_shows_every_part_in_the_seeds_order(
    app, client, make_user, make_event
):
    set_promo(app, make_user)
    post = seed_like(make_event)
    response = client.get(f"/events/{post.slug}/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    main = page[page.index('<main id="content"') :]
    markers = [
        "Quiet Channels: Can Unofficial Talks Restart Diplomacy?",
        "Thursday, March 13, 2031, 4:00–5:30 p.m. EDT",
        "Room 341",
        "Add to:",
        ">Outlook</summary>",
        ">Outlook.com</a>",
        ">Microsoft 365</a>",
        ">iCal</a>",
        ">Google Calendar</a>",
        "Can quiet, unofficial talks",
        ">Speakers</h2>",
        "Mira Castellanos",
        "Harbor University",
        "Tomas Eriksen",
        "Aiko Brandt",
        ">Moderator</h2>",
        "Samuel Okoro",
        "Riverton College",
        ">Co-sponsored by</h2>",
        "The Lantern Project",
        "Programme on Conflict and Cooperation",
        ">Categories</h2>",
        "Diplomacy",
        ">Open to</h2>",
        "Faculty",
        ">Organising units</h2>",
        "East Asia Programme",
        "Institute for Global Dialogue",
        ">Contact</h2>",
        "Priya Nandakumar",
        "Contact <bdi>Priya Nandakumar</bdi></a> to request accommodations",
        'alt="The old lecture hall in winter"',
        "Lakeside Hall, before the new wing",
        "Fifty Years of Dialogue",
        "Leave a Reply",
    ]
    assert_in_order(main, markers)
    assert page.index("Skip to content") < page.index('<main id="content"')
    assert '<a href="mailto:priya@example.org">priya@example.org</a>' in main
    for audience in ("Faculty", "Staff", "Students", "The public"):
        assert f"><bdi>{audience}</bdi></a>" in main


def test_calendar_links_point_at_the_same_event(client, make_event):
    post = seed_like(make_event, image=ImageInput())
    page = html.unescape(client.get(f"/events/{post.slug}/").get_data(as_text=True))
    assert f'href="/events/{post.slug}.ics"' in page
    google = re.search(r'href="(https://calendar\.google\.com/[^"]+)"', page)[1]
    outlook = re.search(r'href="(https://outlook\.live\.com/[^"]+)"', page)[1]
    office = re.search(r'href="(https://outlook\.office\.com/[^"]+)"', page)[1]
    assert "action=TEMPLATE" in google and "ctz=America%2FNew_York" in google
    assert "dates=20310313T200000Z%2F20310313T213000Z" in google
    assert "startdt=2031-03-13T20%3A00%3A00Z" in outlook
    assert "startdt=" in outlook and "subject=Quiet+Channels" in outlook
    assert office.split("?")[1] == outlook.split("?")[1]  # Microsoft 365: the same


def test_json_ld_is_data_that_cannot_close_its_script(client, make_event):
    post = make_event("Talk </script><script>alert(1)</script> & more")
    page = client.get(f"/events/{post.slug}/").get_data(as_text=True)
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match is not None
    assert "<script>alert" not in page
    data = json.loads(match[1])
    assert data["@type"] == "Event"
    assert data["name"] == "Talk </script><script>alert(1)</script> & more"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["url"] == f"http://localhost/events/{post.slug}/"


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("cancelled", "this event has been cancelled"),
        ("postponed", "this event has been postponed"),
        ("moved_online", "this event now takes place online"),
    ],
)
def test_a_status_other_than_scheduled_is_shown_prominently(
    client, make_event, status, words
):
    post = make_event(status=status, online_url="https://meet.example/room")
    page = client.get(f"/events/{post.slug}/").get_data(as_text=True)
    banner = page[page.index('class="event-status-banner"') :]
    assert words in banner[:300]
    if status == "moved_online":
        assert page.index("event-status-banner") < page.index("Add to:")
    else:  # no date to add to a calendar
        assert "Add to:" not in page and "calendar.google.com" not in page
    listing = client.get("/events/").get_data(as_text=True)
    assert "event-status-badge" in listing


def test_no_banner_when_scheduled(client, make_event):
    post = make_event()
    page = client.get(f"/events/{post.slug}/").get_data(as_text=True)
    assert "event-status-banner" not in page


def test_drafts_and_unknown_events_are_404(client, make_event):
    draft = make_event("Not yet", publish=False)
    assert client.get(f"/events/{draft.slug}/").status_code == 404
    assert client.get(f"/events/{draft.slug}.ics").status_code == 404
    assert client.get("/events/no-such-event/").status_code == 404
    assert "Not yet" not in client.get("/events/").get_data(as_text=True)
    assert b"Not yet" not in client.get("/events.ics").data


def test_a_changed_slug_redirects_with_301(app, client, make_event):
    post = make_event("First title")
    with app.app_context():
        stored = db.session.get(Post, post.id)
        actor = stored.author
        start, _end = local_span(stored.event)
        data = events.EventInput(
            post=PostInput(title="Second title", body="x"),
            start_date=start.date(),
            start_time=start.time(),
            timezone=stored.event.timezone,
        )
        events.save_event(actor, data, stored, action=SaveAction.PUBLISH)
    response = client.get("/events/first-title/")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/events/second-title/")
    ics = client.get("/events/first-title.ics")
    assert ics.status_code == 301
    assert ics.headers["Location"].endswith("/events/second-title.ics")


def test_the_ics_file_parses_and_names_the_event(client, make_event):
    post = seed_like(make_event, image=ImageInput())
    response = client.get(f"/events/{post.slug}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    cal = icalendar.Calendar.from_ical(response.data)
    (item,) = cal.walk("VEVENT")
    assert str(item["summary"]).startswith("Quiet Channels")
    assert str(item["uid"]) == f"event-{post.id}@localhost"
    assert str(item["url"]) == f"http://localhost/events/{post.slug}/"
    assert item["dtstart"].params["TZID"] == "America/New_York"
    assert item.decoded("dtstart").hour == 16
    assert str(item["organizer"]) == "mailto:priya@example.org"
    assert "Lakeside Hall" in str(item["location"])
    assert [tz.tz_name for tz in cal.timezones] == ["America/New_York"]


def test_feeds_hold_upcoming_events_and_one_per_category(client, make_event):
    make_event("Policy talk", categories="Policy", start=f"{SOON} 10:00", end=None)
    make_event("Garden walk", categories="Gardens", start=f"{SOON} 12:00", end=None)
    make_event("Old talk", categories="Policy", start="2020-01-01 10:00", end=None)
    feed = icalendar.Calendar.from_ical(client.get("/events.ics").data)
    titles = [str(e["summary"]) for e in feed.walk("VEVENT")]
    assert titles == ["Policy talk", "Garden walk"]
    policy = icalendar.Calendar.from_ical(
        client.get("/events/category/policy.ics").data
    )
    assert [str(e["summary"]) for e in policy.walk("VEVENT")] == ["Policy talk"]
    assert client.get("/events/category/nothing.ics").status_code == 404


def test_upcoming_are_grouped_by_month_soonest_first(client, make_event):
    now = datetime.now(UTC)
    later = now + timedelta(days=70)
    soon = now + timedelta(days=3)
    make_event("Later one", start=f"{later:%Y-%m-%d} 10:00", end=None, timezone="UTC")
    make_event("Soon one", start=f"{soon:%Y-%m-%d} 10:00", end=None, timezone="UTC")
    make_event("Done one", start="2021-05-05 10:00", end=None, timezone="UTC")
    page = client.get("/events/").get_data(as_text=True)
    assert page.index("Soon one") < page.index("Later one")
    assert "Done one" not in page
    assert f"{soon:%B} {soon.year}</h2>" in page
    assert f"{later:%B} {later.year}</h2>" in page
    past = client.get("/events/past/").get_data(as_text=True)
    assert "Done one" in past and "Soon one" not in past


def test_past_events_are_newest_first_and_paginated(app, client, make_event):
    for year in range(2011, 2023):
        make_event(f"Event of {year}", start=f"{year}-06-01 10:00", end=None)
    first = client.get("/events/past/").get_data(as_text=True)
    assert first.index("Event of 2022") < first.index("Event of 2021")
    assert "Event of 2012" not in first  # ten per page
    second = client.get("/events/past/?page=2").get_data(as_text=True)
    assert "Event of 2012" in second and "Event of 2011" in second
    assert client.get("/events/past/?page=9").status_code == 404


def test_listing_filters_by_category_and_audience(client, make_event):
    make_event("For students", categories="Policy", audiences=("Students",))
    make_event("For faculty", categories="Policy", audiences=("Faculty",))
    make_event("Gardening", categories="Gardens", audiences=("Students",))
    page = client.get("/events/?category=policy").get_data(as_text=True)
    assert "For students" in page and "For faculty" in page
    assert "Gardening" not in page
    page = client.get("/events/?category=policy&audience=students").get_data(
        as_text=True
    )
    assert "For students" in page
    assert "For faculty" not in page and "Gardening" not in page
    assert 'href="/events/category/policy.ics"' in page
    everything = client.get("/events/").get_data(as_text=True)
    assert '<option value="students"' in everything


def test_the_home_page_lists_upcoming_events(client, make_event, make_post):
    make_post("An article")
    make_event("Coming up", start=f"{SOON} 10:00", end=None)
    page = client.get("/").get_data(as_text=True)
    assert "Upcoming events" in page and "Coming up" in page
    assert "An article" in page


def test_the_promo_block_shows_on_articles_and_events_only_when_set(
    app, client, make_user, make_event, make_post
):
    event = make_event()
    article = make_post("An article")
    article_url = (
        f"/{article.published_at:%Y}/{article.published_at:%m}/{article.slug}/"
    )
    assert 'class="promo"' not in client.get(f"/events/{event.slug}/").get_data(
        as_text=True
    )
    set_promo(app, make_user, title="Open House <Week>")
    for url in (f"/events/{event.slug}/", article_url):
        page = client.get(url).get_data(as_text=True)
        assert 'class="promo"' in page
        assert "Open House &lt;Week&gt;" in page
        assert "<p>Join us all autumn.</p>" in page
        assert '<a href="/events/">Open House' in page


def test_featured_image_is_served_with_its_alt_text(app, client, make_event):
    post = seed_like(make_event)
    page = client.get(f"/events/{post.slug}/").get_data(as_text=True)
    src = re.search(r'<img src="(/media/[^"]+)" alt="The old lecture hall', page)[1]
    with client.get(src) as image:
        assert image.status_code == 200 and image.mimetype == "image/png"
    with app.app_context():
        stored = db.session.scalar(select(Post))
        assert stored.featured_image.width == 40


def _count(client, count_queries, path: str) -> int:
    with count_queries() as counter:
        assert client.get(path).status_code == 200
    return counter.count


def test_the_event_page_is_constant_whatever_it_shows(
    client, make_event, count_queries
):
    # Both have a featured image (its variants take one query, however many).
    plain = make_event(
        "Plain",
        people=[],
        sponsors=[],
        image=ImageInput(upload=io.BytesIO(png_bytes()), alt="A hall"),
    )
    small = _count(client, count_queries, f"/events/{plain.slug}/")
    rich = seed_like(
        make_event,
        people=[PersonInput(f"Speaker {n}", f"Place {n}") for n in range(9)]
        + [PersonInput("Mod", role="moderator"), PersonInput("Host", role="host")],
        sponsors=[SponsorInput(f"Sponsor {n}") for n in range(6)],
        audiences=tuple(f"Audience {n}" for n in range(7)),
        units=tuple(f"Unit {n}" for n in range(4)),
        categories="A, B, C",
    )
    assert _count(client, count_queries, f"/events/{rich.slug}/") == small


@pytest.mark.parametrize("path", ["/events/", "/events/past/", "/events.ics", "/"])
def test_listings_are_constant_whatever_they_show(
    client, make_event, count_queries, path
):
    when = SOON if path != "/events/past/" else "2021-01-01"
    make_event("First", start=f"{when} 09:00", end=None)
    small = _count(client, count_queries, path)
    for n in range(6):
        make_event(
            f"More {n}",
            start=f"{when} 1{n}:00",
            end=None,
            categories=", ".join(f"c{k}" for k in range(n + 1)),
            audiences=tuple(f"a{k}" for k in range(n + 1)),
            people=[PersonInput(f"P{k}", f"Org {k}") for k in range(n + 1)],
            sponsors=[SponsorInput(f"S{k}") for k in range(n)],
        )
    assert _count(client, count_queries, path) == small


def test_an_all_day_online_event_page(client, make_event):
    post = make_event(
        "Open archive days",
        start="2031-06-19 00:00",
        end="2031-06-20 00:00",
        all_day=True,
        timezone="Europe/Paris",
        online_url="https://stream.example/archive",
        registration_url="https://tickets.example/archive",
        cost="Free",
    )
    page = client.get(f"/events/{post.slug}/").get_data(as_text=True)
    assert "Thursday, June 19 – Friday, June 20, 2031, all day" in page
    assert 'href="https://stream.example/archive"' in page
    assert 'href="https://tickets.example/archive"' in page and "Free" in page
    assert "request accommodations" not in page  # no contact given
    cal = icalendar.Calendar.from_ical(client.get(f"/events/{post.slug}.ics").data)
    (item,) = cal.walk("VEVENT")
    assert str(item["location"]) == "https://stream.example/archive"
    assert item.decoded("dtend") - item.decoded("dtstart") == timedelta(days=2)


def test_calendars_hold_any_stored_text(app, client, make_event):
    """A site title or event fields holding line breaks or control
    characters (written before the forms refused them, or by an importer)
    never break a calendar file: no 500, and every value stays on its line."""
    post = make_event(
        "Placeholder", start=f"{SOON} 10:00", end=None, categories="Policy"
    )
    nasty = "Two\r\nlines\x07\x1b\x7f\tand\u2028more"
    with app.app_context():
        stored = db.session.get(Post, post.id)
        stored.title = f"Title {nasty}"
        stored.body_html = f"<p>{nasty}</p>"
        stored.event.venue_name = f"Hall {nasty}"
        stored.event.contact_name = f"Dana {nasty}"
        stored.event.contact_email = "dana@example.org\r\nBcc: x@evil.example"
        db.session.merge(Setting(key="title", value=f"Site {nasty}"))
        db.session.commit()
    for path in (
        "/events.ics",
        f"/events/{post.slug}.ics",
        "/events/category/policy.ics",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        data = response.get_data()
        assert not any(byte < 0x20 and byte not in b"\r\n" for byte in data), path
        assert b"\x7f" not in data and b"\r\nBcc" not in data
        parsed = icalendar.Calendar.from_ical(data)
        (item,) = parsed.walk("VEVENT")
        assert str(item["summary"]) == "Title Two lines and more"
        if path != f"/events/{post.slug}.ics":
            assert str(parsed["x-wr-calname"]).startswith("Site Two lines and more:")
    assert client.get(f"/events/{post.slug}/").status_code == 200


def test_an_odd_stored_slug_still_has_its_calendar_file(app, client, make_event):
    post = make_event("Odd", start=f"{SOON} 10:00", end=None)
    with app.app_context():
        db.session.get(Post, post.id).slug = 'odd "slug" 東京'
        db.session.commit()
    response = client.get("/events/odd%20%22slug%22%20%E6%9D%B1%E4%BA%AC.ics")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'inline; filename="odd--slug----.ics"'
    assert client.get("/events/").status_code == 200
    assert client.get("/events.ics").status_code == 200
