"""Dates at the ends of the calendar: the editor takes only the years 1900
to 2200, saying so next to the field; and events stored with any date
Python holds (before that check, or by an importer) still show on every
page and in every calendar, whatever the site's time zone is changed to.

Pacific/Kiritimati (UTC+14 now, UTC-10:29 before 1901) and America/Adak
(UTC-10 now, UTC+12:13 before 1867) push a UTC instant near year 1 or 9999
off the end of the calendar in one direction or the other.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlalchemy import select, update

from blog.extensions import db
from blog.models import Event, Post, Role
from blog.site.settings import save_settings
from tests.functional.events.test_editor import post_form, seed_form

FIRST = datetime.min.replace(tzinfo=UTC)
LAST = datetime.max.replace(tzinfo=UTC)
ZONES = ["UTC", "Pacific/Kiritimati", "America/Adak"]


def _local_midnight(day: date, zone: str) -> datetime:
    """The UTC instant a local day starts; the last instant past 9999."""
    try:
        return datetime.combine(day, time(0), ZoneInfo(zone)).astimezone(UTC)
    except OverflowError:
        return LAST


#: name -> (starts_at, ends_at, all_day), as stored.
EXTREMES = {
    "on 0001-01-01": lambda zone: (FIRST, FIRST + timedelta(hours=1), False),
    "on 9999-12-31": lambda zone: (LAST - timedelta(hours=1), LAST, False),
    "all day from year 2 to 9998": lambda zone: (
        _local_midnight(date(2, 1, 1), zone),
        _local_midnight(date(9999, 1, 1), zone),
        True,
    ),
    "all day on 9999-12-31": lambda zone: (
        _local_midnight(date.max, zone),
        LAST,
        True,
    ),
}


@pytest.fixture
def extreme_event(app, make_user, make_event, make_post):
    """Store an event (and an article by its author) at an extreme date,
    then set the site's zone; returns the event post."""

    def store(case: str, zone: str) -> Post:
        author = make_user(Role.AUTHOR, "ann")
        make_post("An ordinary article", author=author)
        post = make_event(author=author, timezone=zone, categories="Policy")
        starts_at, ends_at, all_day = EXTREMES[case](zone)
        with app.app_context():
            db.session.execute(
                update(Event)
                .where(Event.post_id == post.id)
                .values(starts_at=starts_at, ends_at=ends_at, all_day=all_day)
            )
            db.session.commit()
            save_settings({"timezone": zone})
            db.session.commit()
        return post

    return store


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("case", list(EXTREMES))
def test_every_page_and_calendar_shows_an_event_at_the_ends(
    app, client, make_user, auth, extreme_event, case, zone
):
    post = extreme_event(case, zone)
    starts_at, ends_at, all_day = EXTREMES[case](zone)
    upcoming = ends_at > datetime.now(UTC)
    public = [
        f"/events/{post.slug}/",
        "/events/",
        "/events/past/",
        "/events.ics",
        f"/events/{post.slug}.ics",
        "/events/category/policy.ics",
        "/",
        "/author/ann/",
    ]
    for path in public:
        response = client.get(path)
        assert response.status_code == 200, path
    page = client.get(f"/events/{post.slug}/").get_data(as_text=True)
    assert re.search(r'<dd class="event-when"><time datetime="\d{4}-', page)
    listing = "/events/" if upcoming else "/events/past/"
    assert post.title in client.get(listing).get_data(as_text=True)
    for path in (f"/events/{post.slug}.ics", "/events.ics"):
        parsed = icalendar.Calendar.from_ical(client.get(path).get_data())
        starts = [item.decoded("dtstart") for item in parsed.walk("VEVENT")]
        if upcoming:  # in the feed of upcoming events too
            assert len(starts) == 1
        for start in starts:
            if all_day:
                assert abs(start - starts_at.date()) <= timedelta(days=1)
            else:
                assert start == starts_at.replace(microsecond=0)
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    for path in ("/dashboard/events/", f"/dashboard/events/{post.id}/edit"):
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("stored", [FIRST, LAST - timedelta(minutes=1)])
def test_an_article_dated_at_the_ends_still_shows(
    app, client, make_user, make_post, auth, stored, zone
):
    author = make_user(Role.AUTHOR, "ann")
    make_post("An ordinary article", author=author)
    post = make_post("A dated article", author=author)
    with app.app_context():
        db.session.execute(
            update(Post).where(Post.id == post.id).values(published_at=stored)
        )
        db.session.commit()
        save_settings({"timezone": zone})
        db.session.commit()
    for path in ("/", "/author/ann/"):
        page = client.get(path)
        assert page.status_code == 200, path
    if stored < datetime.now(UTC):  # visible: its own page, at its address
        home = client.get("/").get_data(as_text=True)
        address = re.search(r'href="(/\d+/\d\d/a-dated-article/)"', home)[1]
        article = client.get(address)
        assert article.status_code == 200
        assert "A dated article" in article.get_data(as_text=True)
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    for path in ("/dashboard/posts/", f"/dashboard/posts/{post.id}/edit"):
        assert client.get(path).status_code == 200, path


# The editor's range -----------------------------------------------------------


def _event_page(client, **fields):
    return post_form(
        client,
        "/dashboard/events/new",
        seed_form(featured_image=None, featured_image_alt="", **fields),
    )


@pytest.mark.parametrize(
    ("fields", "at_fault"),
    [
        ({"start_date": "1899-12-31", "end_date": "1899-12-31"}, "start_date"),
        ({"start_date": "2201-01-01", "end_date": "2201-01-01"}, "start_date"),
        ({"end_date": "2201-01-01"}, "end_date"),
        ({"accommodations_deadline": "1899-12-31"}, "accommodations_deadline"),
        (
            {"all_day": "y", "start_date": "1899-12-31", "end_date": "1900-01-01"},
            "start_date",
        ),
    ],
)
def test_the_event_editor_refuses_years_outside_1900_to_2200(
    app, client, make_user, auth, fields, at_fault
):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    response = _event_page(client, **fields)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert re.search(
        rf'id="{at_fault}-error">Choose a date between 1900 and 2200\.', page
    )
    assert f'value="{fields.get(at_fault, "")}"' in page  # what was typed, kept
    assert 'value="Quiet Channels: Can Unofficial Talks Restart Diplomacy?"' in page
    with app.app_context():
        assert db.session.scalar(select(Post)) is None


@pytest.mark.parametrize(
    ("fields", "starts_at"),
    [
        (
            {
                "start_date": "1900-01-01",
                "end_date": "1900-01-01",
                "timezone": "America/Adak",
            },
            datetime(1900, 1, 1, 16, tzinfo=ZoneInfo("America/Adak")),
        ),
        (
            # Without an end it lasts an hour: into 2201, which is fine.
            {
                "start_date": "2200-12-31",
                "start_time": "23:30",
                "end_date": "",
                "end_time": "",
                "timezone": "Pacific/Kiritimati",
                "accommodations_deadline": "2200-12-30",
            },
            datetime(2200, 12, 31, 23, 30, tzinfo=ZoneInfo("Pacific/Kiritimati")),
        ),
        (
            {
                "all_day": "y",
                "start_date": "2200-12-31",
                "end_date": "2200-12-31",
                "timezone": "America/Adak",
            },
            datetime(2200, 12, 31, tzinfo=ZoneInfo("America/Adak")),
        ),
    ],
)
def test_the_event_editor_takes_the_first_and_last_accepted_years(
    app, client, make_user, auth, fields, starts_at
):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    response = _event_page(client, **fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        post = db.session.scalar(select(Post))
        assert post.event.starts_at == starts_at
        slug = post.slug
    assert client.get(f"/events/{slug}/").status_code == 200
    parsed = icalendar.Calendar.from_ical(client.get(f"/events/{slug}.ics").get_data())
    (item,) = parsed.walk("VEVENT")
    start = item.decoded("dtstart")
    expected = starts_at.date() if "all_day" in fields else starts_at
    assert start == expected


@pytest.mark.parametrize(
    "typed",
    ["0000-01-01", "10000-01-01", "2024-02-30", "31/12/2024", "2024-13-01", "x" * 300],
)
def test_a_date_the_form_cannot_read_is_a_message_not_an_error(
    app, client, make_user, auth, typed
):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    for name in ("start_date", "end_date", "accommodations_deadline"):
        response = _event_page(client, **{name: typed})
        assert response.status_code == 200
        assert re.search(rf'id="{name}-error">', response.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(select(Post)) is None
