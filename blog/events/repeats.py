"""The editor's "Repeats" and "Changes to single dates", checked and turned
into an event's columns and :class:`~blog.models.EventOccurrenceChange` rows.

The editor gives local dates and times in the event's own zone; a moved date
is stored in UTC, converted as :func:`blog.events.editing.event_times`
converts the first date (a wall time skipped by a DST change is read with
the offset before it). The dates themselves are computed by
:mod:`blog.events.recurrence`; this module only decides what may be saved:

- every 1 to 99 days, weeks or months; weekly on named weekdays, which must
  include the start date's own (none named: the start date's); monthly on
  the start date's day of the month, its Nth weekday, or (when it is one)
  its month's last such weekday;
- ending never, on a date not before the start, or after 1 to
  :data:`~blog.events.recurrence.MAX_OCCURRENCES` times; a rule that would
  give more dates than that, or dates past the editor's years, is refused;
- each change names a date the rule gives, once; a moved date needs its new
  date and ends after it starts; only a repeating event has changes.

Errors name the form's field: ``repeat_interval``, ``repeat_until``... and
for a change ``changes-<n>-<part>``, ``n`` its index in
:attr:`RepetitionInput.changes`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from blog import dates
from blog.events import recurrence
from blog.events.when import local_span
from blog.models import (
    Event,
    EventOccurrenceChange,
    MonthlyBy,
    OccurrenceChange,
    Repeat,
)
from blog.posts.editing import PostError

MAX_INTERVAL = 99
#: The most changed dates one event may have.
MAX_CHANGES = 100
ORDINALS = ("first", "second", "third", "fourth", "fifth")
DAY_NAMES = dict(
    zip(
        recurrence.WEEKDAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)


class Ends(enum.StrEnum):
    """How a series ends, as the editor's "Ends" choice says."""

    NEVER = "never"
    UNTIL = "until"  # on a date (``repeat_until``)
    COUNT = "count"  # after a number of times (``repeat_count``)


@dataclass
class ChangeInput:
    """One row of "Changes to single dates": ``day`` is the date the rule
    gives (the occurrence's name, kept when it moves); a move gives
    ``new_date`` and, optionally, new local times (else the series' own)."""

    day: date | None
    change: str = OccurrenceChange.SKIPPED
    new_date: date | None = None
    new_start_time: time | None = None
    new_end_time: time | None = None


@dataclass
class RepetitionInput:
    """The editor's "Repeats" group. ``ends`` says which of ``until`` and
    ``count`` counts (``None``: whichever is given, for callers without the
    choice); the other is ignored."""

    repeat: str = Repeat.NONE
    interval: int | None = 1
    weekdays: tuple[str, ...] = ()
    monthly_by: str = MonthlyBy.DAY_OF_MONTH
    ends: str | None = None
    until: date | None = None
    count: int | None = None
    changes: list[ChangeInput] = field(default_factory=list)


@dataclass(frozen=True)
class Span:
    """The event's first date, as :func:`blog.events.editing.event_times` gave it."""

    starts_at: datetime
    ends_at: datetime
    timezone: str
    all_day: bool


def check_repetition(data: RepetitionInput, span: Span) -> dict[str, Any]:
    """The event's repetition columns and its changes as new rows (not
    attached to anything); nothing is written.

    :raises PostError: with the field at fault.
    """
    if data.repeat not in set(Repeat):
        raise PostError("Choose how the event repeats.", "repeat")
    if data.repeat == Repeat.NONE:
        if data.changes:
            raise PostError(
                "Changes to single dates are for repeating events: choose how "
                "the event repeats, or remove the changes.",
                "changes",
            )
        return {
            "repeat": Repeat.NONE,
            "repeat_interval": 1,
            "repeat_weekdays": "",
            "repeat_monthly_by": MonthlyBy.DAY_OF_MONTH,
            "repeat_until": None,
            "repeat_count": None,
            "changes": [],
        }
    probe = Event(
        starts_at=span.starts_at,
        ends_at=span.ends_at,
        timezone=span.timezone,
        all_day=span.all_day,
        **_rule_columns(data, local_span_of(span)[0].date()),
    )
    _check_extent(probe)
    columns = {
        name: getattr(probe, name)
        for name in (
            "repeat",
            "repeat_interval",
            "repeat_weekdays",
            "repeat_monthly_by",
            "repeat_until",
            "repeat_count",
        )
    }
    return columns | {"changes": _changes(data.changes, probe, span)}


def local_span_of(span: Span) -> tuple[datetime, datetime]:
    zone = ZoneInfo(span.timezone)
    return span.starts_at.astimezone(zone), span.ends_at.astimezone(zone)


def _rule_columns(data: RepetitionInput, first: date) -> dict[str, Any]:
    """The rule's columns from what was typed. :raises PostError:"""
    interval = data.interval if data.interval is not None else 1
    if not 1 <= interval <= MAX_INTERVAL:
        raise PostError(f"Give a number from 1 to {MAX_INTERVAL}.", "repeat_interval")
    repeat = Repeat(data.repeat)
    weekdays = ""
    if repeat == Repeat.WEEKLY:
        weekdays = _weekdays(data.weekdays, first)
    monthly_by = MonthlyBy.DAY_OF_MONTH
    if repeat == Repeat.MONTHLY:
        monthly_by = _monthly_by(data.monthly_by, first)
    until, count = _ends(data, first)
    return {
        "repeat": repeat,
        "repeat_interval": interval,
        "repeat_weekdays": weekdays,
        "repeat_monthly_by": monthly_by,
        "repeat_until": until,
        "repeat_count": count,
    }


def _weekdays(given: tuple[str, ...], first: date) -> str:
    """``"MO,WE"``, Monday first; the start date's day when none is ticked."""
    if any(name not in recurrence.WEEKDAYS for name in given):
        raise PostError("Choose days from Monday to Sunday.", "repeat_weekdays")
    own = recurrence.WEEKDAYS[first.weekday()]
    chosen = set(given) or {own}
    if own not in chosen:
        raise PostError(
            f"The event starts on a {DAY_NAMES[own]}: tick {DAY_NAMES[own]} too, "
            "or change the start date.",
            "repeat_weekdays",
        )
    return ",".join(name for name in recurrence.WEEKDAYS if name in chosen)


def _monthly_by(given: str, first: date) -> MonthlyBy:
    if given not in set(MonthlyBy):
        raise PostError("Choose which day of each month.", "repeat_monthly_by")
    if given == MonthlyBy.LAST_WEEKDAY and not recurrence.is_last_of_month(first):
        raise PostError(
            f"{dates.day(first)} is not the last {first:%A} of its month: "
            "choose another day of the month.",
            "repeat_monthly_by",
        )
    return MonthlyBy(given)


def _ends(data: RepetitionInput, first: date) -> tuple[date | None, int | None]:
    """``repeat_until`` and ``repeat_count``, one of them at most."""
    ends = data.ends or (
        Ends.COUNT
        if data.count is not None
        else Ends.UNTIL
        if data.until is not None
        else Ends.NEVER
    )
    if ends not in set(Ends):
        raise PostError("Choose when the event stops repeating.", "repeat_ends")
    if ends == Ends.UNTIL:
        if data.until is None:
            raise PostError("Give the last date.", "repeat_until")
        if not dates.in_range(data.until):
            raise PostError(dates.RANGE_MESSAGE, "repeat_until")
        if data.until < first:
            raise PostError(
                "The last date must be on or after the start date.", "repeat_until"
            )
        return data.until, None
    if ends == Ends.COUNT:
        most = recurrence.MAX_OCCURRENCES
        if data.count is None or not 1 <= data.count <= most:
            raise PostError(f"Give a number from 1 to {most}.", "repeat_count")
        return None, data.count
    return None, None


def _check_extent(probe: Event) -> None:
    """A series with an end gives at most MAX_OCCURRENCES dates, all in the
    editor's years. :raises PostError:"""
    most = recurrence.MAX_OCCURRENCES
    if probe.repeat_until is not None and recurrence.count(probe) > most:
        raise PostError(
            f"That gives more than {most} dates: choose an earlier last date.",
            "repeat_until",
        )
    if probe.repeat_count is not None:
        rule = recurrence.rule(probe)
        assert rule is not None
        last = rule[-1] if probe.repeat_count > 1 else None
        if last is not None and not dates.in_range(last):
            raise PostError(
                f"The last date would be after {dates.LATEST_YEAR}: give fewer times.",
                "repeat_count",
            )


def _changes(
    given: list[ChangeInput], probe: Event, span: Span
) -> list[EventOccurrenceChange]:
    """The changes as new rows, by date. :raises PostError:"""
    if len(given) > MAX_CHANGES:
        raise PostError(f"At most {MAX_CHANGES} changes.", "changes")
    rule = recurrence.rule(probe)
    assert rule is not None
    wall_start, wall_end = (
        moment.replace(tzinfo=None) for moment in local_span_of(span)
    )
    rows: dict[date, EventOccurrenceChange] = {}
    for index, change in enumerate(given):
        where = f"changes-{index}-"
        day = change.day
        if day is None:
            raise PostError("Give the date to change.", where + "day")
        if not dates.in_range(day):
            raise PostError(dates.RANGE_MESSAGE, where + "day")
        if day in rows:
            raise PostError(
                f"{dates.day(day)} already has a change: keep one.", where + "day"
            )
        if datetime.combine(day, wall_start.time()) not in rule:
            raise PostError(
                f"{dates.day(day)} is not one of this event's dates.", where + "day"
            )
        if change.change not in set(OccurrenceChange):
            raise PostError("Choose skip, cancel or move.", where + "change")
        kind = OccurrenceChange(change.change)
        row = EventOccurrenceChange(occurrence_date=day, change=kind)
        if kind == OccurrenceChange.MOVED:
            row.starts_at, row.ends_at = _moved(
                change, span, wall_start, wall_end, where
            )
        elif change.new_date or change.new_start_time or change.new_end_time:
            raise PostError(
                "Choose “Move to” to give a new date or time, or empty it.",
                where + "new_date",
            )
        rows[day] = row
    return [rows[day] for day in sorted(rows)]


def _moved(
    change: ChangeInput,
    span: Span,
    wall_start: datetime,
    wall_end: datetime,
    where: str,
) -> tuple[datetime, datetime]:
    """A moved date's new start and (exclusive) end in UTC: the new date, at
    the new times or the series' own; the end on the date the series' end
    falls on (the next day for an event that runs past midnight).

    :raises PostError:
    """
    new_date = change.new_date
    if new_date is None:
        raise PostError("Give the new date.", where + "new_date")
    if not dates.in_range(new_date):
        raise PostError(dates.RANGE_MESSAGE, where + "new_date")
    if new_date < wall_start.date():  # listings find a series from its start
        raise PostError(
            "Move a date to the series' first date or later.", where + "new_date"
        )
    zone = ZoneInfo(span.timezone)
    days = timedelta(days=(wall_end.date() - wall_start.date()).days)
    if span.all_day:
        start = datetime.combine(new_date, time(0))
        end = datetime.combine(new_date + days, time(0))
    else:
        start = datetime.combine(new_date, change.new_start_time or wall_start.time())
        if change.new_end_time is None:
            end = start + (wall_end - wall_start)
        else:
            end = datetime.combine(new_date + days, change.new_end_time)
    starts_at = start.replace(tzinfo=zone).astimezone(UTC)
    ends_at = end.replace(tzinfo=zone).astimezone(UTC)
    if ends_at <= starts_at:
        raise PostError(
            "The moved date must end after it starts.", where + "new_end_time"
        )
    return starts_at, ends_at


def apply_changes(event: Event, rows: list[EventOccurrenceChange]) -> None:
    """Give ``event`` these changes, keeping the row of a date it already
    has (a new row for the same date would break the table's one-per-date
    rule while the old one waits to be deleted); the rest are deleted."""
    kept = {row.occurrence_date: row for row in event.changes}
    changes = []
    for new in rows:
        row = kept.get(new.occurrence_date) or EventOccurrenceChange(
            occurrence_date=new.occurrence_date
        )
        row.change, row.starts_at, row.ends_at = new.change, new.starts_at, new.ends_at
        changes.append(row)
    event.changes = changes


def as_typed(event: Event) -> RepetitionInput:
    """An event's repetition and changes as the editor shows them (local
    dates and times in the event's zone), for the form and revisions."""
    start, end = local_span(event)
    if event.repeat_count:
        ends = Ends.COUNT
    elif event.repeat_until is not None:
        ends = Ends.UNTIL
    else:
        ends = Ends.NEVER
    weekdays = tuple(d for d in (event.repeat_weekdays or "").split(",") if d)
    if event.repeat == Repeat.WEEKLY and not weekdays:
        weekdays = (recurrence.WEEKDAYS[start.weekday()],)
    return RepetitionInput(
        repeat=Repeat(event.repeat or Repeat.NONE).value,
        interval=event.repeat_interval or 1,
        weekdays=weekdays,
        monthly_by=MonthlyBy(event.repeat_monthly_by or MonthlyBy.DAY_OF_MONTH).value,
        ends=ends.value,
        until=event.repeat_until,
        count=event.repeat_count,
        changes=[_typed_change(event, change) for change in event.changes],
    )


def rule_fields(typed: RepetitionInput) -> dict[str, Any]:
    """The "Repeats" values by the editor's field names (the form shows
    them; a revision keeps them, its dates as text)."""
    return {
        "repeat": typed.repeat,
        "repeat_interval": typed.interval,
        "repeat_weekdays": list(typed.weekdays),
        "repeat_monthly_by": typed.monthly_by,
        "repeat_ends": typed.ends,
        "repeat_until": typed.until,
        "repeat_count": typed.count,
    }


def _typed_change(event: Event, change: EventOccurrenceChange) -> ChangeInput:
    typed = ChangeInput(day=change.occurrence_date, change=change.change.value)
    if change.change != OccurrenceChange.MOVED or change.starts_at is None:
        return typed
    zone = dates.zone_named(event.timezone)
    start = dates.to_zone(change.starts_at, zone)
    typed.new_date = start.date()
    if not event.all_day and change.ends_at is not None:
        typed.new_start_time = start.time().replace(second=0, microsecond=0)
        end = dates.to_zone(change.ends_at, zone)
        typed.new_end_time = end.time().replace(second=0, microsecond=0)
    return typed


def monthly_labels(first: date | None) -> dict[str, str]:
    """The "Monthly" choices worded for the start date: "On day 14", "On the
    second Thursday", "On the last Thursday" (offer the last only when
    :func:`~blog.events.recurrence.is_last_of_month`)."""
    if first is None:
        return {
            MonthlyBy.DAY_OF_MONTH: "On the start date's day of the month",
            MonthlyBy.NTH_WEEKDAY: "On the start date's weekday (the second Thursday)",
            MonthlyBy.LAST_WEEKDAY: "On the last such weekday of the month",
        }
    weekday = f"{first:%A}"
    nth = ORDINALS[recurrence.nth_of_month(first) - 1]
    return {
        MonthlyBy.DAY_OF_MONTH: f"On day {first.day}",
        MonthlyBy.NTH_WEEKDAY: f"On the {nth} {weekday}",
        MonthlyBy.LAST_WEEKDAY: f"On the last {weekday}",
    }
