"""Events have the articles' buttons: Publish or Schedule, Update that keeps
an event published, and Switch to Draft only after a confirmation."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from blog.extensions import db
from blog.models import Post, Role
from blog.site.settings import save_settings
from tests.functional.posts.test_editor_buttons import buttons, flashes, labels


def _form(**extra: str) -> dict[str, str]:
    return {
        "title": "Harvest talk",
        "body": "Apples, mostly.",
        "start_date": "2031-03-13",
        "start_time": "16:00",
        "timezone": "America/New_York",
        **extra,
    }


def test_new_event_buttons_and_scheduling(app, client, make_user, auth):
    make_user(Role.EDITOR, "ed")
    with app.app_context():
        save_settings({"timezone": "America/New_York"})
        db.session.commit()
    auth.login("ed")
    html = client.get("/dashboard/events/new").get_data(as_text=True)
    assert labels(html) == ["Save Draft", "Preview", "Publish"]
    assert "Stick to the top of the blog" not in html
    response = client.post(
        "/dashboard/events/new",
        data=_form(publish_at="2030-11-29T10:00", action="publish"),
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert flashes(html) == ["Event scheduled for November 29, 2030 at 10:00 a.m. EST."]
    assert "Status: <strong>Scheduled for November 29, 2030 at 10:00 a.m. EST" in html
    assert labels(html) == ["Update", "Preview", "Switch to Draft"]
    with app.app_context():
        post = db.session.scalar(select(Post))
        assert post.published_at == datetime(2030, 11, 29, 15, 0, tzinfo=UTC)
    assert "Harvest talk" not in client.get("/events/").get_data(as_text=True)
    assert client.get("/events/harvest-talk/").status_code == 404


def test_update_keeps_an_event_published(app, client, make_user, make_event, auth):
    editor = make_user(Role.EDITOR, "ed")
    event = make_event("Harvest talk", author=editor)
    auth.login("ed")
    html = client.get(f"/dashboard/events/{event.id}/edit").get_data(as_text=True)
    assert labels(html) == ["Update", "Preview", "Switch to Draft"]
    assert "Status: <strong>Published on" in html and "View event" in html
    response = client.post(
        f"/dashboard/events/{event.id}/edit",
        data=_form(body="Pears *too*.", action="update"),
        follow_redirects=True,
    )
    assert flashes(response.get_data(as_text=True)) == ["Event updated."]
    page = client.get(f"/events/{event.slug}/").get_data(as_text=True)
    assert "<em>too</em>" in page


def test_switching_an_event_to_draft_is_confirmed(
    app, client, make_user, make_event, auth
):
    editor = make_user(Role.EDITOR, "ed")
    event = make_event("Harvest talk", author=editor)
    auth.login("ed")
    url = f"/dashboard/events/{event.id}/edit"
    html = client.post(url, data=_form(action="unpublish")).get_data(as_text=True)
    assert "Switch “Harvest talk” to draft?" in html
    assert buttons(html) == [
        ("cancel", "Cancel"),
        ("switch-to-draft", "Switch to Draft"),
    ]
    assert client.get(f"/events/{event.slug}/").status_code == 200
    response = client.post(
        url, data=_form(action="switch-to-draft"), follow_redirects=True
    )
    assert flashes(response.get_data(as_text=True)) == [
        "Event switched to draft. It is no longer on the site."
    ]
    assert client.get(f"/events/{event.slug}/").status_code == 404
    with app.app_context():
        assert db.session.get(Post, event.id).status == "draft"
