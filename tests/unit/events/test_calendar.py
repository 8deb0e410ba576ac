"""blog.events.calendar and blog.events.links: .ics files and the "Add to
calendar" links (hybrid, online, cancelled and repeating events: see
test_calendar_series.py).

Most tests build events in memory (no database); the SEQUENCE test saves
through the service, since it is the service that counts versions.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest

from blog import events
from blog.events import calendar, links
from blog.events.when import when
from blog.extensions import db
from blog.models import Post, Role, User
from blog.posts import SaveAction
from tests.fixtures_events import event_input
from tests.unit.events.helpers import NOW, SITE, make, parse, utc


def test_the_ics_file_parses_and_holds_every_property():
    post = make(utc(2024, 3, 14, 20), utc(2024, 3, 14, 21, 30))
    item = parse(post)
    assert str(item["uid"]) == "event-7@blog.example.org"
    assert item.decoded("dtstamp") == NOW
    assert str(item["summary"]) == "Bridges & <Talks>"
    assert (
        str(item["description"]) == f"Two voices, one table.\n\n{SITE}/events/bridges/"
    )
    assert str(item["location"]) == "Room 220, Hall of Maps, 1 Quay Street"
    assert str(item["url"]) == f"{SITE}/events/bridges/"
    assert str(item["organizer"]) == "mailto:dana@example.org"
    assert item["organizer"].params["CN"] == "Dana Lee"
    assert str(item["status"]) == "CONFIRMED"
    assert int(item["sequence"]) == 0


def test_the_local_time_and_zone_are_kept_with_a_matching_vtimezone():
    post = make(utc(2024, 3, 14, 20), utc(2024, 3, 14, 21, 30))
    cal = calendar.calendar([post], url_for_post=lambda p: SITE, site_url=SITE, now=NOW)
    text = calendar.ics(cal).decode()
    assert "DTSTART;TZID=America/New_York:20240314T160000" in text
    assert "DTEND;TZID=America/New_York:20240314T173000" in text
    parsed = icalendar.Calendar.from_ical(text)
    assert [tz.tz_name for tz in parsed.timezones] == ["America/New_York"]
    start = next(iter(parsed.walk("VEVENT"))).decoded("dtstart")
    assert start == utc(2024, 3, 14, 20)


def test_an_event_in_another_zone_shows_its_own_local_time():
    # 9:30 a.m. in Tokyo is half past midnight UTC.
    post = make(utc(2024, 5, 2, 0, 30), utc(2024, 5, 2, 2), zone="Asia/Tokyo")
    item = parse(post)
    start = item.decoded("dtstart")
    assert (start.hour, start.minute) == (9, 30)
    assert str(item["dtstart"].params["TZID"]) == "Asia/Tokyo"
    assert start == utc(2024, 5, 2, 0, 30)
    assert when(post.event) == "Thursday, May 2, 2024, 9:30–11:00 a.m. JST"


def test_the_day_after_the_spring_change_uses_daylight_time():
    # New York moved its clocks on March 10, 2024: 4 p.m. is now UTC-4.
    data = event_input(start="2024-03-11 16:00", end="2024-03-11 17:00")
    start, end = events.event_times(data)
    post = make(start, end)
    assert start == utc(2024, 3, 11, 20)
    item = parse(post)
    assert item.decoded("dtstart") == start
    assert when(post.event) == "Monday, March 11, 2024, 4:00–5:00 p.m. EDT"
    google = _google_instants(post)
    outlook = _outlook_instants(post)
    assert google == outlook == (start, end)


def test_an_event_spanning_the_autumn_change_keeps_its_length():
    # Saturday 10 p.m. EDT to Sunday 2 a.m. EST: the clock goes back at 2 a.m.
    zone = ZoneInfo("America/New_York")
    start = datetime(2024, 11, 2, 22, 0, tzinfo=zone).astimezone(UTC)
    end = datetime(2024, 11, 3, 2, 0, tzinfo=zone).astimezone(UTC)
    assert end - start == timedelta(hours=5)
    post = make(start, end)
    item = parse(post)
    assert item.decoded("dtstart") == start and item.decoded("dtend") == end
    # (Python subtracts wall times within one zone, so compare in UTC.)
    length = item.decoded("dtend").astimezone(UTC) - item.decoded("dtstart")
    assert length == timedelta(hours=5)
    assert when(post.event) == (
        "Saturday, November 2, 2024, 10:00 p.m. EDT – "
        "Sunday, November 3, 2024, 2:00 a.m. EST"
    )
    assert _google_instants(post) == _outlook_instants(post) == (start, end)


def _google_instants(post: Post) -> tuple[datetime, datetime]:
    query = parse_qs(urlsplit(links.google_link(post, url=SITE)).query)
    first, second = query["dates"][0].split("/")
    return tuple(  # type: ignore[return-value]
        datetime.strptime(v, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        for v in (first, second)
    )


def _outlook_instants(post: Post) -> tuple[datetime, datetime]:
    query = parse_qs(urlsplit(links.outlook_link(post, url=SITE)).query)
    return tuple(  # type: ignore[return-value]
        datetime.fromisoformat(query[key][0]).astimezone(UTC)
        for key in ("startdt", "enddt")
    )


def test_google_and_outlook_links_carry_the_ics_instant():
    post = make(utc(2024, 3, 14, 20), utc(2024, 3, 14, 21, 30))
    item = parse(post)
    ics_instants = (item.decoded("dtstart"), item.decoded("dtend"))
    assert _google_instants(post) == ics_instants
    assert _outlook_instants(post) == ics_instants
    google = parse_qs(urlsplit(links.google_link(post, url=SITE)).query)
    assert google["action"] == ["TEMPLATE"]
    assert google["text"] == ["Bridges & <Talks>"]
    assert google["ctz"] == ["America/New_York"]
    assert google["location"] == ["Room 220, Hall of Maps, 1 Quay Street"]
    assert google["details"][0].endswith(SITE)
    link = links.google_link(post, url=SITE)
    assert link.startswith("https://calendar.google.com/calendar/render?")
    outlook = links.outlook_link(post, url=SITE)
    assert outlook.startswith("https://outlook.live.com/calendar/0/action/compose?")
    assert parse_qs(urlsplit(outlook).query)["subject"] == ["Bridges & <Talks>"]
    assert parse_qs(urlsplit(outlook).query)["allday"] == ["false"]


def test_all_day_events_are_dates_with_an_exclusive_end():
    zone = ZoneInfo("Europe/Paris")
    start = datetime(2024, 6, 20, tzinfo=zone).astimezone(UTC)
    end = datetime(2024, 6, 22, tzinfo=zone).astimezone(UTC)  # two days
    post = make(start, end, zone="Europe/Paris", all_day=True)
    item = parse(post)
    assert item.decoded("dtstart") == date(2024, 6, 20)
    assert item.decoded("dtend") == date(2024, 6, 22)
    assert (
        "DTSTART;VALUE=DATE:20240620"
        in calendar.ics(
            calendar.calendar(
                [post], url_for_post=lambda p: SITE, site_url=SITE, now=NOW
            )
        ).decode()
    )
    google = parse_qs(urlsplit(links.google_link(post, url=SITE)).query)
    assert google["dates"] == ["20240620/20240622"]
    outlook = parse_qs(urlsplit(links.outlook_link(post, url=SITE)).query)
    assert (outlook["startdt"], outlook["enddt"], outlook["allday"]) == (
        ["2024-06-20"],
        ["2024-06-22"],
        ["true"],
    )
    assert when(post.event) == "Thursday, June 20 – Friday, June 21, 2024, all day"


def test_sequence_grows_with_each_save_and_a_postponed_event_is_redated(app, make_user):
    editor = make_user(Role.EDITOR)
    with app.app_context():
        actor = db.session.get(User, editor.id)
        data = event_input()
        post = events.save_event(actor, data, action=SaveAction.PUBLISH)
        assert int(parse(post)["sequence"]) == 0
        data.post.title = "Talking across borders, again"
        events.save_event(actor, data, post, action=SaveAction.PUBLISH)
        events.save_event(actor, data, post, action=SaveAction.PUBLISH)
        item = parse(post)
        assert int(item["sequence"]) == 2
        assert str(item["uid"]) == f"event-{post.id}@blog.example.org"
        # postponed: no date holds, so calendars cancel their copy...
        data.status = "postponed"
        events.save_event(actor, data, post, action=SaveAction.PUBLISH)
        item = parse(post)
        assert (str(item["status"]), int(item["sequence"])) == ("CANCELLED", 3)
        # ... until the new date, which replaces it (same UID, higher SEQUENCE)
        data.status = "scheduled"
        data.start_date = data.end_date = date(2030, 4, 11)
        events.save_event(actor, data, post, action=SaveAction.PUBLISH)
        item = parse(post)
        assert (str(item["status"]), int(item["sequence"])) == ("CONFIRMED", 4)
        assert str(item["uid"]) == f"event-{post.id}@blog.example.org"
        assert item.decoded("dtstart") == utc(2030, 4, 11, 20)  # 4 p.m. EDT


def test_a_feed_holds_every_event_and_one_vtimezone_per_zone():
    posts = [
        make(utc(2024, 3, 14, 20), utc(2024, 3, 14, 21), post_id=1),
        make(utc(2024, 4, 14, 20), utc(2024, 4, 14, 21), post_id=2),
        make(utc(2024, 4, 15, 8), utc(2024, 4, 15, 9), zone="Europe/Berlin", post_id=3),
    ]
    cal = calendar.calendar(
        posts, url_for_post=lambda p: SITE, site_url=SITE, name="Events", now=NOW
    )
    parsed = icalendar.Calendar.from_ical(calendar.ics(cal))
    assert [str(e["uid"]).split("@")[0] for e in parsed.walk("VEVENT")] == [
        "event-1",
        "event-2",
        "event-3",
    ]
    assert sorted(tz.tz_name for tz in parsed.timezones) == [
        "America/New_York",
        "Europe/Berlin",
    ]
    assert str(parsed["x-wr-calname"]) == "Events"


# Whatever is stored -----------------------------------------------------------
# The editor takes only the years 1900 to 2200 and one-line titles, but rows
# written before those checks (or by an importer) hold anything: the
# calendar file and links are still made, and still parse.

FIRST = datetime.min.replace(tzinfo=UTC)
LAST = datetime.max.replace(tzinfo=UTC)


def _all_day(first: date, last: date, zone: str) -> Post:
    """An all-day event from ``first`` to ``last`` (local days), as the editor
    would have stored it; an end past 9999 is held at the last instant."""
    tz = ZoneInfo(zone)
    start = datetime.combine(first, datetime.min.time(), tz).astimezone(UTC)
    try:
        end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tz)
        end = end.astimezone(UTC)
    except OverflowError:
        end = LAST
    return make(start, end, zone=zone, all_day=True)


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "America/Adak"])
def test_the_first_and_last_instants_make_a_calendar_in_utc(zone):
    for start, end in [
        (FIRST, FIRST + timedelta(hours=1)),
        (LAST - timedelta(hours=1), LAST),
    ]:
        post = make(start, end, zone=zone)
        cal = calendar.calendar(
            [post], url_for_post=lambda p: SITE, site_url=SITE, now=NOW
        )
        parsed = icalendar.Calendar.from_ical(calendar.ics(cal))
        (item,) = parsed.walk("VEVENT")
        assert item.decoded("dtstart") == start.replace(microsecond=0)
        assert item.decoded("dtend") == end.replace(microsecond=0)
        assert parsed.timezones == []  # UTC: no VTIMEZONE spanning millennia
        year = f"{start.year:04d}"
        google = parse_qs(urlsplit(links.google_link(post, url=SITE)).query)
        assert google["dates"][0].startswith(f"{year}")
        outlook = parse_qs(urlsplit(links.outlook_link(post, url=SITE)).query)
        assert outlook["startdt"][0].startswith(f"{year}-")
        assert str(start.year) in when(post.event)


def test_an_all_day_event_from_year_2_to_9998_is_its_days():
    post = _all_day(date(2, 1, 1), date(9998, 12, 31), "America/New_York")
    item = parse(post)
    assert item.decoded("dtstart") == date(2, 1, 1)
    assert item.decoded("dtend") == date(9999, 1, 1)
    google = parse_qs(urlsplit(links.google_link(post, url=SITE)).query)
    assert google["dates"] == ["00020101/99990101"]
    assert when(post.event) == (
        "Tuesday, January 1, 2 – Thursday, December 31, 9998, all day"
    )


def test_an_all_day_event_on_the_last_day_lasts_one_day():
    post = _all_day(date.max, date.max, "UTC")
    item = parse(post)
    assert item.decoded("dtstart") == date.max
    assert "dtend" not in item  # there is no 10000-01-01 to end on
    assert item.decoded("duration") == timedelta(days=1)
    outlook = parse_qs(urlsplit(links.outlook_link(post, url=SITE)).query)
    assert (outlook["startdt"], outlook["enddt"]) == (["9999-12-31"], ["9999-12-31"])
    assert when(post.event) == "Friday, December 31, 9999, all day"


def test_events_at_the_accepted_ends_keep_their_zone():
    zone = ZoneInfo("America/Adak")
    early = make(
        datetime(1900, 1, 1, 9, tzinfo=zone).astimezone(UTC),
        datetime(1900, 1, 1, 10, tzinfo=zone).astimezone(UTC),
        zone="America/Adak",
        post_id=1,
    )
    late = make(
        datetime(2200, 12, 31, 23, 30, tzinfo=zone).astimezone(UTC),
        datetime(2201, 1, 1, 0, 30, tzinfo=zone).astimezone(UTC),
        zone="America/Adak",
        post_id=2,
    )
    cal = calendar.calendar(
        [early, late], url_for_post=lambda p: SITE, site_url=SITE, now=NOW
    )
    text = calendar.ics(cal).decode()
    assert "DTSTART;TZID=America/Adak:19000101T090000" in text
    assert "DTSTART;TZID=America/Adak:22001231T233000" in text
    parsed = icalendar.Calendar.from_ical(text)
    assert [tz.tz_name for tz in parsed.timezones] == ["America/Adak"]


def test_an_unknown_zone_is_read_as_utc():
    post = make(utc(2024, 3, 14, 20), utc(2024, 3, 14, 21), zone="Mars/Olympus")
    assert parse(post).decoded("dtstart") == utc(2024, 3, 14, 20)
    assert when(post.event) == "Thursday, March 14, 2024, 8:00–9:00 p.m. UTC"


CONTROLS = "\x01\x07\x08\x0b\x0c\x1b\x7f\x85"


def test_line_breaks_and_control_characters_never_break_a_calendar():
    post = make(
        utc(2024, 3, 14, 20),
        utc(2024, 3, 14, 21),
        venue_name=f"Hall\r\nof{CONTROLS} Maps",
        contact_name='Dana "D"\r\nLee',
        contact_email="dana@example.org\r\nBcc: x@evil.example",
    )
    post.title = f"Bridges\r\nand\u2028Talks{CONTROLS}\ttoo"
    post.body_html = f"<p>One\r\nline{CONTROLS}</p><p>Two</p>"
    cal = calendar.calendar(
        [post],
        url_for_post=lambda p: f"{SITE}/events/a\r\nb/",
        site_url=SITE,
        name="My\r\nsite\x1b: events",
        now=NOW,
    )
    data = calendar.ics(cal)
    assert not any(byte < 0x20 and byte not in b"\r\n" for byte in data)
    assert b"\x7f" not in data and "\x85" not in data.decode()
    parsed = icalendar.Calendar.from_ical(data)
    assert str(parsed["x-wr-calname"]) == "My site: events"
    (item,) = parsed.walk("VEVENT")
    assert str(item["summary"]) == "Bridges and Talks too"
    assert str(item["location"]).startswith("Room 220, Hall of Maps")
    assert "One" in str(item["description"]) and "Two" in str(item["description"])
    assert str(item["url"]) == f"{SITE}/events/ab/"
    assert item["organizer"].params["CN"] == 'Dana "D" Lee'
    # One line per property: nothing typed started a line of its own.
    assert b"\r\nBcc" not in data
    google = links.google_link(post, url=SITE)
    assert "\n" not in google and "\r" not in google


@pytest.mark.parametrize(
    ("text", "multiline", "expected"),
    [
        ("a\r\nb\rc\nd", False, "a b c d"),
        ("a\r\nb\rc\nd", True, "a\nb\nc\nd"),
        ("tab\there", True, "tab here"),
        ("bell\x07 and \x00nul", False, "bell and nul"),
        ("  spaced   out  ", False, "spaced out"),
        ("Zoë, café — ok", False, "Zoë, café — ok"),
    ],
)
def test_ics_text(text, multiline, expected):
    assert calendar.ics_text(text, multiline=multiline) == expected
