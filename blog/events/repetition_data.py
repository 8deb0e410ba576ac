"""An event's repetition and its changed dates as plain JSON data, for the
exports (JSON and the WordPress file's ``_blog_event_repetition``) and the
importer that reads them back. Reading is forgiving, as the importer is:
whatever is not understood is left out, never an error."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from blog import dates
from blog.events import recurrence
from blog.events.recurrence import MAX_OCCURRENCES, WEEKDAYS
from blog.events.when import local_span
from blog.models import (
    Event,
    EventOccurrenceChange,
    MonthlyBy,
    OccurrenceChange,
    Repeat,
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def to_data(event: Event) -> dict[str, Any] | None:
    """``None`` for an event that does not repeat."""
    if not event.repeats:
        return None
    return {
        "repeat": event.repeat.value,
        "interval": event.repeat_interval,
        "weekdays": event.repeat_weekdays,
        "monthly_by": event.repeat_monthly_by.value,
        "until": event.repeat_until.isoformat() if event.repeat_until else None,
        "count": event.repeat_count,
        "changes": [
            {
                "date": change.occurrence_date.isoformat(),
                "change": change.change.value,
                "starts_at": _iso(change.starts_at),
                "ends_at": _iso(change.ends_at),
            }
            for change in event.changes
        ],
    }


def apply_data(event: Event, data: Any) -> None:
    """Put what ``data`` (from :func:`to_data`) holds on ``event`` (whose
    times are set); anything malformed, or a rule the editor would refuse,
    leaves the event as a one-off (or the change out)."""
    if not isinstance(data, dict):
        return
    try:
        repeat = Repeat(str(data.get("repeat")))
        monthly_by = MonthlyBy(data.get("monthly_by", MonthlyBy.DAY_OF_MONTH))
        interval = int(data.get("interval") or 1)
        count = int(data["count"]) if data.get("count") else None
        until = date.fromisoformat(data["until"]) if data.get("until") else None
    except (TypeError, ValueError):
        return
    if not 1 <= interval <= 99 or (
        count is not None and not 1 <= count <= MAX_OCCURRENCES
    ):
        return
    if until is not None and not dates.in_range(until):
        return
    weekdays = [d for d in str(data.get("weekdays") or "").split(",") if d in WEEKDAYS]
    if not _starts_the_rule(event, repeat, weekdays, monthly_by):
        return
    event.repeat = repeat
    event.repeat_interval = interval
    event.repeat_weekdays = ",".join(weekdays)
    event.repeat_monthly_by = monthly_by
    event.repeat_until = until
    event.repeat_count = count
    if until is not None and recurrence.count(event) > MAX_OCCURRENCES:
        event.repeat, event.repeat_until = Repeat.NONE, None  # as the editor refuses
        return
    seen: set[date] = set()
    for item in data.get("changes") or []:
        change = _change(item)
        if change is not None and change.occurrence_date not in seen:
            seen.add(change.occurrence_date)
            event.changes.append(change)


def _starts_the_rule(
    event: Event, repeat: Repeat, weekdays: list[str], monthly_by: MonthlyBy
) -> bool:
    """Whether the first date is one the rule gives, as the editor requires
    (RFC 5545 counts DTSTART as a date whatever the rule says; dateutil does
    not: the calendar file and the pages would disagree)."""
    first = local_span(event)[0].date()
    if repeat == Repeat.WEEKLY and weekdays:
        return WEEKDAYS[first.weekday()] in weekdays
    if repeat == Repeat.MONTHLY and monthly_by == MonthlyBy.LAST_WEEKDAY:
        return recurrence.is_last_of_month(first)
    return True


def _change(item: Any) -> EventOccurrenceChange | None:
    if not isinstance(item, dict):
        return None
    try:
        day = date.fromisoformat(item["date"])
        kind = OccurrenceChange(item["change"])
        starts = _moment(item.get("starts_at"))
        ends = _moment(item.get("ends_at"))
    except (KeyError, TypeError, ValueError):
        return None
    if kind == OccurrenceChange.MOVED and (
        starts is None or ends is None or ends <= starts
    ):
        return None
    if not dates.in_range(day) or (starts and not dates.in_range(starts.date())):
        return None
    return EventOccurrenceChange(
        occurrence_date=day, change=kind, starts_at=starts, ends_at=ends
    )


def _moment(value: Any) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("a time without its offset")
    return moment
