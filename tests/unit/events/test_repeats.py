"""blog.events.repeats: the editor's "Repeats" and changed dates, checked
(through blog.events.validate_event; no database)."""

from __future__ import annotations

from datetime import date, time

import pytest

from blog import events
from blog.events.repeats import ChangeInput, RepetitionInput
from blog.models import MonthlyBy, OccurrenceChange, Repeat
from blog.posts import PostError
from tests.fixtures_events import event_input
from tests.unit.events.helpers import utc

# The first date: Thursday March 13, 2031, 4:00-5:30 p.m. New York (EDT).
FIRST = {"start": "2031-03-13 16:00", "end": "2031-03-13 17:30"}


def weekly(**fields) -> RepetitionInput:
    return RepetitionInput(repeat=Repeat.WEEKLY, **fields)


def moved(day: date, new_date: date | None, start=None, end=None) -> ChangeInput:
    return ChangeInput(day, OccurrenceChange.MOVED, new_date, start, end)


@pytest.mark.parametrize(
    ("repetition", "field", "message"),
    [
        (RepetitionInput(repeat="hourly"), "repeat", "Choose how"),
        (weekly(interval=0), "repeat_interval", "from 1 to 99"),
        (weekly(interval=100), "repeat_interval", "from 1 to 99"),
        (weekly(weekdays=("MO", "XX")), "repeat_weekdays", "Monday to Sunday"),
        (weekly(weekdays=("MO",)), "repeat_weekdays", "tick Thursday too"),
        (
            RepetitionInput(repeat=Repeat.MONTHLY, monthly_by=MonthlyBy.LAST_WEEKDAY),
            "repeat_monthly_by",
            "is not the last Thursday",
        ),
        (weekly(ends="until"), "repeat_until", "Give the last date"),
        (weekly(until=date(2031, 3, 12)), "repeat_until", "on or after the start"),
        (weekly(until=date(2201, 1, 1)), "repeat_until", "between 1900 and 2200"),
        (
            RepetitionInput(repeat=Repeat.DAILY, until=date(2035, 1, 1)),
            "repeat_until",
            "more than 1000 dates",
        ),
        (weekly(count=0), "repeat_count", "from 1 to 1000"),
        (weekly(ends="count", count=None), "repeat_count", "from 1 to 1000"),
        (
            RepetitionInput(repeat=Repeat.MONTHLY, interval=99, count=30),
            "repeat_count",
            "after 2200",
        ),
        (
            RepetitionInput(changes=[ChangeInput(date(2031, 3, 20))]),
            "changes",
            "for repeating events",
        ),
        (weekly(changes=[ChangeInput(None)]), "changes-0-day", "Give the date"),
        (
            weekly(changes=[ChangeInput(date(2031, 3, 21))]),
            "changes-0-day",
            "March 21, 2031 is not one of this event's dates",
        ),
        (
            weekly(
                changes=[
                    ChangeInput(date(2031, 3, 20)),
                    ChangeInput(date(2031, 3, 20), OccurrenceChange.CANCELLED),
                ]
            ),
            "changes-1-day",
            "already has a change",
        ),
        (
            weekly(changes=[moved(date(2031, 3, 20), None)]),
            "changes-0-new_date",
            "Give the new date",
        ),
        (
            weekly(
                changes=[
                    moved(date(2031, 3, 20), date(2031, 3, 21), time(15), time(14))
                ]
            ),
            "changes-0-new_end_time",
            "must end after it starts",
        ),
        (
            weekly(changes=[moved(date(2031, 3, 20), date(2031, 3, 12))]),
            "changes-0-new_date",
            "first date or later",
        ),
        (
            weekly(
                changes=[
                    ChangeInput(
                        date(2031, 3, 20), new_date=date(2031, 3, 21)
                    )  # skipped, yet a new date
                ]
            ),
            "changes-0-new_date",
            "Move to",
        ),
    ],
)
def test_a_refused_rule_or_change_names_its_field(repetition, field, message):
    with pytest.raises(PostError) as caught:
        events.validate_event(event_input(**FIRST, repetition=repetition))
    assert caught.value.field == field
    assert message in str(caught.value)


def test_the_rule_and_changes_become_columns_and_rows_in_utc():
    values = events.validate_event(
        event_input(
            **FIRST,
            repetition=weekly(
                weekdays=(),  # none ticked: the start date's day
                ends="count",
                count=40,
                until=date(2031, 5, 1),  # ignored: "Ends" says after 40 times
                changes=[
                    # Moved across the clocks' change (November 2, 2031): the
                    # new date's own offset, EST.
                    moved(date(2031, 10, 30), date(2031, 11, 3), time(10)),
                    ChangeInput(date(2031, 3, 20)),
                    moved(date(2031, 3, 27), date(2031, 3, 27), None, time(18)),
                ],
            ),
        )
    )
    assert (values["repeat"], values["repeat_weekdays"]) == (Repeat.WEEKLY, "TH")
    assert (values["repeat_count"], values["repeat_until"]) == (40, None)
    assert [
        (row.occurrence_date, row.change, row.starts_at, row.ends_at)
        for row in values["changes"]
    ] == [
        (date(2031, 3, 20), OccurrenceChange.SKIPPED, None, None),
        (  # the series' start time kept, the new end
            date(2031, 3, 27),
            OccurrenceChange.MOVED,
            utc(2031, 3, 27, 20),
            utc(2031, 3, 27, 22),
        ),
        (  # the series' length kept: 90 minutes
            date(2031, 10, 30),
            OccurrenceChange.MOVED,
            utc(2031, 11, 3, 15),
            utc(2031, 11, 3, 16, 30),
        ),
    ]
    # A one-off event keeps none of a rule's leftovers.
    single = events.validate_event(
        event_input(**FIRST, repetition=RepetitionInput(interval=7, count=3))
    )
    assert (single["repeat"], single["repeat_interval"], single["repeat_count"]) == (
        Repeat.NONE,
        1,
        None,
    )


def test_an_event_past_midnight_moves_with_its_end_on_the_next_day():
    values = events.validate_event(
        event_input(
            start="2031-03-13 22:00",
            end="2031-03-14 01:00",
            repetition=weekly(
                changes=[moved(date(2031, 3, 20), date(2031, 3, 21), time(23), time(2))]
            ),
        )
    )
    (row,) = values["changes"]
    assert (row.starts_at, row.ends_at) == (utc(2031, 3, 22, 3), utc(2031, 3, 22, 6))
