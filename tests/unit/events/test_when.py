"""blog.events.when: when an event happens, in words, in its own zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from blog.events.when import short_when, when
from tests.unit.events.helpers import make, utc


def test_a_one_day_all_day_event():
    zone = ZoneInfo("Europe/Paris")
    start = datetime(2024, 6, 20, tzinfo=zone).astimezone(UTC)
    post = make(start, start + timedelta(days=1), zone="Europe/Paris", all_day=True)
    assert when(post.event) == "Thursday, June 20, 2024, all day"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ((16, 0), (17, 30), "Thursday, March 14, 2024, 4:00–5:30 p.m. EDT"),
        ((11, 0), (12, 30), "Thursday, March 14, 2024, 11:00 a.m.–12:30 p.m. EDT"),
        ((9, 15), (10, 0), "Thursday, March 14, 2024, 9:15–10:00 a.m. EDT"),
    ],
)
def test_when_reads_like_a_sentence(start, end, expected):
    zone = ZoneInfo("America/New_York")
    post = make(
        datetime(2024, 3, 14, *start, tzinfo=zone).astimezone(UTC),
        datetime(2024, 3, 14, *end, tzinfo=zone).astimezone(UTC),
    )
    assert when(post.event) == expected


def test_zones_without_an_abbreviation_show_their_offset():
    post = make(utc(2024, 3, 14, 13), utc(2024, 3, 14, 14), zone="America/Sao_Paulo")
    assert when(post.event).endswith("10:00–11:00 a.m. UTC-03:00")


def test_listings_say_when_in_short():
    zone = ZoneInfo("America/New_York")
    post = make(
        datetime(2024, 3, 14, 16, tzinfo=zone).astimezone(UTC),
        datetime(2024, 3, 14, 17, tzinfo=zone).astimezone(UTC),
    )
    assert short_when(post.event) == "Thu, Mar 14, 4:00 p.m. EDT"
    all_day = make(utc(2024, 7, 1, 4), utc(2024, 7, 2, 4), all_day=True)
    assert short_when(all_day.event) == "Mon, Jul 1, all day"
