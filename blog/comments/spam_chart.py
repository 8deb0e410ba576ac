"""The Spam panel's chart, drawn on the server: the geometry of an inline SVG
(one stacked bar a day, spam below ham; a circle above a day with missed
spam, a diamond above one with false positives), computed here so that the
template only loops over shapes. No script, no external file.

The chart is a picture for those who see it; the table beside it is the
accessible version, and the chart's description sums it up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

#: The drawing's size (the viewBox; CSS scales it to the panel's width).
WIDTH, HEIGHT = 600, 220
#: The plot area inside: room for the axis labels and the markers on top.
LEFT, RIGHT, TOP, BOTTOM = 56.0, 592.0, 30.0, 194.0
#: A bar's share of its day's slot.
BAR_SHARE = 0.7
MARKER_RADIUS = 4.0
#: Between a bar's top and the first marker's centre, and between markers.
MARKER_GAP, MARKER_STEP = 8.0, 10.0


class DayNumbers(Protocol):
    """What the chart needs of a day (``spam_stats.DayCounts``)."""

    @property
    def day(self) -> date: ...
    @property
    def spam(self) -> int: ...
    @property
    def ham(self) -> int: ...
    @property
    def missed(self) -> int: ...
    @property
    def false_positive(self) -> int: ...


@dataclass(frozen=True)
class Rect:
    #: ``spam`` or ``ham`` (the CSS class and the fill).
    kind: str
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Marker:
    #: ``missed`` (a circle) or ``false-positive`` (a diamond).
    kind: str
    cx: float
    cy: float
    r: float = MARKER_RADIUS

    @property
    def points(self) -> str:
        """The diamond's corners, for ``<polygon points>``."""
        r = self.r + 1
        corners = [
            (self.cx, self.cy - r),
            (self.cx + r, self.cy),
            (self.cx, self.cy + r),
            (self.cx - r, self.cy),
        ]
        return " ".join(f"{x:g},{y:g}" for x, y in corners)


@dataclass(frozen=True)
class DayBar:
    """One day's shapes and the tooltip that names its numbers."""

    title: str
    rects: list[Rect] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    #: ``start``, ``middle`` or ``end`` (SVG's ``text-anchor``).
    anchor: str = "middle"


@dataclass(frozen=True)
class Chart:
    bars: list[DayBar]
    #: Horizontal grid lines, at each tick's ``y``.
    ticks: list[Label]
    #: A day's date under its bar, about once a week.
    days: list[Label]
    width: int = WIDTH
    height: int = HEIGHT
    left: float = LEFT
    right: float = RIGHT
    top: float = TOP
    bottom: float = BOTTOM

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... at least ``value``."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _r(value: float) -> float:
    return round(value, 1)


def draw_chart(days: Sequence[DayNumbers]) -> Chart:
    """The shapes of the chart of ``days`` (oldest first)."""
    tallest = max((d.spam + d.ham for d in days), default=0)
    scale_max = nice_ceiling(max(tallest, 1))
    plot_height = BOTTOM - TOP
    slot = (RIGHT - LEFT) / max(len(days), 1)
    width = slot * BAR_SHARE

    def height_of(count: int) -> float:
        return count / scale_max * plot_height

    bars = []
    for index, numbers in enumerate(days):
        x = LEFT + index * slot + (slot - width) / 2
        rects = []
        top = BOTTOM
        for kind, count in (("spam", numbers.spam), ("ham", numbers.ham)):
            if count:
                height = height_of(count)
                top -= height
                rects.append(Rect(kind, _r(x), _r(top), _r(width), _r(height)))
        markers = []
        cy = top - MARKER_GAP
        for kind, count in (
            ("missed", numbers.missed),
            ("false-positive", numbers.false_positive),
        ):
            if count:
                markers.append(Marker(kind, _r(x + width / 2), _r(cy)))
                cy -= MARKER_STEP
        bars.append(DayBar(_title(numbers), rects, markers))
    halfway = [scale_max // 2] if scale_max % 2 == 0 else []  # not 2.5
    ticks = [
        Label(LEFT - 6, _r(BOTTOM - height_of(value)), f"{value:,}", "end")
        for value in (0, *halfway, scale_max)
    ]
    return Chart(bars=bars, ticks=ticks, days=_day_labels(days, slot))


def _day_labels(days: Sequence[DayNumbers], slot: float) -> list[Label]:
    """Every seventh day back from the last (today, always labelled)."""
    labels = []
    for index in range(len(days) - 1, -1, -7):
        day = days[index].day
        last = index == len(days) - 1
        x = LEFT + (index + 1) * slot if last else LEFT + (index + 0.5) * slot
        labels.append(
            Label(
                _r(x), BOTTOM + 18, f"{day:%b} {day.day}", "end" if last else "middle"
            )
        )
    return labels[::-1]


def _title(numbers: DayNumbers) -> str:
    day = numbers.day
    text = f"{day:%B} {day.day}: {numbers.spam:,} spam, {numbers.ham:,} ham"
    if numbers.missed:
        text += f", {numbers.missed:,} missed spam"
    if numbers.false_positive:
        plural = "" if numbers.false_positive == 1 else "s"
        text += f", {numbers.false_positive:,} false positive{plural}"
    return text
