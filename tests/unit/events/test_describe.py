"""blog.events.describe: a repeating event's rule in words; and
blog.events.when for one date (moved, across a clock change)."""

from __future__ import annotations

from datetime import date

import pytest

from blog.events import recurrence
from blog.events.describe import describe, ordinal, repeat_note
from blog.events.when import original_when, when_of
from tests.unit.events.helpers import make
from tests.unit.events.series_helpers import local, seminar


def _rule(first: tuple[int, ...], **fields):  # type: ignore[no-untyped-def]
    start = local(*first)
    fields.setdefault("repeat_weekdays", "")  # column defaults come on insert
    return make(start, start.replace(hour=start.hour + 1), **fields).event


@pytest.mark.parametrize(
    ("first", "fields", "words", "note"),
    [
        ((2026, 9, 1, 16), {"repeat": "weekly", "repeat_until": date(2026, 12, 15)},
         "Every Tuesday until December 15, 2026", "Repeats weekly"),
        ((2026, 9, 1, 16), {"repeat": "weekly", "repeat_weekdays": "TH,TU",
                             "repeat_interval": 2, "repeat_count": 1},
         "Every 2 weeks on Tuesday and Thursday, once", "Repeats every 2 weeks"),
        ((2026, 11, 19, 10), {"repeat": "monthly", "repeat_monthly_by": "nth_weekday",
                              "repeat_count": 10},
         "Every month on the third Thursday, 10 times", "Repeats monthly"),
        ((2026, 11, 26, 10), {"repeat": "monthly", "repeat_monthly_by": "last_weekday",
                              "repeat_interval": 3},
         "Every 3 months on the last Thursday", "Repeats every 3 months"),
        ((2026, 11, 22, 10), {"repeat": "monthly", "repeat_monthly_by": "day"},
         "Every month on the 22nd", "Repeats monthly"),
        ((2026, 11, 22, 10), {"repeat": "daily", "repeat_interval": 1},
         "Every day", "Repeats daily"),
        ((2026, 11, 22, 10), {}, "", ""),
    ],
)  # fmt: skip
def test_rules_in_words(first, fields, words, note):
    event = _rule(first, **fields)
    assert (describe(event), repeat_note(event)) == (words, note)


def test_ordinals():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th",
        "21st", "22nd", "23rd", "31st",
    ]  # fmt: skip


def test_one_date_in_words_keeps_its_local_time_and_says_where_it_moved_from():
    post = seminar()
    # After the clocks go back: still 4 p.m., now EST.
    after = recurrence.find(post, date(2024, 11, 7))
    assert after is not None
    assert when_of(after) == "Thursday, November 7, 2024, 4:00–5:00 p.m. EST"
    moved = recurrence.find(post, date(2024, 10, 10))
    assert moved is not None and moved.moved
    assert when_of(moved) == "Friday, October 11, 2024, 4:00–5:00 p.m. EDT"
    assert original_when(moved) == "Thursday, October 10, 2024, 4:00–5:00 p.m. EDT"
