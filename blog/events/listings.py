"""What readers see of events: upcoming and past listings, the month
calendar, the home page's summary, the feeds' next dates, the listing's
filters, and the dashboard's list.

Listings show *occurrences* (:class:`blog.events.recurrence.Occurrence`):
a one-off event once, a repeating one once per date. Nothing is stored per
date, so each list reads a fixed number of queries and expands the series
in Python:

- one query for the one-off events of the page (the first ``page *
  per_page`` in order, by SQL, and a count of them);
- one query for the series that may have a date in a bounded window (a
  series without end goes on for ever: listings take a series' dates for
  :data:`HORIZON` from its first date or from now, and look twice that
  back), each expanded with
  :func:`~blog.events.recurrence.between` and merged with the rest.

People, sponsors and the dates' changes come in one query each (selectin),
the venue and organiser with the event (joined).

Upcoming and past switch over at an occurrence's *end*. Visibility is the
posts' one rule (:func:`blog.posts.reading.visible`). Dates are grouped on
each event's own clock, as its page shows them.
"""

from __future__ import annotations

import calendar as calendars
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import contains_eager, lazyload, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from blog import dates
from blog.events import recurrence
from blog.events.recurrence import HORIZON, Occurrence
from blog.events.when import local_span, occurrence_days, occurrence_span
from blog.extensions import db
from blog.models import Event, Post, PostKind, Repeat, Taxonomy, Term, User, utcnow
from blog.paging import ListPagination
from blog.posts.listing import dashboard_posts
from blog.posts.reading import visible, visible_ids
from blog.posts.taxonomy import terms_used_by

#: The listing's date ranges (``?range=``): from now to the end of the
#: week (weeks start on Monday, as ISO 8601's) or of the month, on the
#: site's clock.
RANGES = {"week": "This week", "month": "This month"}
#: How far back the past listing looks for the dates of repeating events.
PAST_REACH = 2 * HORIZON
#: Months the calendar shows: the years an editor may give a date in.
CALENDAR_YEARS = range(dates.EARLIEST_YEAR, dates.LATEST_YEAR + 1)
_NEVER = datetime.max.replace(tzinfo=UTC)
#: What lists of titles and dates leave unread (event pages read them).
_NO_PEOPLE: tuple[LoaderOption, ...] = (
    lazyload(Post.event, Event.people),
    lazyload(Post.event, Event.sponsors),
)
_LIGHT: tuple[LoaderOption, ...] = (lazyload(Post.terms), *_NO_PEOPLE)


def _visible(now: datetime) -> Select[Post]:
    """Visible events joined to their event rows (no order, no loading)."""
    return (
        visible(PostKind.EVENT, now)
        .order_by(None)
        .join(Event, Event.post_id == Post.id)
    )


def _published(now: datetime) -> Select[Post]:
    """Visible events with their details; people and sponsors come in one query each."""
    return _visible(now).options(contains_eager(Post.event))


def _filtered(
    query: Select[Post], category: str | None, audience: str | None
) -> Select[Post]:
    """Only events in the category and open to the audience (slugs) given."""
    chosen = ((Taxonomy.CATEGORY, category), (Taxonomy.AUDIENCE, audience))
    for taxonomy, slug in chosen:
        if slug:
            query = query.where(
                Post.has_term(Term.taxonomy == taxonomy, Term.slug == slug)
            )
    return query


def _running_after(moment: datetime) -> Any:
    """Events with a date not over at ``moment``: a series without end always."""
    return or_(Event.last_ends_at.is_(None), Event.last_ends_at > moment)


def overlapping(query: Select[Post], start: datetime, end: datetime) -> Select[Post]:
    """Events that may have a date overlapping ``[start, end)``: begun before
    its end and not over by its start (``last_ends_at`` is the end of a
    series' last date, NULL for one without end, ``ends_at`` otherwise)."""
    return query.where(Event.starts_at < end, _running_after(start))


def upcoming(
    now: datetime | None = None,
    *,
    category: str | None = None,
    audience: str | None = None,
) -> Select[Post]:
    """Events with a date that has not ended at ``now`` (a series still
    running counts), by first date: one row per event, for calendar files."""
    now = now or utcnow()
    query = _filtered(_published(now).where(_running_after(now)), category, audience)
    return query.order_by(Event.starts_at.asc(), Post.id.asc())


def past(
    now: datetime | None = None,
    *,
    category: str | None = None,
    audience: str | None = None,
) -> Select[Post]:
    """Events whose every date has ended by ``now``, newest first."""
    now = now or utcnow()
    query = _published(now).where(Event.last_ends_at <= now)
    query = _filtered(query, category, audience)
    return query.order_by(Event.starts_at.desc(), Post.id.desc())


# Occurrences ------------------------------------------------------------------


def only_date(post: Post) -> Occurrence:
    """A one-off event's one occurrence."""
    assert post.event is not None
    found = recurrence.find(post, local_span(post.event)[0].date())
    assert found is not None
    return found


def _one_off(query: Select[Post]) -> Select[Post]:
    return query.where(Event.repeat == Repeat.NONE)


def _series(query: Select[Post]) -> Select[Post]:
    return query.where(Event.repeat != Repeat.NONE)


def _rows(query: Select[Post], *options: LoaderOption) -> list[Post]:
    return list(db.session.scalars(query.options(*options)))


def _count(query: Select[Post]) -> int:
    ids = query.order_by(None).with_only_columns(Post.id).subquery()
    return int(db.session.scalar(select(func.count()).select_from(ids)) or 0)


def _expanded(
    posts: Iterable[Post], start: datetime, end: datetime
) -> list[Occurrence]:
    """The dates of repeating events overlapping ``[start, end)``, in order."""
    return recurrence.merged(recurrence.between(p, start, end) for p in posts)


def _upcoming(
    now: datetime,
    wanted: int,
    *,
    category: str | None = None,
    audience: str | None = None,
    until: datetime | None = None,
    options: Sequence[LoaderOption] = (),
    counted: bool = True,
    where: ColumnElement[bool] | None = None,
) -> tuple[list[Occurrence], int]:
    """The first ``wanted`` occurrences not over at ``now`` (starting before
    ``until``, if given; of the events ``where`` holds for, if given), soonest
    first, and how many there are (``0`` when not ``counted``: one query less)."""
    stop = until or _NEVER
    base = _filtered(_visible(now), category, audience)
    if where is not None:
        base = base.where(where)
    singles = _one_off(base).where(Event.ends_at > now)
    if until is not None:
        singles = singles.where(Event.starts_at < until)
    first = singles.order_by(Event.starts_at.asc(), Post.id.asc()).limit(wanted)
    posts = _rows(first.options(contains_eager(Post.event)), *options)
    series = _rows(
        overlapping(_series(base), now, stop).options(contains_eager(Post.event)),
        *options,
    )
    # A series' dates for a year from when it starts (or from now, once it
    # has): one that starts in two years is listed, as one-off events are.
    dated = recurrence.merged(
        recurrence.between(p, now, min(stop, max(now, p.event.starts_at) + HORIZON))
        for p in series
        if p.event is not None
    )
    total = _count(singles) + len(dated) if counted else 0
    found = recurrence.merged([[only_date(p) for p in posts], dated])
    return found[:wanted], total


def upcoming_page(
    now: datetime,
    *,
    page: int,
    per_page: int,
    category: str | None = None,
    audience: str | None = None,
    until: datetime | None = None,
) -> ListPagination:
    """A page of the upcoming list, ``/events/``: one-off events however far
    ahead, with each repeating event's dates for :data:`HORIZON` from its
    start (or from now), soonest first; those starting before ``until``
    only, if given (:func:`range_end`)."""
    found, total = _upcoming(
        now,
        page * per_page,
        category=category,
        audience=audience,
        until=until,
        options=_LIGHT,
    )
    return ListPagination(found, page=page, per_page=per_page, total=total)


def past_page(
    now: datetime,
    *,
    page: int,
    per_page: int,
    category: str | None = None,
    audience: str | None = None,
) -> ListPagination:
    """A page of the past list, ``/events/past/``: one-off events that have
    ended, with the dates of repeating events of the last :data:`PAST_REACH`,
    newest first."""
    since = now - PAST_REACH
    wanted = page * per_page
    base = _filtered(_visible(now), category, audience)
    singles = _one_off(base).where(Event.ends_at <= now)
    first = singles.order_by(Event.starts_at.desc(), Post.id.desc()).limit(wanted)
    posts = _rows(first.options(contains_eager(Post.event)), *_LIGHT)
    series = overlapping(_series(base), since, now).options(contains_eager(Post.event))
    dated = [
        o for o in _expanded(_rows(series, *_LIGHT), since, now) if o.ends_at <= now
    ]
    total = _count(singles) + len(dated)
    found = recurrence.merged([[only_date(p) for p in posts], dated])
    found.reverse()
    return ListPagination(found[:wanted], page=page, per_page=per_page, total=total)


def next_occurrences(
    limit: int, now: datetime | None = None, *, with_terms: bool = False
) -> list[Occurrence]:
    """The next ``limit`` occurrences not over at ``now`` (a repeating
    event's for :data:`HORIZON`), for the home page and the events feed; people
    and sponsors are not read (nor terms, unless ``with_terms``)."""
    options = _NO_PEOPLE if with_terms else _LIGHT
    return _upcoming(now or utcnow(), limit, options=options, counted=False)[0]


def next_occurrences_where(
    where: ColumnElement[bool], limit: int, now: datetime
) -> list[Occurrence]:
    """The next ``limit`` dates of the events ``where`` holds for (a venue's,
    an organiser's), as :func:`next_occurrences` gives them."""
    return _upcoming(now, limit, options=_LIGHT, counted=False, where=where)[0]


def upcoming_summary(now: datetime | None = None, limit: int = 3) -> list[Occurrence]:
    """The next few dates, for the home page: titles and dates only."""
    return next_occurrences(limit, now)


def upcoming_events(limit: int, category: str | None = None) -> list[Post]:
    """The next ``limit`` events with a date to come (of one category, by
    slug, if given) with every detail, for calendar files: one VEVENT per
    event, a series with its rule, so a series still running is in."""
    return list(db.session.scalars(upcoming(category=category).limit(limit)))


def range_end(name: str, now: datetime, zone: tzinfo) -> datetime | None:
    """The end of the listing's range ``name`` (:data:`RANGES`) on ``zone``'s
    clock, as UTC: the Monday after this week, the first of next month.
    ``None`` for any other name (no range)."""
    today = dates.to_zone(now, zone).date()
    if name == "week":
        last = today + timedelta(days=6 - today.weekday())
    elif name == "month":
        last = today.replace(day=calendars.monthrange(today.year, today.month)[1])
    else:
        return None
    return datetime.combine(last + timedelta(days=1), time.min, zone).astimezone(UTC)


def get_visible_event(slug: str, now: datetime | None = None) -> Post | None:
    return db.session.scalar(_published(now or utcnow()).where(Post.slug == slug))


def filter_terms() -> dict[str, list[Term]]:
    """Categories and audiences used by visible events, for the listing's filters."""
    terms = terms_used_by(
        visible_ids(PostKind.EVENT), [Taxonomy.CATEGORY, Taxonomy.AUDIENCE]
    )
    grouped: dict[str, list[Term]] = {"category": [], "audience": []}
    for term in terms:
        grouped[term.taxonomy].append(term)
    return grouped


# Grouping ---------------------------------------------------------------------


@dataclass(frozen=True)
class MonthGroup:
    label: str
    posts: list[Post]


def group_by_month(posts: Iterable[Post]) -> list[MonthGroup]:
    """Consecutive events under "March 2024" headings, in each event's own zone."""
    groups: list[MonthGroup] = []
    for post in posts:
        assert post.event is not None
        label = dates.month(local_span(post.event)[0])
        if groups and groups[-1].label == label:
            groups[-1].posts.append(post)
        else:
            groups.append(MonthGroup(label, [post]))
    return groups


@dataclass(frozen=True)
class OccurrenceMonth:
    label: str
    occurrences: list[Occurrence]


def occurrences_by_month(occurrences: Iterable[Occurrence]) -> list[OccurrenceMonth]:
    """Consecutive dates under "March 2024" headings, each on its event's clock."""
    groups: list[OccurrenceMonth] = []
    for occurrence in occurrences:
        label = dates.month(occurrence_span(occurrence)[0])
        if groups and groups[-1].label == label:
            groups[-1].occurrences.append(occurrence)
        else:
            groups.append(OccurrenceMonth(label, [occurrence]))
    return groups


# The month calendar -------------------------------------------------------------


@dataclass(frozen=True)
class DayEntry:
    """A date on one day of the calendar: on its first day, or ``continued``
    from the day before (an event over two days is on both)."""

    occurrence: Occurrence
    continued: bool = False


@dataclass(frozen=True)
class CalendarDay:
    day: date
    #: Whether the day is in the month shown (the grid's first and last
    #: weeks hold days of the months around it, shown empty).
    in_month: bool
    today: bool
    entries: list[DayEntry]


@dataclass(frozen=True)
class MonthCalendar:
    """A month's grid, weeks from Monday to Sunday, each day with the dates
    that run on it on their event's own clock (an event over two days is on
    both)."""

    first: date
    today: date
    weeks: list[list[CalendarDay]]
    previous: date | None
    following: date | None

    @property
    def label(self) -> str:
        return dates.month(self.first)

    @property
    def far(self) -> bool:
        """Whether the month is more than a year from today's: shown, but
        kept out of search engines (the months run on to 2200)."""
        months = (self.first.year - self.today.year) * 12
        return abs(months + self.first.month - self.today.month) > 12

    @property
    def days_with_events(self) -> list[CalendarDay]:
        return [d for week in self.weeks for d in week if d.in_month and d.entries]


def _month_after(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _month_before(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def month_calendar(
    year: int,
    month: int,
    *,
    now: datetime,
    zone: tzinfo,
    category: str | None = None,
    audience: str | None = None,
) -> MonthCalendar | None:
    """The calendar of ``month`` (``None`` outside :data:`CALENDAR_YEARS`);
    today is the site's (``zone``). One query for the events that may run
    in the month, whatever their zones (the window is widened by a day each
    side), expanded and put on the days they run on."""
    if year not in CALENDAR_YEARS or not 1 <= month <= 12:
        return None
    first = date(year, month, 1)
    following = _month_after(first)
    start = datetime.combine(first - timedelta(days=1), time.min, UTC)
    end = datetime.combine(following + timedelta(days=1), time.min, UTC)
    query = overlapping(_filtered(_published(now), category, audience), start, end)
    on_day: dict[date, list[DayEntry]] = {}
    posts = _rows(query, *_LIGHT)
    for occurrence in recurrence.merged(
        recurrence.between(p, start, end) for p in posts
    ):
        first_day, last_day = occurrence_days(occurrence)
        day = max(first_day, first)
        while day <= last_day and day < following:
            entry = DayEntry(occurrence, continued=day > first_day)
            on_day.setdefault(day, []).append(entry)
            day += timedelta(days=1)
    today = dates.to_zone(now, zone).date()
    weeks = [
        [
            CalendarDay(
                day=day,
                in_month=day.month == month,
                today=day == today,
                entries=on_day.get(day, []) if day.month == month else [],
            )
            for day in week
        ]
        for week in calendars.Calendar(
            firstweekday=calendars.MONDAY
        ).monthdatescalendar(year, month)
    ]
    return MonthCalendar(
        first=first,
        today=today,
        weeks=weeks,
        previous=None
        if year == CALENDAR_YEARS.start and month == 1
        else _month_before(first),
        following=None if following.year not in CALENDAR_YEARS else following,
    )


def dashboard_events(actor: User, *, status: str = "") -> Select[Post]:
    """The events an actor manages (see :func:`blog.posts.listing.dashboard_posts`)."""
    query = dashboard_posts(actor, kind=PostKind.EVENT, status=status)
    return query.options(
        selectinload(Post.event).options(
            lazyload(Event.people), lazyload(Event.sponsors), lazyload(Event.changes)
        )
    )
