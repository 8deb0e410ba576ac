"""blog.dates: dates and times in the house style, in the zone a caller gives."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from blog import dates

NEW_YORK = ZoneInfo("America/New_York")


def test_day():
    assert dates.day(date(2026, 11, 22)) == "November 22, 2026"
    assert dates.day(date(2024, 3, 4)) == "March 4, 2024"  # no leading zero


def test_day_takes_a_datetime_too():
    assert dates.day(datetime(2024, 3, 4, 23, 59)) == "March 4, 2024"


def test_long_day():
    assert dates.long_day(date(2024, 3, 14)) == "Thursday, March 14, 2024"
    assert dates.long_day(date(2024, 6, 1)) == "Saturday, June 1, 2024"


def test_short_day():
    assert dates.short_day(date(2024, 3, 14)) == "Thu, Mar 14"
    assert dates.short_day(date(2024, 3, 4)) == "Mon, Mar 4"


def test_month():
    assert dates.month(date(2024, 3, 14)) == "March 2024"
    assert dates.month(date(2031, 12, 1)) == "December 2031"


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [
        (16, 0, "4:00 p.m."),
        (9, 5, "9:05 a.m."),
        (12, 0, "12:00 p.m."),  # noon
        (0, 0, "12:00 a.m."),  # midnight
        (0, 30, "12:30 a.m."),
        (11, 59, "11:59 a.m."),
        (23, 45, "11:45 p.m."),
    ],
)
def test_clock(hour, minute, expected):
    assert dates.clock(datetime(2024, 3, 14, hour, minute)) == expected


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [(16, 0, "4:00"), (9, 5, "9:05"), (12, 0, "12:00"), (0, 0, "12:00")],
)
def test_clock_without_meridiem(hour, minute, expected):
    value = datetime(2024, 3, 14, hour, minute)
    assert dates.clock(value, with_meridiem=False) == expected


def test_meridiem_switches_at_noon():
    assert dates.meridiem(datetime(2024, 3, 14, 11, 59)) == "a.m."
    assert dates.meridiem(datetime(2024, 3, 14, 12, 0)) == "p.m."


def test_zone_name_is_the_abbreviation_of_the_season():
    assert dates.zone_name(datetime(2024, 3, 14, 16, tzinfo=NEW_YORK)) == "EDT"
    assert dates.zone_name(datetime(2024, 1, 14, 16, tzinfo=NEW_YORK)) == "EST"
    assert dates.zone_name(datetime(2024, 3, 14, 16, tzinfo=UTC)) == "UTC"


@pytest.mark.parametrize(
    ("zone", "expected"),
    [("America/Sao_Paulo", "UTC-03:00"), ("Asia/Kathmandu", "UTC+05:45")],
)
def test_zone_name_of_a_zone_without_an_abbreviation_is_its_offset(zone, expected):
    value = datetime(2024, 3, 14, 10, tzinfo=ZoneInfo(zone))
    assert dates.zone_name(value) == expected


def test_local_date_is_the_day_in_the_given_zone():
    # 3:30 a.m. UTC on March 15 is still the evening of March 14 in New York.
    value = datetime(2024, 3, 15, 3, 30, tzinfo=UTC)
    assert dates.local_date(value, NEW_YORK) == "March 14, 2024"
    assert dates.local_date(value, UTC) == "March 15, 2024"


def test_local_datetime_is_the_day_and_time_in_the_given_zone():
    value = datetime(2024, 3, 15, 3, 5, tzinfo=UTC)
    assert dates.local_datetime(value, NEW_YORK) == "March 14, 2024 at 11:05 p.m."
    assert dates.local_datetime(value, UTC) == "March 15, 2024 at 3:05 a.m."


def test_local_datetime_follows_the_change_to_daylight_time():
    # New York moved its clocks forward on March 10, 2024: the same UTC hour
    # reads 4 p.m. before the change and 5 p.m. after it.
    before = datetime(2024, 3, 9, 21, 0, tzinfo=UTC)
    after = datetime(2024, 3, 11, 21, 0, tzinfo=UTC)
    assert dates.local_datetime(before, NEW_YORK) == "March 9, 2024 at 4:00 p.m."
    assert dates.local_datetime(after, NEW_YORK) == "March 11, 2024 at 5:00 p.m."


def test_iso():
    local = datetime(2024, 3, 14, 16, 0, tzinfo=NEW_YORK)
    assert dates.iso(local) == "2024-03-14T16:00:00-04:00"
    assert dates.iso(datetime(2024, 3, 14, 20, 0, tzinfo=UTC)) == (
        "2024-03-14T20:00:00+00:00"
    )
    assert dates.iso(date(2024, 3, 14)) == "2024-03-14"


def test_no_date_is_an_empty_string():
    assert dates.local_date(None, NEW_YORK) == ""
    assert dates.local_datetime(None, NEW_YORK) == ""
    assert dates.iso(None) == ""
