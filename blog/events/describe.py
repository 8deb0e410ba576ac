"""A repeating event's rule in words: "Every Tuesday until December 15,
2026", "Every month on the third Thursday, 10 times", and the listings'
short "Repeats weekly".

Read from the event's columns as :func:`blog.events.recurrence.rule` reads
them (the weekdays named, else the first date's), on the event's own clock.
"""

from __future__ import annotations

from blog import dates
from blog.events import recurrence
from blog.events.when import local_span
from blog.models import Event, MonthlyBy, Repeat

_DAY_NAMES = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
_NTH = ("first", "second", "third", "fourth", "fifth")
_UNITS = {Repeat.DAILY: "day", Repeat.WEEKLY: "week", Repeat.MONTHLY: "month"}
_ADVERBS = {Repeat.DAILY: "daily", Repeat.WEEKLY: "weekly", Repeat.MONTHLY: "monthly"}


def ordinal(number: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``, ``22nd``."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def _listed(words: list[str]) -> str:
    """``Monday``, ``Monday and Friday``, ``Monday, Wednesday and Friday``."""
    if len(words) <= 2:
        return " and ".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _every(event: Event) -> str:
    interval = max(event.repeat_interval or 1, 1)
    unit = _UNITS[event.repeat]
    return f"Every {unit}" if interval == 1 else f"Every {interval} {unit}s"


def _days(event: Event) -> str:
    """The part of the rule that names days (``""`` for a daily event)."""
    first = local_span(event)[0]
    if event.repeat == Repeat.WEEKLY:
        return _listed([_DAY_NAMES[d] for d in recurrence.weekdays(event)])
    if event.repeat != Repeat.MONTHLY:
        return ""
    weekday = _DAY_NAMES[first.weekday()]
    if event.repeat_monthly_by == MonthlyBy.NTH_WEEKDAY:
        return f"the {_NTH[recurrence.nth_of_month(first.date()) - 1]} {weekday}"
    if event.repeat_monthly_by == MonthlyBy.LAST_WEEKDAY:
        return f"the last {weekday}"
    return f"the {ordinal(first.day)}"


def _end(event: Event) -> str:
    if event.repeat_count:
        times = min(event.repeat_count, recurrence.MAX_OCCURRENCES)
        return ", once" if times == 1 else f", {times} times"
    if event.repeat_until is not None:
        return f" until {dates.day(event.repeat_until)}"
    return ""


def describe(event: Event) -> str:
    """The rule in words, for the event page (``""`` for a one-off event).

    A weekly event every week reads "Every Tuesday and Thursday"; any other
    reads "Every 2 weeks on Tuesday", "Every month on the 14th".
    """
    if not event.repeats:
        return ""
    days = _days(event)
    if event.repeat == Repeat.WEEKLY and max(event.repeat_interval or 1, 1) == 1:
        text = f"Every {days}"
    else:
        text = _every(event) + (f" on {days}" if days else "")
    return text + _end(event)


def repeat_note(event: Event) -> str:
    """``Repeats weekly``, ``Repeats every 2 weeks``, for listings (``""``
    for a one-off event)."""
    if not event.repeats:
        return ""
    interval = max(event.repeat_interval or 1, 1)
    if interval == 1:
        return f"Repeats {_ADVERBS[event.repeat]}"
    return f"Repeats every {interval} {_UNITS[event.repeat]}s"
