"""Repeating events in the .ics file (RRULE, EXDATE, RECURRENCE-ID overrides,
a VTIMEZONE for the whole series) and in the "Add to" links.

Each file is parsed back with icalendar and its dates expanded with
dateutil's ``rrulestr`` (what a calendar program does), then compared with
the dates :mod:`blog.events.recurrence` lists on the site. Events are built
in memory (no database).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rrulestr

from blog.events import calendar, links, recurrence
from tests.unit.events.helpers import NOW, SITE, make
from tests.unit.events.series_helpers import NEW_YORK, change, local, seminar

PAGE = f"{SITE}/events/bridges/"


def parsed(*posts) -> icalendar.Calendar:
    cal = calendar.calendar(posts, url_for_post=lambda p: PAGE, site_url=SITE, now=NOW)
    return icalendar.Calendar.from_ical(calendar.ics(cal))


def expand(master: icalendar.Event) -> list[datetime]:
    """The starts a calendar program gives the master VEVENT (RRULE less EXDATE)."""
    rule = rrulestr(
        master["rrule"].to_ical().decode(), dtstart=master.decoded("dtstart")
    )
    skipped = (
        {_moment(d.dt) for d in master["exdate"].dts} if "exdate" in master else set()
    )
    return [start for start in rule if start not in skipped]


def _moment(value: date | datetime) -> datetime:
    """dateutil gives the dates of an all-day rule as midnights."""
    return value if isinstance(value, datetime) else datetime.combine(value, time())


def test_a_weekly_seminar_stays_at_4_pm_across_the_clock_change():
    post = seminar()
    cal = parsed(post)
    text = calendar.ics(
        calendar.calendar([post], url_for_post=lambda p: PAGE, site_url=SITE, now=NOW)
    ).decode()
    master, *overrides = cal.walk("VEVENT")
    assert "DTSTART;TZID=America/New_York:20240905T160000" in text
    # UNTIL in UTC (DTSTART names a zone): the until-day's last second, EST
    assert "RRULE:FREQ=WEEKLY;UNTIL=20241220T045959Z;BYDAY=TH" in text
    assert "EXDATE;TZID=America/New_York:20241003T160000" in text
    assert str(master["status"]) == "CONFIRMED"

    starts = expand(master)
    assert len(starts) == 15  # 16 Thursdays, one skipped
    assert {s.astimezone(NEW_YORK).hour for s in starts} == {16}
    assert {s.astimezone(UTC).hour for s in starts if s.month < 11} == {20}  # EDT
    assert {s.astimezone(UTC).hour for s in starts if s.month == 12} == {21}  # EST
    # ... the dates the site lists, before overrides
    listed = recurrence.between(post, local(2024, 9, 1), local(2025, 1, 1))
    assert [o.day for o in listed] == [s.date() for s in starts]

    # one override per changed date: same UID and SEQUENCE
    by_id = {o.decoded("recurrence-id"): o for o in overrides}
    assert sorted(by_id) == [
        datetime(2024, 10, 10, 16, tzinfo=NEW_YORK),
        datetime(2024, 11, 28, 16, tzinfo=NEW_YORK),
    ]
    assert "RECURRENCE-ID;TZID=America/New_York:20241128T160000" in text
    for item in overrides:
        assert str(item["uid"]) == str(master["uid"])
        assert int(item["sequence"]) == int(master["sequence"]) == 3
        assert "rrule" not in item and "exdate" not in item
    moved = by_id[datetime(2024, 10, 10, 16, tzinfo=NEW_YORK)]
    assert moved.decoded("dtstart") == local(2024, 10, 11, 16)
    assert str(moved["dtstart"].params["TZID"]) == "America/New_York"
    assert str(moved["status"]) == "CONFIRMED"
    cancelled = by_id[datetime(2024, 11, 28, 16, tzinfo=NEW_YORK)]
    assert str(cancelled["status"]) == "CANCELLED"
    assert cancelled.decoded("dtstart") == local(2024, 11, 28, 16)

    # a VTIMEZONE that knows both clocks over the whole series
    (zone,) = cal.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "America/New_York"
    names = {str(part["tzname"]) for part in zone.subcomponents}
    assert names == {"EDT", "EST"}
    assert "20241103T020000" in text  # the autumn change, within the series
    assert zone.to_tz().utcoffset(datetime(2024, 12, 19, 16)) == timedelta(hours=-5)
    assert zone.to_tz().utcoffset(datetime(2024, 9, 5, 16)) == timedelta(hours=-4)


def test_a_series_without_end_has_a_vtimezone_for_the_year_ahead():
    post = seminar(repeat_until=None, changes=[])
    cal = parsed(post)
    (master,) = cal.walk("VEVENT")
    assert master["rrule"].to_ical() == b"FREQ=WEEKLY;BYDAY=TH"
    text = calendar.ics(
        calendar.calendar([post], url_for_post=lambda p: PAGE, site_url=SITE, now=NOW)
    ).decode()
    assert "20251102T020000" in text  # November 2025: a year after the first date


@pytest.mark.parametrize(
    ("start", "fields", "rule", "expected"),
    [
        (  # the third Thursday, six times
            datetime(2024, 9, 19, 12),
            {
                "repeat": "monthly",
                "repeat_monthly_by": "nth_weekday",
                "repeat_count": 6,
            },
            "FREQ=MONTHLY;COUNT=6;BYDAY=3TH",
            [
                (2024, 9, 19),
                (2024, 10, 17),
                (2024, 11, 21),
                (2024, 12, 19),
                (2025, 1, 16),
                (2025, 2, 20),
            ],
        ),
        (  # the last Thursday, until a date (in UTC)
            datetime(2024, 9, 26, 12),
            {
                "repeat": "monthly",
                "repeat_monthly_by": "last_weekday",
                "repeat_until": date(2025, 1, 30),
            },
            "FREQ=MONTHLY;UNTIL=20250131T045959Z;BYDAY=-1TH",
            [
                (2024, 9, 26),
                (2024, 10, 31),
                (2024, 11, 28),
                (2024, 12, 26),
                (2025, 1, 30),
            ],
        ),
        (  # the 31st: months without one are passed over
            datetime(2024, 10, 31, 12),
            {"repeat": "monthly", "repeat_monthly_by": "day", "repeat_count": 3},
            "FREQ=MONTHLY;COUNT=3;BYMONTHDAY=31",
            [(2024, 10, 31), (2024, 12, 31), (2025, 1, 31)],
        ),
        (  # every other week, Tuesdays and Thursdays
            datetime(2024, 9, 3, 12),
            {
                "repeat": "weekly",
                "repeat_interval": 2,
                "repeat_weekdays": "TU,TH",
                "repeat_count": 4,
            },
            "FREQ=WEEKLY;COUNT=4;INTERVAL=2;BYDAY=TU,TH;WKST=MO",
            [(2024, 9, 3), (2024, 9, 5), (2024, 9, 17), (2024, 9, 19)],
        ),
        (  # every third day
            datetime(2024, 9, 3, 12),
            {"repeat": "daily", "repeat_interval": 3, "repeat_count": 3},
            "FREQ=DAILY;COUNT=3;INTERVAL=3",
            [(2024, 9, 3), (2024, 9, 6), (2024, 9, 9)],
        ),
    ],
)
def test_each_rule_gives_the_dates_the_site_lists(start, fields, rule, expected):
    first = start.replace(tzinfo=NEW_YORK).astimezone(UTC)
    post = make(first, first + timedelta(hours=1), changes=[], **fields)
    (master,) = parsed(post).walk("VEVENT")
    assert master["rrule"].to_ical().decode() == rule
    starts = expand(master)
    assert [s.date() for s in starts] == [date(*day) for day in expected]
    assert {s.astimezone(NEW_YORK).hour for s in starts} == {12}
    listed = recurrence.between(post, first, first + timedelta(days=400))
    assert [o.starts_at for o in listed] == [s.astimezone(UTC) for s in starts]
    google = parse_qs(urlsplit(links.google_link(post, url=PAGE)).query)
    assert google["recur"] == [f"RRULE:{rule}"]


def test_an_all_day_series_is_written_in_dates():
    paris = ZoneInfo("Europe/Paris")
    post = make(
        local(2024, 6, 3, 0, zone=paris),
        local(2024, 6, 4, 0, zone=paris),
        zone="Europe/Paris",
        all_day=True,
        repeat="weekly",
        repeat_weekdays="",  # the first date's day
        repeat_until=date(2024, 6, 24),
        changes=[
            change(date(2024, 6, 10), "skipped"),
            change(date(2024, 6, 17), "cancelled"),
        ],
    )
    cal = parsed(post)
    text = calendar.ics(
        calendar.calendar([post], url_for_post=lambda p: PAGE, site_url=SITE, now=NOW)
    ).decode()
    assert "DTSTART;VALUE=DATE:20240603" in text
    assert "RRULE:FREQ=WEEKLY;UNTIL=20240624;BYDAY=MO" in text
    assert "EXDATE;VALUE=DATE:20240610" in text
    assert "RECURRENCE-ID;VALUE=DATE:20240617" in text
    master, cancelled = cal.walk("VEVENT")
    assert expand(master) == [datetime(2024, 6, d) for d in (3, 17, 24)]
    assert str(cancelled["status"]) == "CANCELLED"
    assert cal.walk("VTIMEZONE") == []  # dates need no zone
    google = parse_qs(urlsplit(links.google_link(post, url=PAGE)).query)
    assert google["dates"] == ["20240603/20240604"]
    assert google["recur"] == ["RRULE:FREQ=WEEKLY;UNTIL=20240624;BYDAY=MO"]


def test_changes_to_dates_the_rule_does_not_give_are_left_out():
    post = seminar(
        changes=[
            change(date(2024, 10, 2), "skipped"),  # a Wednesday
            change(date(2025, 1, 2), "cancelled"),  # after the last date
        ]
    )
    master, *others = parsed(post).walk("VEVENT")
    assert "exdate" not in master and others == []


def test_links_add_the_series_to_google_and_one_date_to_outlook():
    post = seminar()
    shown = recurrence.find(post, date(2024, 12, 5))  # after the clock change
    found = links.add_to_links(post, url=PAGE, shown=shown)
    assert found is not None
    google = parse_qs(urlsplit(found.google).query)
    assert google["dates"] == ["20240905T200000Z/20240905T210000Z"]
    assert google["recur"] == ["RRULE:FREQ=WEEKLY;UNTIL=20241220T045959Z;BYDAY=TH"]
    assert google["ctz"] == ["America/New_York"]
    details = google["details"][0]
    assert "Not on Thursday, October 3, 2024." in details
    assert (
        "Moved: Thursday, October 10, 2024 to Friday, October 11, 2024, 4:00 p.m. EDT."
        in details
    )
    assert "Not on Thursday, November 28, 2024 (cancelled)." in details
    for address in (found.outlook_com, found.microsoft_365):
        outlook = parse_qs(urlsplit(address).query)
        assert outlook["startdt"] == ["2024-12-05T21:00:00Z"]  # 4 p.m. EST
        assert outlook["enddt"] == ["2024-12-05T22:00:00Z"]
        assert links.ONE_DATE in outlook["body"][0]


def test_the_page_of_one_date_adds_that_date_only():
    post = seminar()
    moved = recurrence.find(post, date(2024, 10, 10))
    found = links.add_to_links(post, url=PAGE, occurrence=moved)
    assert found is not None
    google = parse_qs(urlsplit(found.google).query)
    assert google["dates"] == ["20241011T200000Z/20241011T210000Z"]
    assert "recur" not in google
    assert links.ONE_DATE in google["details"][0]
    outlook = parse_qs(urlsplit(found.microsoft_365).query)
    assert outlook["startdt"] == ["2024-10-11T20:00:00Z"]
    # no links to a cancelled date, nor to any date of a postponed series
    cancelled = recurrence.find(post, date(2024, 11, 28))
    assert links.add_to_links(post, url=PAGE, occurrence=cancelled) is None
    post.event.status = "postponed"
    assert links.add_to_links(post, url=PAGE, occurrence=moved) is None
    assert links.add_to_links(post, url=PAGE) is None


def test_a_feed_keeps_each_series_with_its_overrides():
    series = seminar(post_id=1)
    single = make(local(2024, 9, 10, 9), local(2024, 9, 10, 10), post_id=2)
    uids = [str(e["uid"]).split("@")[0] for e in parsed(series, single).walk("VEVENT")]
    assert uids == ["event-1", "event-1", "event-1", "event-2"]
