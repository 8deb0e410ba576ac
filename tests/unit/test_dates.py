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


def test_iso_has_no_microseconds():
    """HTML's ``<time datetime>`` takes seconds at most (the Nu checker
    refuses ``14:39:06.221067``), and feeds and sitemaps want the same."""
    stored = datetime(2026, 11, 10, 14, 39, 6, 221067, tzinfo=UTC)
    assert dates.iso(stored) == "2026-11-10T14:39:06+00:00"


def test_no_date_is_an_empty_string():
    assert dates.local_date(None, NEW_YORK) == ""
    assert dates.local_datetime(None, NEW_YORK) == ""
    assert dates.iso(None) == ""


# The ends of the calendar ---------------------------------------------------
# Rows written before the editor checked dates (or by an importer) may hold
# any date Python can. Near year 1 and 9999 a zone's clock leaves that range:
# Kiritimati's local mean time was UTC-10:29 and it is now UTC+14, so both
# ends are out of reach there; Adak's was UTC+12:13 (on the Asian side of
# the date line until 1867) and it is now UTC-10, so both are in reach.

FIRST = datetime.min.replace(tzinfo=UTC)
LAST = datetime.max.replace(tzinfo=UTC)
KIRITIMATI = ZoneInfo("Pacific/Kiritimati")
ADAK = ZoneInfo("America/Adak")


@pytest.mark.parametrize(
    ("value", "zone"), [(FIRST, KIRITIMATI), (LAST, KIRITIMATI), (FIRST, NEW_YORK)]
)
def test_to_zone_shows_in_utc_what_the_zone_cannot(value, zone):
    with pytest.raises(OverflowError):
        value.astimezone(zone)  # what the pages used to do
    assert dates.to_zone(value, zone) == value
    assert dates.to_zone(value, zone).tzinfo is UTC


def test_to_zone_converts_whatever_the_zone_can_show():
    value = datetime(2024, 3, 15, 3, 30, tzinfo=UTC)
    assert dates.to_zone(value, NEW_YORK).hour == 23
    assert dates.to_zone(value, NEW_YORK).tzinfo is NEW_YORK
    assert dates.to_zone(FIRST, ADAK).tzinfo is ADAK  # 12:13 p.m. on January 1


def test_a_span_is_shown_on_one_clock():
    # The start fits Kiritimati's clock, the end does not: both are in UTC.
    start, end = LAST.replace(hour=8), LAST
    shown = dates.span_in_zone(start, end, KIRITIMATI)
    assert shown == (start, end)
    assert {value.tzinfo for value in shown} == {UTC}
    ordinary = dates.span_in_zone(
        start.replace(year=2024), end.replace(year=2024), ADAK
    )
    assert {value.tzinfo for value in ordinary} == {ADAK}


@pytest.mark.parametrize("zone", [UTC, KIRITIMATI, ADAK])
@pytest.mark.parametrize("value", [FIRST, LAST])
def test_local_dates_at_the_ends_of_the_calendar(value, zone):
    assert str(value.year) in dates.local_date(value, zone)
    assert str(value.year) in dates.local_datetime(value, zone)


def test_day_after_stops_at_the_last_day():
    assert dates.day_after(date(2024, 2, 28)) == date(2024, 2, 29)
    assert dates.day_after(date.max) == date.max


@pytest.mark.parametrize(
    ("value", "allowed"),
    [
        (date(1899, 12, 31), False),
        (date(1900, 1, 1), True),
        (datetime(2200, 12, 31, 23, 59, tzinfo=ADAK), True),
        (date(2201, 1, 1), False),
        (date.min, False),
        (date.max, False),
    ],
)
def test_editors_may_give_the_years_1900_to_2200(value, allowed):
    assert dates.in_range(value) is allowed


@pytest.mark.parametrize("name", ["", "Mars/Olympus", "../../etc/passwd", "UTC+1"])
def test_an_unknown_zone_reads_as_utc(name):
    assert dates.zone_named(name) is UTC


def test_a_known_zone_is_found():
    assert dates.zone_named("America/New_York") == NEW_YORK


def test_zones_an_editor_may_choose_are_places():
    from blog.dates import place_zones

    zones = place_zones()
    assert "Europe/Paris" in zones and "UTC" in zones
    assert "localtime" not in zones and "Factory" not in zones
