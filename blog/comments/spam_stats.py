"""What spam protection did: counted when it happens (Akismet's verdicts,
moderators' corrections), read back for the dashboard's Spam panel.

Comments are purged a few weeks after they become spam or trash, so the
numbers cannot be counted from the comments table later: each event adds
one to its day's row (:class:`~blog.models.SpamDailyCount`, days in UTC)
in the caller's transaction, with an atomic upsert that concurrent
requests cannot lose.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Self

from sqlalchemy import select, update

from blog.comments.akismet import Verdict
from blog.comments.permissions import can_moderate_all
from blog.comments.spam_chart import Chart, draw_chart
from blog.database import upsert
from blog.extensions import db
from blog.models import Comment, SpamCheck, SpamDailyCount, SpamTally, utcnow

#: What Akismet's verdicts count (errors, skipped checks: nothing).
_VERDICT_TALLIES: dict[Verdict, tuple[SpamTally, ...]] = {
    Verdict.SPAM: (SpamTally.CHECKED, SpamTally.SPAM),
    Verdict.DISCARD: (SpamTally.CHECKED, SpamTally.SPAM),
    Verdict.HAM: (SpamTally.CHECKED, SpamTally.HAM),
}
#: A moderator overruling Akismet: (the action, as ``states.Action``'s value,
#: what Akismet had said) -> what it counts. (``states`` imports this module.)
_CORRECTIONS: dict[tuple[str, SpamCheck], SpamTally] = {
    ("spam", SpamCheck.HAM): SpamTally.MISSED,
    ("not_spam", SpamCheck.SPAM): SpamTally.FALSE_POSITIVE,
    ("not_spam", SpamCheck.DISCARD): SpamTally.FALSE_POSITIVE,
}
_OPPOSITE = {"spam": "not_spam", "not_spam": "spam"}


def utc_day(now: datetime | None = None) -> date:
    """The UTC day of ``now`` (default: the current time)."""
    return (now or utcnow()).astimezone(UTC).date()


def tally(kind: SpamTally, now: datetime | None = None, n: int = 1) -> None:
    """Add ``n`` to today's (UTC) count of ``kind``, in the caller's
    transaction: one ``INSERT ... ON CONFLICT DO UPDATE``, so two requests
    counting at once both count, on SQLite and on PostgreSQL."""
    statement = upsert(SpamDailyCount).values(
        day=utc_day(now), kind=kind.value, count=n
    )
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[SpamDailyCount.day, SpamDailyCount.kind],
            set_={"count": SpamDailyCount.count + statement.excluded.count},
        )
    )


def note_verdict(verdict: Verdict | None, now: datetime | None = None) -> None:
    """Count Akismet's verdict on a comment: spam (blatant or not) or ham
    are "checked"; errors, skipped or no check count nothing."""
    if verdict is None:
        return
    for kind in _VERDICT_TALLIES.get(verdict, ()):
        tally(kind, now)


def note_correction(comment: Comment, action: str, now: datetime | None = None) -> None:
    """Count a moderator overruling Akismet (call it before the status
    changes): Spam on what Akismet called ham is missed spam, Not Spam on
    what it called spam a false positive. The opposite action later (the
    moderator changed their mind) takes the count back, on the day it was
    counted, so that each comment counts at most once."""
    key = (str(action), comment.spam_check)
    if key in _CORRECTIONS:
        tally(_CORRECTIONS[key], now)
        return
    opposite = _OPPOSITE.get(str(action))
    if opposite and (opposite, comment.spam_check) in _CORRECTIONS:
        _take_back(comment, opposite, _CORRECTIONS[opposite, comment.spam_check], now)


def note_undo(comment: Comment, action: str, now: datetime | None = None) -> None:
    """An undone Spam or Not Spam takes back what it counted (call it
    before the status changes back)."""
    key = (str(action), comment.spam_check)
    if key in _CORRECTIONS:
        _take_back(comment, str(action), _CORRECTIONS[key], now)
        return
    # The undone action had taken back an earlier count (Not Spam, then
    # Spam): undoing it counts that again.
    opposite = _OPPOSITE.get(str(action))
    counted = (opposite, comment.spam_check)
    if counted in _CORRECTIONS and any(e.action == opposite for e in comment.history):
        tally(_CORRECTIONS[counted], now)


def _take_back(
    comment: Comment, counted_by: str, kind: SpamTally, now: datetime | None
) -> None:
    """One less ``kind`` on the day of the comment's latest ``counted_by``
    entry (never below zero). The history is loaded anyway: the transition
    appends to it."""
    entry = next((e for e in reversed(comment.history) if e.action == counted_by), None)
    if entry is None:
        return
    counted_at: datetime | None = entry.at  # None until the entry is flushed
    day = utc_day(counted_at or now)
    db.session.execute(
        update(SpamDailyCount)
        .where(
            SpamDailyCount.day == day,
            SpamDailyCount.kind == kind.value,
            SpamDailyCount.count > 0,
        )
        .values(count=SpamDailyCount.count - 1)
    )


@dataclass(frozen=True)
class Counts:
    """One period's numbers (a day, a month or a total)."""

    checked: int = 0
    spam: int = 0
    ham: int = 0
    missed: int = 0
    false_positive: int = 0

    @classmethod
    def of(cls, numbers: Mapping[str, int], **extra: Any) -> Self:
        """From ``{kind: count}`` (kinds missing count zero)."""
        counts = {kind.value: int(numbers.get(kind.value, 0)) for kind in SpamTally}
        return cls(**counts, **extra)

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.checked + other.checked,
            self.spam + other.spam,
            self.ham + other.ham,
            self.missed + other.missed,
            self.false_positive + other.false_positive,
        )

    @property
    def empty(self) -> bool:
        return not (
            self.checked or self.spam or self.ham or self.missed or self.false_positive
        )

    @property
    def accuracy(self) -> float | None:
        """Of the comments Akismet judged, the share it got right (0 to 1);
        ``None`` when it judged none. Corrections may concern comments
        judged before the period, so it is kept within 0 and 1."""
        judged = self.spam + self.ham
        if not judged:
            return None
        right = judged - self.missed - self.false_positive
        return min(1.0, max(0.0, right / judged))

    @property
    def accuracy_text(self) -> str:
        """``97.3%``, or ``—`` when nothing was judged."""
        accuracy = self.accuracy
        return "—" if accuracy is None else f"{accuracy * 100:.1f}%"


@dataclass(frozen=True)
class DayCounts(Counts):
    day: date = date.min

    @property
    def label(self) -> str:
        """``March 3, 2026``."""
        return f"{self.day:%B} {self.day.day}, {self.day.year}"


@dataclass(frozen=True)
class MonthCounts(Counts):
    #: The month's first day.
    month: date = date.min

    @property
    def label(self) -> str:
        """``March 2026``."""
        return f"{self.month:%B} {self.month.year}"


@dataclass(frozen=True)
class SpamPanel:
    """The Spam panel: oldest first, zeros filled in."""

    days: list[DayCounts]
    months: list[MonthCounts]
    #: The days' sum.
    totals: Counts
    chart: Chart
    #: Whether comments are sent to Akismet now (a key is set).
    checking_on: bool = True

    @property
    def has_numbers(self) -> bool:
        return any(not month.empty for month in self.months) or not self.totals.empty

    @property
    def summary(self) -> str:
        """The chart's description: ``Last 30 days: 1,204 checked, ...``."""
        return f"Last {len(self.days)} days: " + describe(self.totals)


def describe(counts: Counts) -> str:
    """``1,204 checked, 1,150 spam, 54 ham, 2 missed spam, 1 false positive;
    Akismet's accuracy 99.7%``."""
    fp = "false positive" if counts.false_positive == 1 else "false positives"
    return (
        f"{counts.checked:,} checked, {counts.spam:,} spam, {counts.ham:,} ham, "
        f"{counts.missed:,} missed spam, {counts.false_positive:,} {fp}; "
        f"Akismet's accuracy {counts.accuracy_text}"
    )


def month_start(day: date, back: int = 0) -> date:
    """The first day of ``day``'s month, ``back`` months earlier."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def fill(
    numbers: Mapping[date, Mapping[str, int]], today: date, *, days: int, months: int
) -> tuple[list[DayCounts], list[MonthCounts]]:
    """Per-day rows for the ``days`` days up to ``today`` and per-month rows
    for the ``months`` months up to today's, oldest first, zeros filled in,
    from ``{day: {kind: count}}``."""
    day_rows = []
    for offset in range(days - 1, -1, -1):
        day = today - timedelta(days=offset)
        day_rows.append(DayCounts.of(numbers.get(day, {}), day=day))
    by_month: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, kinds in numbers.items():
        for kind, count in kinds.items():
            by_month[month_start(day)][kind] += count
    month_rows = []
    for back in range(months - 1, -1, -1):
        first = month_start(today, back)
        month_rows.append(MonthCounts.of(by_month.get(first, {}), month=first))
    return day_rows, month_rows


def read_counts(since: date) -> dict[date, dict[str, int]]:
    """``{day: {kind: count}}`` from ``since`` on, in one query."""
    numbers: dict[date, dict[str, int]] = defaultdict(dict)
    rows = db.session.execute(
        select(SpamDailyCount.day, SpamDailyCount.kind, SpamDailyCount.count).where(
            SpamDailyCount.day >= since
        )
    )
    for day, kind, count in rows:
        numbers[day][kind] = int(count)
    return numbers


def spam_panel(
    now: datetime | None = None,
    *,
    days: int = 30,
    months: int = 12,
    checking_on: bool = True,
) -> SpamPanel:
    """The numbers of the last ``days`` UTC days and ``months`` months (the
    current one included), their chart, in one query."""
    today = utc_day(now)
    since = min(today - timedelta(days=days - 1), month_start(today, months - 1))
    day_rows, month_rows = fill(read_counts(since), today, days=days, months=months)
    totals = sum(day_rows, Counts())
    return SpamPanel(
        days=day_rows,
        months=month_rows,
        totals=totals,
        chart=draw_chart(day_rows),
        checking_on=checking_on,
    )


def panel_for(
    actor: Any, now: datetime | None = None, *, checking_on: bool
) -> SpamPanel | None:
    """The Spam panel for those who moderate every comment (editors and
    admins: the numbers are site-wide); ``None`` for anyone else.

    :param checking_on: whether Akismet is configured (a key is set).
    """
    if not can_moderate_all(actor):
        return None
    return spam_panel(now, checking_on=checking_on)
