"""Repeating events: the dates a rule gives, less the dates skipped, with
the dates cancelled or moved, as :class:`Occurrence` values.

Nothing is stored per occurrence: an event keeps its first date
(``starts_at``/``ends_at``), its rule (``repeat*``) and its changes
(:class:`blog.models.EventOccurrenceChange`), and the dates are computed
with python-dateutil's ``rrule`` on the event's own clock, so a 4 p.m. New
York seminar stays at 4 p.m. in winter and in summer (its UTC time moves
with daylight saving). Listings ask for a window (:func:`between`) or the
next few (:func:`upcoming_of`); nothing here reads the database.

An occurrence is named by its *original* local date (``day``): the date the
rule gives it, kept when it is moved, as RFC 5545's RECURRENCE-ID is. That
date is its address: ``/events/<slug>/<YYYY-MM-DD>/``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from typing import Any, Literal
from zoneinfo import ZoneInfo

from dateutil import rrule as du
from dateutil.relativedelta import relativedelta

from blog import dates
from blog.events.when import local_span
from blog.models import (
    Event,
    EventOccurrenceChange,
    EventStatus,
    MonthlyBy,
    OccurrenceChange,
    Post,
    Repeat,
)

#: RFC 5545's day names, Monday first (Python's ``weekday()`` order).
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DU_DAYS = (du.MO, du.TU, du.WE, du.TH, du.FR, du.SA, du.SU)
_FREQ: dict[Repeat, Literal[0, 1, 2, 3, 4, 5, 6]] = {
    Repeat.DAILY: du.DAILY,
    Repeat.WEEKLY: du.WEEKLY,
    Repeat.MONTHLY: du.MONTHLY,
}
#: How far ahead listings look for the dates of a series without an end
#: (and for a long one): a year, as most calendars do.
HORIZON = timedelta(days=366)
#: The most dates one rule may give (``repeat_count``, or until a date).
MAX_OCCURRENCES = 1000


@dataclass(frozen=True)
class Occurrence:
    """One date of an event (the only one, for an event that does not repeat)."""

    post: Post
    #: The original local date: the occurrence's name and address.
    day: date
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC, exclusive
    #: Cancelled when the event is, or when this one date is.
    status: EventStatus
    #: Whether this date was moved from where the rule put it.
    moved: bool = False

    @property
    def event(self) -> Event:
        assert self.post.event is not None
        return self.post.event

    @property
    def repeats(self) -> bool:
        return self.event.repeats

    @property
    def cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def sort_key(self) -> tuple[datetime, int, date]:
        return (self.starts_at, self.post.id, self.day)


def _zone(event: Event) -> ZoneInfo:
    zone = dates.zone_named(event.timezone)
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo("UTC")


def _wall(event: Event) -> tuple[datetime, timedelta]:
    """The first start on the event's clock (naive) and the wall-clock length,
    so that every occurrence keeps the same local times."""
    start, end = local_span(event)
    naive_start = start.replace(tzinfo=None)
    return naive_start, end.replace(tzinfo=None) - naive_start


def weekdays(event: Event) -> list[int]:
    """A weekly event's days (0 is Monday); the first date's day when none is named."""
    chosen = [
        WEEKDAYS.index(d) for d in event.repeat_weekdays.split(",") if d in WEEKDAYS
    ]
    return sorted(set(chosen)) or [local_span(event)[0].weekday()]


def nth_of_month(day: date) -> int:
    """Which of its weekday in the month ``day`` is: 1 to 5."""
    return (day.day - 1) // 7 + 1


def is_last_of_month(day: date) -> bool:
    """Whether no later same weekday falls in ``day``'s month."""
    return (day + timedelta(days=7)).month != day.month


def rule(event: Event) -> du.rrule | None:
    """The event's dates as a dateutil ``rrule`` of naive local start times
    (``None`` for an event that does not repeat)."""
    if not event.repeats:
        return None
    start, _ = _wall(event)
    options: dict[str, Any] = {
        "dtstart": start,
        "interval": max(event.repeat_interval or 1, 1),
    }
    if event.repeat == Repeat.WEEKLY:
        options["byweekday"] = [_DU_DAYS[d] for d in weekdays(event)]
    elif event.repeat == Repeat.MONTHLY:
        weekday = _DU_DAYS[start.weekday()]
        if event.repeat_monthly_by == MonthlyBy.NTH_WEEKDAY:
            options["byweekday"] = weekday(nth_of_month(start.date()))
        elif event.repeat_monthly_by == MonthlyBy.LAST_WEEKDAY:
            options["byweekday"] = weekday(-1)
        else:
            # The 31st is skipped in shorter months, as RFC 5545 says.
            options["bymonthday"] = start.day
    if event.repeat_count:
        options["count"] = min(event.repeat_count, MAX_OCCURRENCES)
    elif event.repeat_until is not None:
        options["until"] = datetime.combine(event.repeat_until, time.max)
    return du.rrule(_FREQ[event.repeat], **options)


def _rule_near(event: Event, low: datetime) -> du.rrule | None:
    """:func:`rule`, started afresh a whole number of periods after the first
    date and shortly before ``low`` (naive local), when that gives the same
    dates: dateutil steps through every date from its start, so a month view
    in 2200 of a weekly series begun in 1990 would walk eleven thousand weeks.
    A rule with a count keeps its start (it counts from there; at most
    :data:`MAX_OCCURRENCES` dates)."""
    base = rule(event)
    if base is None or event.repeat_count:
        return base
    start, _ = _wall(event)
    if low - start < timedelta(days=800):
        return base
    interval = max(event.repeat_interval or 1, 1)
    if event.repeat == Repeat.MONTHLY:
        months = (low.year - start.year) * 12 + (low.month - start.month)
        periods = months // interval - 1  # a whole period to spare
        return base.replace(dtstart=start + relativedelta(months=periods * interval))
    step = timedelta(days=interval if event.repeat == Repeat.DAILY else 7 * interval)
    periods = (low - start) // step - 1
    return base.replace(dtstart=start + periods * step)


def _to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """A naive wall time on ``zone``'s clock in UTC (a skipped time is read
    with the offset before the change, as the editor reads it)."""
    return local.replace(tzinfo=zone).astimezone(UTC)


def _changes(event: Event) -> dict[date, EventOccurrenceChange]:
    return {change.occurrence_date: change for change in event.changes}


def _made(
    post: Post, local_start: datetime, length: timedelta, zone: ZoneInfo
) -> Occurrence:
    event = post.event
    assert event is not None
    return Occurrence(
        post=post,
        day=local_start.date(),
        starts_at=_to_utc(local_start, zone),
        ends_at=_to_utc(local_start + length, zone),
        status=event.status,
    )


def _changed(
    occurrence: Occurrence, change: EventOccurrenceChange
) -> Occurrence | None:
    """The occurrence as its change leaves it (``None`` when skipped)."""
    if change.change == OccurrenceChange.SKIPPED:
        return None
    if change.change == OccurrenceChange.CANCELLED:
        return replace(occurrence, status=EventStatus.CANCELLED)
    if change.starts_at is None or change.ends_at is None:
        return occurrence
    return replace(
        occurrence, starts_at=change.starts_at, ends_at=change.ends_at, moved=True
    )


def _single(post: Post) -> Occurrence:
    event = post.event
    assert event is not None
    return Occurrence(
        post=post,
        day=local_span(event)[0].date(),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        status=event.status,
    )


def between(post: Post, start: datetime, end: datetime) -> list[Occurrence]:
    """The occurrences of ``post`` that overlap ``[start, end)`` (UTC), in
    order; skipped dates left out, cancelled ones kept (marked)."""
    event = post.event
    assert event is not None
    if not event.repeats:
        one = _single(post)
        return [one] if one.starts_at < end and one.ends_at > start else []
    found = [
        occurrence
        for occurrence in _originals_between(post, start, end)
        if occurrence.starts_at < end and occurrence.ends_at > start
    ]
    return sorted(found, key=lambda o: o.sort_key)


def _originals_between(
    post: Post, start: datetime, end: datetime
) -> Iterator[Occurrence]:
    """Occurrences whose original slot, or whose moved slot, may overlap the window."""
    event = post.event
    assert event is not None
    zone = _zone(event)
    _, length = _wall(event)
    changes = _changes(event)
    # Local bounds, widened by a day each side for the zone's offset.
    low = dates.to_zone(start, zone).replace(tzinfo=None) - length - timedelta(days=1)
    high = dates.to_zone(end, zone).replace(tzinfo=None) + timedelta(days=1)
    recurrence = _rule_near(event, low)
    assert recurrence is not None
    seen: set[date] = set()
    for local_start in recurrence.between(low, high, inc=True):
        occurrence = _made(post, local_start, length, zone)
        seen.add(occurrence.day)
        change = changes.get(occurrence.day)
        kept = occurrence if change is None else _changed(occurrence, change)
        if kept is not None:
            yield kept
    # Dates moved into the window from outside it.
    for day, change in changes.items():
        if day in seen or change.change != OccurrenceChange.MOVED:
            continue
        if change.starts_at is None or change.ends_at is None:
            continue
        original = find(post, day)
        if original is not None:
            yield original


def occurrences_after(post: Post, moment: datetime) -> Iterator[Occurrence]:
    """Occurrences that have not ended at ``moment``, soonest first, lazily
    (a series without end goes on for ever: take what you need)."""
    event = post.event
    assert event is not None
    if not event.repeats:
        one = _single(post)
        if one.ends_at > moment:
            yield one
        return
    # Windows of a quarter, one after another, until the rule runs out.
    window = timedelta(days=92)
    start = moment
    last = series_end(event)
    given: set[date] = set()
    while last is None or start < last:
        for occurrence in between(post, start, start + window):
            if occurrence.day not in given:  # one spanning two windows
                given.add(occurrence.day)
                yield occurrence
        start += window
        if start - moment > timedelta(days=366 * 200):  # the years Python holds
            return


def upcoming_of(post: Post, moment: datetime, limit: int) -> list[Occurrence]:
    """The next ``limit`` occurrences that have not ended at ``moment``."""
    return list(islice(occurrences_after(post, moment), limit))


def next_change(post: Post, moment: datetime) -> datetime | None:
    """When the event's dates next change what pages show after ``moment``:
    the next start (an occurrence begins) or end (it becomes past)."""
    for occurrence in islice(occurrences_after(post, moment), 1):
        if occurrence.starts_at > moment:
            return occurrence.starts_at
        return occurrence.ends_at
    return None


def next_occurrence(post: Post, moment: datetime) -> Occurrence | None:
    """The next occurrence not over at ``moment`` and not cancelled; failing
    that, the next at all; failing that (all past), ``None``."""
    first: Occurrence | None = None
    for occurrence in islice(occurrences_after(post, moment), 200):
        if not occurrence.cancelled:
            return occurrence
        first = first or occurrence
    return first


def find(post: Post, day: date) -> Occurrence | None:
    """The occurrence named ``day`` (its original local date), as changed;
    ``None`` when the rule gives no such date or the date is skipped."""
    event = post.event
    assert event is not None
    if not event.repeats:
        one = _single(post)
        return one if one.day == day else None
    _, length = _wall(event)
    start_time = _wall(event)[0].time()
    local_start = datetime.combine(day, start_time)
    recurrence = _rule_near(event, local_start - timedelta(days=1))
    assert recurrence is not None
    if local_start not in recurrence:
        return None
    occurrence = _made(post, local_start, length, _zone(event))
    change = _changes(event).get(day)
    return occurrence if change is None else _changed(occurrence, change)


def series_end(event: Event) -> datetime | None:
    """When the event's last occurrence ends (UTC), moved dates counted;
    ``None`` for a series without end. Stored as ``last_ends_at``."""
    if not event.repeats:
        return event.ends_at
    recurrence = rule(event)
    assert recurrence is not None
    if not (event.repeat_count or event.repeat_until):
        return None
    zone = _zone(event)
    _, length = _wall(event)
    changes = _changes(event)
    ends: list[datetime] = []
    last_kept = None
    for local_start in islice(recurrence, MAX_OCCURRENCES):
        last_kept = local_start
    if last_kept is not None:
        ends.append(_to_utc(last_kept + length, zone))
    ends += [c.ends_at for c in changes.values() if c.ends_at is not None]
    return max(ends) if ends else event.ends_at


def count(event: Event, limit: int = MAX_OCCURRENCES + 1) -> int:
    """How many dates the rule gives, up to ``limit`` (for the editor's check)."""
    recurrence = rule(event)
    if recurrence is None:
        return 1
    return sum(1 for _ in islice(recurrence, limit))


def merged(lists: Iterable[list[Occurrence]]) -> list[Occurrence]:
    """Occurrences of several events in one order: start, then event, then date."""
    return sorted((o for found in lists for o in found), key=lambda o: o.sort_key)
