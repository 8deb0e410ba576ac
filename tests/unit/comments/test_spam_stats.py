"""blog.comments.spam_stats and spam_chart: accuracy, the days and months
filled in, and the chart's geometry (no database)."""

from __future__ import annotations

from datetime import date

from blog.comments.spam_chart import BOTTOM, TOP, draw_chart, nice_ceiling
from blog.comments.spam_stats import Counts, DayCounts, fill, month_start


def test_accuracy_is_the_share_of_judged_comments_not_overruled():
    assert Counts(checked=10, spam=8, ham=2, missed=1).accuracy_text == "90.0%"
    assert Counts(checked=3, spam=2, ham=1, false_positive=1).accuracy_text == "66.7%"
    assert Counts(checked=1204, spam=1150, ham=54).accuracy_text == "100.0%"
    assert Counts().accuracy is None and Counts().accuracy_text == "—"
    # Corrections only (of comments judged before the period): not a number.
    assert Counts(missed=2).accuracy_text == "—"
    # More corrections than verdicts in the period: kept at 0.
    assert Counts(checked=1, spam=1, missed=1, false_positive=1).accuracy == 0.0
    total = Counts(1, 1, 0, 0, 0) + Counts(2, 0, 2, 1, 0)
    assert total == Counts(3, 1, 2, 1, 0) and not total.empty and Counts().empty


def test_days_and_months_are_filled_with_zeros():
    today = date(2026, 3, 5)
    numbers = {
        date(2026, 3, 5): {"checked": 3, "spam": 2, "ham": 1},
        date(2026, 2, 4): {"checked": 1, "ham": 1},  # the first of the 30 days
        date(2026, 2, 3): {"checked": 7, "spam": 7},  # before them
        date(2025, 4, 1): {"missed": 1},  # the first of the 12 months
        date(2025, 3, 31): {"checked": 99},  # before them
    }
    days, months = fill(numbers, today, days=30, months=12)
    assert [d.day for d in days][0] == date(2026, 2, 4)
    assert [d.day for d in days][-1] == today and len(days) == 30
    assert days[0] == DayCounts(checked=1, ham=1, day=date(2026, 2, 4))
    assert days[-1].spam == 2 and days[-1].label == "March 5, 2026"
    assert all(d.empty for d in days[1:-1])
    assert [m.month for m in months] == [
        month_start(today, back) for back in range(11, -1, -1)
    ]
    assert months[0].month == date(2025, 4, 1) and months[0].missed == 1
    assert months[-1].label == "March 2026" and months[-1].checked == 3
    assert months[-2].checked == 8  # February: both days
    assert sum(m.checked for m in months) == 11  # March 2025 left out
    assert month_start(date(2026, 1, 31), 1) == date(2025, 12, 1)


def test_chart_geometry():
    assert [nice_ceiling(n) for n in (0, 1, 3, 7, 10, 11, 240)] == [
        1,
        1,
        5,
        10,
        10,
        20,
        500,
    ]
    days, _ = fill(
        {
            date(2026, 3, 4): {"spam": 6, "ham": 4, "missed": 1, "false_positive": 2},
            date(2026, 3, 5): {"spam": 5},
        },
        date(2026, 3, 5),
        days=30,
        months=1,
    )
    chart = draw_chart(days)
    assert len(chart.bars) == 30 and all(not bar.rects for bar in chart.bars[:28])
    busy, last = chart.bars[28], chart.bars[29]
    spam, ham = busy.rects
    assert (spam.kind, ham.kind) == ("spam", "ham")
    # The scale tops out at 10: the busy day's bar is full height, spam below.
    assert spam.y + spam.height == BOTTOM and ham.y == TOP
    assert spam.height == round((BOTTOM - TOP) * 0.6, 1)
    assert last.rects[0].height == round((BOTTOM - TOP) * 0.5, 1)
    assert [m.kind for m in busy.markers] == ["missed", "false-positive"]
    assert busy.markers[1].cy < busy.markers[0].cy < ham.y  # stacked above the bar
    assert busy.title == "March 4: 6 spam, 4 ham, 1 missed spam, 2 false positives"
    assert [t.text for t in chart.ticks] == ["0", "5", "10"]
    assert chart.days[-1].text == "Mar 5" and chart.days[-1].anchor == "end"
    assert [label.text for label in chart.days] == [
        "Feb 5",
        "Feb 12",
        "Feb 19",
        "Feb 26",
        "Mar 5",
    ]
