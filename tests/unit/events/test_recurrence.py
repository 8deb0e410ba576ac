"""blog.events.recurrence: the dates a rule gives, on the event's own clock,
less skipped dates, with cancelled and moved ones; in memory (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from blog.events import recurrence
from blog.models import (
    EventOccurrenceChange,
    EventStatus,
    MonthlyBy,
    OccurrenceChange,
    Post,
    Repeat,
)
from tests.unit.events.helpers import make, utc

NEW_YORK = ZoneInfo("America/New_York")


def series(start: str, *, minutes: int = 90, zone: str = "America/New_York", **fields):
    """An unsaved repeating event whose first date starts at ``start``
    (local, ISO) and lasts ``minutes``."""
    begins = datetime.fromisoformat(start).replace(tzinfo=ZoneInfo(zone))
    begins = begins.astimezone(UTC)
    fields.setdefault("repeat_interval", 1)
    fields.setdefault("repeat_weekdays", "")
    fields.setdefault("repeat_monthly_by", MonthlyBy.DAY_OF_MONTH)
    fields.setdefault("changes", [])
    return make(begins, begins + timedelta(minutes=minutes), zone=zone, **fields)


def days(post: Post, limit: int = 50) -> list[date]:
    """The local dates of the first ``limit`` occurrences from the first date."""
    found = islice(recurrence.occurrences_after(post, post.event.starts_at), limit)
    return [o.day for o in found]


def change(day: date, kind: OccurrenceChange, starts=None, ends=None):
    return EventOccurrenceChange(
        occurrence_date=day, change=kind, starts_at=starts, ends_at=ends
    )


def test_weekly_on_two_days_keeps_four_pm_new_york_time_across_dst():
    # Tuesdays and Thursdays from Tuesday October 22, 2024, eight times; New
    # York leaves daylight saving time on Sunday November 3.
    post = series(
        "2024-10-22 16:00",
        repeat=Repeat.WEEKLY,
        repeat_weekdays="TU,TH",
        repeat_count=8,
    )
    found = recurrence.upcoming_of(post, post.event.starts_at, 20)
    assert [o.day for o in found] == [
        date(2024, 10, 22),
        date(2024, 10, 24),
        date(2024, 10, 29),
        date(2024, 10, 31),
        date(2024, 11, 5),
        date(2024, 11, 7),
        date(2024, 11, 12),
        date(2024, 11, 14),
    ]
    assert {o.starts_at.astimezone(NEW_YORK).hour for o in found} == {16}
    assert [o.starts_at.hour for o in found] == [20] * 4 + [21] * 4  # EDT, then EST
    assert all(o.ends_at - o.starts_at == timedelta(minutes=90) for o in found)
    assert recurrence.series_end(post.event) == utc(2024, 11, 14, 22, 30)
    assert recurrence.count(post.event) == 8
    assert recurrence.weekdays(post.event) == [1, 3]


def test_monthly_on_the_nth_and_on_the_last_weekday():
    second = series(
        "2024-03-14 16:00",
        repeat=Repeat.MONTHLY,
        repeat_monthly_by=MonthlyBy.NTH_WEEKDAY,
        repeat_count=4,
    )
    assert days(second) == [
        date(2024, 3, 14),
        date(2024, 4, 11),
        date(2024, 5, 9),
        date(2024, 6, 13),
    ]
    last = series(
        "2024-02-29 09:00",  # the last Thursday of February
        repeat=Repeat.MONTHLY,
        repeat_monthly_by=MonthlyBy.LAST_WEEKDAY,
        repeat_count=4,
    )
    assert days(last) == [
        date(2024, 2, 29),
        date(2024, 3, 28),
        date(2024, 4, 25),
        date(2024, 5, 30),  # a fifth Thursday: the last one
    ]
    assert recurrence.nth_of_month(date(2024, 5, 30)) == 5
    assert recurrence.is_last_of_month(date(2024, 5, 30))
    assert not recurrence.is_last_of_month(date(2024, 5, 23))


def test_day_31_skips_the_shorter_months_and_every_other_month_counts():
    post = series("2024-01-31 12:00", repeat=Repeat.MONTHLY, repeat_count=4)
    assert days(post) == [
        date(2024, 1, 31),
        date(2024, 3, 31),
        date(2024, 5, 31),
        date(2024, 7, 31),
    ]
    every_other = series(
        "2024-01-15 12:00", repeat=Repeat.MONTHLY, repeat_interval=2, repeat_count=3
    )
    assert days(every_other) == [
        date(2024, 1, 15),
        date(2024, 3, 15),
        date(2024, 5, 15),
    ]


def test_until_is_an_inclusive_local_date_and_count_the_same_series():
    until = series(
        "2024-03-14 16:00", repeat=Repeat.WEEKLY, repeat_until=date(2024, 4, 4)
    )
    count = series("2024-03-14 16:00", repeat=Repeat.WEEKLY, repeat_count=4)
    expected = [
        date(2024, 3, 14),
        date(2024, 3, 21),
        date(2024, 3, 28),
        date(2024, 4, 4),
    ]
    assert days(until) == days(count) == expected
    assert recurrence.series_end(until.event) == recurrence.series_end(count.event)
    assert recurrence.series_end(until.event) == utc(2024, 4, 4, 21, 30)
    # Without an end: no series end, and the dates go on (taken lazily).
    endless = series("2024-03-14 16:00", repeat=Repeat.DAILY)
    assert recurrence.series_end(endless.event) is None
    assert len(days(endless, 400)) == 400
    # A one-off event is its own only date.
    single = make(utc(2024, 3, 14, 20), utc(2024, 3, 14, 21))
    assert recurrence.rule(single.event) is None
    assert recurrence.series_end(single.event) == utc(2024, 3, 14, 21)
    assert [o.day for o in recurrence.upcoming_of(single, utc(2024, 1, 1), 5)] == [
        date(2024, 3, 14)
    ]


def test_skipped_cancelled_and_moved_dates():
    # Thursdays, March 14 to April 11, 2024, 4 p.m. New York (EDT, UTC-4).
    moved_to = utc(2024, 4, 19, 14)  # Friday April 19, 10 a.m.: after the last
    post = series(
        "2024-03-14 16:00",
        repeat=Repeat.WEEKLY,
        repeat_count=5,
        changes=[
            change(date(2024, 3, 21), OccurrenceChange.SKIPPED),
            change(date(2024, 3, 28), OccurrenceChange.CANCELLED),
            change(
                date(2024, 4, 4),
                OccurrenceChange.MOVED,
                moved_to,
                moved_to + timedelta(hours=2),
            ),
        ],
    )
    found = recurrence.between(post, utc(2024, 3, 1), utc(2024, 5, 1))
    assert [(o.day, o.status, o.moved) for o in found] == [
        (date(2024, 3, 14), EventStatus.SCHEDULED, False),
        (date(2024, 3, 28), EventStatus.CANCELLED, False),
        (date(2024, 4, 11), EventStatus.SCHEDULED, False),
        (date(2024, 4, 4), EventStatus.SCHEDULED, True),  # in its new place
    ]
    # Moved into another window: found there, and no longer in its own.
    moved_window = recurrence.between(post, utc(2024, 4, 19), utc(2024, 4, 20))
    assert [(o.day, o.starts_at) for o in moved_window] == [
        (date(2024, 4, 4), moved_to)
    ]
    assert recurrence.between(post, utc(2024, 4, 4), utc(2024, 4, 5)) == []
    # Each named by its original date; a skipped one and a date the rule
    # does not give are not found.
    assert recurrence.find(post, date(2024, 4, 4)).starts_at == moved_to
    assert recurrence.find(post, date(2024, 3, 28)).cancelled
    assert recurrence.find(post, date(2024, 3, 21)) is None
    assert recurrence.find(post, date(2024, 3, 22)) is None
    # The series ends when its moved date does; the next one is not cancelled.
    assert recurrence.series_end(post.event) == moved_to + timedelta(hours=2)
    after_first = utc(2024, 3, 15)
    assert recurrence.next_occurrence(post, after_first).day == date(2024, 4, 11)
    assert [o.day for o in recurrence.upcoming_of(post, after_first, 2)] == [
        date(2024, 3, 28),
        date(2024, 4, 11),
    ]
    # Every listed date once, in time order, from the first date on.
    assert days(post) == [
        date(2024, 3, 14),
        date(2024, 3, 28),
        date(2024, 4, 11),
        date(2024, 4, 4),
    ]
