"""blog.events.listings: upcoming versus past, filters, grouping by month."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from blog import events
from blog.extensions import db
from blog.models import Post

FIXED_NOW = datetime(2030, 3, 14, 21, 0, tzinfo=UTC)  # 5:00 p.m. EDT


def _titles(query) -> list[str]:
    return [p.title for p in db.session.scalars(query)]


def test_upcoming_and_past_switch_over_at_the_events_end(app, make_event):
    # 4:00-5:30 p.m. EDT: started before FIXED_NOW, still running.
    make_event("Running", start="2030-03-14 16:00", end="2030-03-14 17:30")
    make_event("Finished", start="2030-03-14 15:00", end="2030-03-14 17:00")
    make_event("Later", start="2030-03-20 10:00", end="2030-03-20 11:00")
    make_event("Long ago", start="2029-01-01 10:00", end="2029-01-01 11:00")
    with app.app_context():
        assert _titles(events.upcoming(FIXED_NOW)) == ["Running", "Later"]
        assert _titles(events.past(FIXED_NOW)) == ["Finished", "Long ago"]
        one_minute_later = datetime(2030, 3, 14, 21, 31, tzinfo=UTC)
        assert _titles(events.upcoming(one_minute_later)) == ["Later"]
        assert _titles(events.past(one_minute_later))[0] == "Running"


def test_all_day_events_stay_upcoming_until_local_midnight(app, make_event):
    make_event("Fair", start="2030-03-14 00:00", end="2030-03-14 00:00", all_day=True)
    with app.app_context():
        late_evening = datetime(2030, 3, 15, 3, 59, tzinfo=UTC)  # 11:59 p.m. EDT
        assert _titles(events.upcoming(late_evening)) == ["Fair"]
        after_midnight = datetime(2030, 3, 15, 4, 0, tzinfo=UTC)
        assert _titles(events.upcoming(after_midnight)) == []
        assert _titles(events.past(after_midnight)) == ["Fair"]


def test_drafts_and_articles_are_not_listed(app, make_event, make_post):
    make_event("Draft", publish=False)
    make_post("An article")
    with app.app_context():
        assert _titles(events.upcoming(FIXED_NOW)) == []
        assert db.session.scalar(select(Post).where(Post.title == "Draft")) is not None


def test_filters_by_category_and_audience(app, make_event):
    make_event("Both", categories="Policy", audiences=("Students",))
    make_event("Category only", categories="Policy", start="2030-03-15 10:00", end=None)
    make_event("Neither", start="2030-03-16 10:00", end=None)
    with app.app_context():
        now = datetime(2030, 1, 1, tzinfo=UTC)
        assert _titles(events.upcoming(now, category="policy")) == [
            "Both",
            "Category only",
        ]
        assert _titles(events.upcoming(now, audience="students")) == ["Both"]
        assert _titles(events.upcoming(now, category="nope")) == []


def test_group_by_month_uses_the_events_zone(app, make_event):
    # 8 p.m. on March 31 in Los Angeles is already April in UTC.
    make_event(
        "March", start="2030-03-31 20:00", end=None, timezone="America/Los_Angeles"
    )
    make_event("April", start="2030-04-02 10:00", end=None)
    with app.app_context():
        groups = events.group_by_month(
            db.session.scalars(events.upcoming(datetime(2030, 1, 1, tzinfo=UTC)))
        )
        assert [(g.label, [p.title for p in g.posts]) for g in groups] == [
            ("March 2030", ["March"]),
            ("April 2030", ["April"]),
        ]
