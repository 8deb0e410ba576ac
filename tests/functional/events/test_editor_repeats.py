"""The event editor, without JavaScript: a weekly seminar with a skipped week
and a moved date, saved, shown again, changed and restored; its errors next
to their fields; a saved venue picked (its address copied) and organisers
typed (saved, or the saved one of that name linked)."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select, update

from blog.extensions import db
from blog.models import (
    Event,
    OccurrenceChange,
    Organiser,
    Post,
    PostRevision,
    Repeat,
    Role,
    Venue,
)
from tests.functional.events.test_editor import post_form, seed_form
from tests.unit.events.helpers import utc

#: Thursdays from March 13, 2031, 4:00-5:30 p.m. New York, ten times; the
#: second skipped, the third moved to the Friday morning.
SEMINAR = {
    "featured_image": None,
    "featured_image_alt": "",
    "venue_name": "",
    "room": "",
    "repeat": "weekly",
    "repeat_interval": "1",
    "repeat_weekdays": "TH",
    "repeat_ends": "count",
    "repeat_count": "10",
    "changes-0-day": "2031-03-20",
    "changes-0-change": "skipped",
    "changes-1-day": "2031-03-27",
    "changes-1-change": "moved",
    "changes-1-new_date": "2031-03-28",
    "changes-1-new_start_time": "10:00",
    "changes-1-new_end_time": "11:30",
}


def stored(app, post_id: int):
    """The event's repetition, changes, venue and organiser as stored."""
    with app.app_context():
        event = db.session.get(Event, post_id)
        return {
            "rule": (event.repeat, event.repeat_weekdays, event.repeat_count),
            "changes": [
                (c.occurrence_date, c.change, c.starts_at, c.ends_at)
                for c in event.changes
            ],
            "change_ids": [c.id for c in event.changes],
            "last_ends_at": event.last_ends_at,
            "venue": (
                event.venue_id,
                event.venue_name,
                event.venue_address,
                event.room,
            ),
            "organiser": event.organiser.name if event.organiser else None,
        }


def test_a_weekly_seminar_with_a_skipped_week_and_a_moved_date(
    app, client, make_user, auth
):
    make_user(Role.EDITOR, "ed")
    with app.app_context():
        hall = Venue(
            slug="lakeside-hall",
            name="Lakeside Hall",
            street_address="12 Shore Road",
            locality="Harbor City",
            region="NY",
            room="Room 341",
        )
        db.session.add(hall)
        db.session.commit()
        hall_id = hall.id
    auth.login("ed")
    page = client.get("/dashboard/events/new").get_data(True)
    assert f'<option value="{hall_id}">Lakeside Hall</option>' in page
    for label in ("Repeats", "Every", "Last date", "How many times", "New date"):
        assert f">{label}</label>" in page
    assert re.search(r"<legend>On these days \(weekly\)</legend>", page)

    form = seed_form(
        **SEMINAR,
        venue_id=str(hall_id),
        organiser_name="Institute for Global Dialogue",
        organiser_email="igd@example.org",
    )
    response = post_form(client, "/dashboard/events/new", form)
    assert response.status_code == 302, response.get_data(True)
    with app.app_context():
        post_id = db.session.scalar(select(Post.id))
        organiser = db.session.scalar(select(Organiser))
        assert (organiser.slug, organiser.email) == (
            "institute-for-global-dialogue",
            "igd@example.org",
        )
    saved = stored(app, post_id)
    assert saved["rule"] == (Repeat.WEEKLY, "TH", 10)
    assert saved["changes"] == [
        (date(2031, 3, 20), OccurrenceChange.SKIPPED, None, None),
        (
            date(2031, 3, 27),
            OccurrenceChange.MOVED,
            utc(2031, 3, 28, 14),  # 10 a.m. EDT
            utc(2031, 3, 28, 15, 30),
        ),
    ]
    assert saved["last_ends_at"] == utc(2031, 5, 15, 21, 30)  # the tenth Thursday
    # The venue's name, address and room are copied onto the event.
    assert saved["venue"] == (
        hall_id,
        "Lakeside Hall",
        "12 Shore Road, Harbor City NY",
        "Room 341",
    )
    assert saved["organiser"] == "Institute for Global Dialogue"

    # The editor shows it all again, as typed.
    page = client.get(f"/dashboard/events/{post_id}/edit").get_data(True)
    assert 'name="repeat_weekdays" value="TH" checked' in page
    assert (
        'checked id="repeat_ends-2" name="repeat_ends" type="radio" value="count"'
        in page
    )
    assert 'name="changes-1-new_date" type="date" value="2031-03-28"' in page
    assert 'name="changes-1-new_start_time" type="time" value="10:00"' in page
    assert 'name="changes-2-day" type="date" value=""' in page  # one empty row
    assert f'<option selected value="{hall_id}">Lakeside Hall</option>' in page
    assert "On the second Thursday" in page  # the monthly choice, worded

    # Saved again: the skip becomes a cancellation (the same row), the move
    # is removed, a change is added; "On a date" replaces the count.
    with app.app_context():
        version = db.session.get(Post, post_id).version
    again = seed_form(
        **{
            **SEMINAR,
            "venue_id": str(hall_id),
            "organiser_id": str(organiser.id),
            "version": str(version),
            "action": "update",
            "repeat_ends": "until",
            "repeat_until": "2031-04-10",
            "changes-0-change": "cancelled",
            "changes-1-remove": "y",
            "changes-2-day": "2031-04-03",
            "changes-2-change": "skipped",
        }
    )
    response = post_form(client, f"/dashboard/events/{post_id}/edit", again)
    assert response.status_code == 302, response.get_data(True)
    changed = stored(app, post_id)
    assert changed["changes"] == [
        (date(2031, 3, 20), OccurrenceChange.CANCELLED, None, None),
        (date(2031, 4, 3), OccurrenceChange.SKIPPED, None, None),
    ]
    assert changed["change_ids"][0] == saved["change_ids"][0]
    assert changed["rule"] == (Repeat.WEEKLY, "TH", None)
    assert changed["last_ends_at"] == utc(2031, 4, 10, 21, 30)

    # The first revision brings the rule, the moved date and the links back.
    with app.app_context():
        first = db.session.scalar(
            select(PostRevision)
            .where(PostRevision.post_id == post_id)
            .order_by(PostRevision.id)
        )
        first_id = first.id
        assert first.content["details"]["changes"][1]["new_start_time"] == "10:00"
    restore = client.post(f"/dashboard/events/{post_id}/revisions/{first_id}/restore")
    assert restore.status_code == 302
    restored = stored(app, post_id)
    assert restored["rule"] == saved["rule"]
    assert restored["changes"] == saved["changes"]
    assert restored["last_ends_at"] == saved["last_ends_at"]
    assert restored["venue"] == saved["venue"]
    assert restored["organiser"] == "Institute for Global Dialogue"

    # A venue deleted since: restored without the link, its copies kept.
    with app.app_context():
        db.session.execute(update(Event).values(venue_id=None))
        db.session.delete(db.session.get(Venue, hall_id))
        db.session.commit()
    client.post(f"/dashboard/events/{post_id}/revisions/{first_id}/restore")
    assert stored(app, post_id)["venue"] == (None, *saved["venue"][1:])


def test_a_typed_venue_is_saved_and_a_typed_organiser_of_a_saved_name_is_linked(
    app, client, make_user, auth
):
    make_user(Role.EDITOR, "ed")
    with app.app_context():
        db.session.add(Organiser(slug="lantern", name="The Lantern Project"))
        db.session.add(Venue(slug="harbour-annex", name="Elsewhere"))
        db.session.commit()
    auth.login("ed")
    form = seed_form(
        featured_image=None,
        featured_image_alt="",
        venue_name="Harbour Annex",
        venue_address="3 Quay Street, Harbor City",
        room="Room 2",
        save_venue="y",
        organiser_name="the lantern project",
    )
    response = post_form(client, "/dashboard/events/new", form)
    assert response.status_code == 302, response.get_data(True)
    with app.app_context():
        post_id = db.session.scalar(select(Post.id))
        venue = db.session.scalar(select(Venue).where(Venue.name == "Harbour Annex"))
        assert (venue.slug, venue.street_address) == (
            "harbour-annex-2",
            "3 Quay Street, Harbor City",
        )
        venue_id = venue.id
        assert len(db.session.scalars(select(Organiser)).all()) == 1
    saved = stored(app, post_id)
    assert saved["venue"] == (
        venue_id,
        "Harbour Annex",
        "3 Quay Street, Harbor City",
        "Room 2",
    )
    assert saved["organiser"] == "The Lantern Project"
    assert saved["rule"] == (Repeat.NONE, "", None) and saved["last_ends_at"]


def test_errors_are_shown_next_to_their_fields_and_nothing_is_saved(
    app, client, make_user, make_event, auth
):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")

    def sent(**fields):
        response = post_form(
            client, "/dashboard/events/new", seed_form(**{**SEMINAR, **fields})
        )
        assert response.status_code == 200
        return response.get_data(True)

    page = sent(repeat_interval="0")
    assert re.search(
        r'<input aria-describedby="repeat_interval-error" aria-invalid="true" '
        r'id="repeat_interval"',
        page,
    )
    assert 'id="repeat_interval-error">Give a number from 1 to 99.' in page
    assert 'value="Quiet Channels: Can Unofficial Talks Restart Diplomacy?"' in page
    assert 'name="changes-1-new_start_time" type="time" value="10:00"' in page

    page = sent(repeat_ends="until", repeat_until="2031-03-01")
    assert 'id="repeat_until-error">The last date must be on or after' in page

    page = sent(
        repeat="monthly",
        repeat_monthly_by="last_weekday",
        **{"changes-0-day": "", "changes-1-day": ""},
    )
    assert re.search(
        r'<fieldset class="choice-group repeat-monthly has-error" '
        r'id="repeat_monthly_by" data-repeat-only="monthly" '
        r'aria-describedby="repeat_monthly_by-error">',
        page,
    )
    assert "March 13, 2031 is not the last Thursday of its month" in page

    # A change on a date the series does not give: at the top and at the row.
    page = sent(**{"changes-0-day": "2031-03-21"})
    message = "March 21, 2031 is not one of this event&#39;s dates."
    assert f'role="alert">{message}' in page
    assert f'id="changes-0-day-error">{message}' in page
    assert 'aria-describedby="changes-0-day-error"' in page

    # Changes without repetition are refused, not dropped.
    page = sent(repeat="none")
    assert 'role="alert">Changes to single dates are for repeating events' in page

    # "Add another change" adds a row and saves nothing; Preview shows the
    # series and saves nothing either.
    page = sent(action="add-changes")
    assert 'name="changes-2-day"' in page and 'name="changes-3-day"' not in page
    preview = post_form(
        client, "/dashboard/events/new", seed_form(**SEMINAR, action="preview")
    ).get_data(True)
    assert "Preview: this is how readers will see the event" in preview
    with app.app_context():
        assert db.session.scalar(select(Post)) is None
