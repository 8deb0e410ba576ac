"""blog.events.editing: local times to UTC, checking and saving an event."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from blog import events
from blog.extensions import db
from blog.models import Event, EventPerson, Role, Term, User
from blog.posts import PostError, SaveAction
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
            audiences=("Students", "Faculty"),
            units=("Global Affairs Institute",),
            people=[
                events.PersonInput("Ana Ruiz", "Harbor University"),
                events.PersonInput("   "),  # an empty row is skipped
                events.PersonInput("Ben Okafor", "Lakeside College", role="moderator"),
            ],
            sponsors=[events.SponsorInput("Peace Lab", "https://peace.example")],
            contact_name="Dana Lee",
            contact_email="dana@example.org",
        )
        post = events.save_event(actor, data, action=SaveAction.PUBLISH)
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
        events.save_event(actor, data, post, action=SaveAction.PUBLISH)
        assert event.sequence == 1
        assert db.session.scalars(select(EventPerson.name)).all() == ["Cleo Tan"]
        taxonomies = set(db.session.scalars(select(Term.taxonomy)))
        assert taxonomies == {"category", "audience", "unit"}


def test_contributors_submit_events_for_review(app, make_user):
    cora = make_user(Role.CONTRIBUTOR)
    with app.app_context():
        actor = db.session.get(User, cora.id)
        post = events.save_event(actor, event_input(), action=SaveAction.PUBLISH)
        assert post.status == "pending"


def test_the_accommodations_deadline_is_kept(app, make_event):
    post = make_event(accommodations_deadline=date(2030, 3, 7))
    assert post.event.accommodations_deadline == date(2030, 3, 7)


def test_an_event_cannot_take_the_past_events_address(client, make_event):
    post = make_event("Past")
    assert post.slug == "past-event"
    assert client.get("/events/past-event/").status_code == 200
    assert "Past events" in client.get("/events/past/").get_data(as_text=True)
