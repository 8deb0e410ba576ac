"""Reading a series back from an export: a rule the editor would refuse is
left out, so the calendar file and the pages never disagree."""

from __future__ import annotations

from blog.events import repetition_data
from blog.models import Repeat
from tests.unit.events.helpers import make
from tests.unit.events.series_helpers import local


def test_a_rule_the_editor_would_refuse_leaves_a_one_off():
    def read(**data):  # Thursday, March 14, 2024, 4 p.m. New York
        post = make(local(2024, 3, 14, 16), local(2024, 3, 14, 17))
        repetition_data.apply_data(post.event, {"repeat": "weekly", **data})
        return post.event

    kept = read(weekdays="TU,TH", count=4)
    assert (kept.repeat, kept.repeat_weekdays, kept.repeat_count) == (
        Repeat.WEEKLY,
        "TU,TH",
        4,
    )
    # Not on the first date's own weekday: DTSTART would be an extra date.
    assert not read(weekdays="MO,TU").repeats
    # March 14 is the second Thursday, not the last.
    assert not read(repeat="monthly", monthly_by="last_weekday").repeats
    # Until a date that gives more than the editor's thousand dates.
    assert not read(repeat="daily", until="2030-01-01").repeats
    assert read(repeat="daily", until="2024-04-01").repeat == Repeat.DAILY
