"""The events service: local times to UTC, saving, and upcoming versus past."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from blog import events
from blog.extensions import db
from blog.models import Event, EventPerson, Post, Role, Term, User
from blog.posts import PostError
from tests.fixtures_events import event_input


def test_local_times_become_utc_in_the_events_zone():
    data = event_input(start="2024-03-14 16:00", end="2024-03-14 17:30")
    start, end = events.event_times(data)
    assert start == datetime(2024, 3, 14, 20, 0, tzinfo=UTC)  # EDT is UTC-4
    assert end == datetime(2024, 3, 14, 21, 30, tzinfo=UTC)


def test_the_same_wall_time_moves_across_the_dst_change():
    before = event_input(start="2024-03-09 16:00", end="2024-03-09 17:00")
    after = event_input(start="2024-03-11 16:00", end="2024-03-11 17:00")
    assert events.event_times(before)[0].hour == 21  # EST, UTC-5
    assert events.event_times(after)[0].hour == 20  # EDT, UTC-4


def test_all_day_runs_from_local_midnight_to_the_next():
    data = event_input(
        start="2024-07-01 00:00",
        end="2024-07-02 00:00",
        all_day=True,
        timezone="Asia/Tokyo",
    )
    start, end = events.event_times(data)
    assert start == datetime(2024, 6, 30, 15, 0, tzinfo=UTC)
    assert end == datetime(2024, 7, 2, 15, 0, tzinfo=UTC)  # two whole days


def test_without_an_end_an_event_lasts_an_hour():
    start, end = events.event_times(event_input(end=None))
    assert (end - start).total_seconds() == 3600


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"start": "2024-03-14 16:00", "end": "2024-03-14 15:00"}, "end_time"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"registration_url": "ftp://x"}, "registration_url"),
        ({"contact_email": "not an email"}, "contact_email"),
        ({"people": [events.PersonInput("A", url="javascript:x")]}, "people"),
        ({"status": "maybe"}, "status"),
    ],
)
def test_bad_input_names_the_field(fields, field):
    with pytest.raises(PostError) as caught:
        events.validate_event(event_input(**fields))
    assert caught.value.field == field


def test_save_event_stores_everything_and_orders_rows(app, make_user):
    editor = make_user(Role.EDITOR)
    with app.app_context():
        actor = db.session.get(User, editor.id)
        data = event_input(
            categories="Policy",
            audiences="Students, Faculty",
            units="Global Affairs Institute",
            people=[
                events.PersonInput("Ana Ruiz", "Harbor University"),
                events.PersonInput("   "),  # an empty row is skipped
                events.PersonInput("Ben Okafor", "Lakeside College", role="moderator"),
            ],
            sponsors=[events.SponsorInput("Peace Lab", "https://peace.example")],
            contact_name="Dana Lee",
            contact_email="dana@example.org",
        )
        post = events.save_event(actor, data, publish=True)
        event = db.session.get(Event, post.id)
        assert post.kind == "event" and post.status == "published"
        assert [(p.name, p.position) for p in event.people] == [
            ("Ana Ruiz", 0),
            ("Ben Okafor", 1),
        ]
        assert [p.name for p in event.speakers] == ["Ana Ruiz"]
        assert [p.name for p in event.moderators] == ["Ben Okafor"]
        assert [t.name for t in event.audiences] == ["Faculty", "Students"]
        assert [t.name for t in event.units] == ["Global Affairs Institute"]
        assert [t.name for t in post.categories] == ["Policy"]
        assert event.sequence == 0

        data.people = [events.PersonInput("Cleo Tan")]
        events.save_event(actor, data, post, publish=True)
        assert event.sequence == 1
        assert db.session.scalars(select(EventPerson.name)).all() == ["Cleo Tan"]
        taxonomies = set(db.session.scalars(select(Term.taxonomy)))
        assert taxonomies == {"category", "audience", "unit"}


def test_contributors_submit_events_for_review(app, make_user):
    cora = make_user(Role.CONTRIBUTOR)
    with app.app_context():
        actor = db.session.get(User, cora.id)
        post = events.save_event(actor, event_input(), publish=True)
        assert post.status == "pending"


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
    make_event("Both", categories="Policy", audiences="Students")
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


def test_the_accommodations_deadline_is_kept(app, make_event):
    post = make_event(accommodations_deadline=date(2030, 3, 7))
    assert post.event.accommodations_deadline == date(2030, 3, 7)


def test_an_event_cannot_take_the_past_events_address(client, make_event):
    post = make_event("Past")
    assert post.slug == "past-event"
    assert client.get("/events/past-event/").status_code == 200
    assert "Past events" in client.get("/events/past/").get_data(as_text=True)
