"""The editor's buttons say what they do: Save Draft / Preview / Publish
(Schedule, Submit for Review) on a new post; Update / Preview / Switch to
Draft on a published or scheduled one, the switch confirmed without
JavaScript; the status line and messages name the time zone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import Post, Role, utcnow
from blog.site.settings import save_settings

BUTTON = re.compile(
    r'<button type="submit" name="action" value="([^"]+)"[^>]*>([^<]+)</button>'
)


def buttons(html: str) -> list[tuple[str, str]]:
    """The editor's buttons, in order: (action, label)."""
    return [(v, label) for v, label in BUTTON.findall(html) if not v.startswith("add-")]


def labels(html: str) -> list[str]:
    return [label for _, label in buttons(html)]


def flashes(html: str) -> list[str]:
    return re.findall(r'<p class="flash flash-success">([^<]+)</p>', html)


@pytest.fixture
def new_york(app):
    with app.app_context():
        save_settings({"timezone": "America/New_York"})
        db.session.commit()


def _article_url(post: Post) -> str:
    return f"/{post.published_at:%Y}/{post.published_at:%m}/{post.slug}/"


def _stored(app, post_id: int) -> Post:
    with app.app_context():
        post = db.session.get(Post, post_id)
        db.session.expunge(post)
        return post


def _fields(**extra: str) -> dict[str, str]:
    return {"title": "Bees in April", "body": "The hives woke up.", **extra}


def test_a_new_post_offers_save_draft_preview_publish(client, make_user, auth):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    html = client.get("/dashboard/posts/new").get_data(as_text=True)
    assert buttons(html) == [
        ("draft", "Save Draft"),
        ("preview", "Preview"),
        ("publish", "Publish"),
    ]
    assert 'data-label-future="Schedule"' in html
    assert "js/editor-actions.js" in html


def test_contributors_submit_for_review(client, make_user, auth):
    make_user(Role.CONTRIBUTOR, "cora")
    auth.login("cora")
    html = client.get("/dashboard/posts/new").get_data(as_text=True)
    assert labels(html) == ["Save Draft", "Preview", "Submit for Review"]
    assert "Stick to the top of the blog" not in html


def test_a_future_date_makes_publish_read_schedule(app, client, make_user, auth):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    # The form comes back (no title): the date typed is in the future.
    response = client.post(
        "/dashboard/posts/new",
        data={"title": "", "body": "x", "publish_at": "2099-11-29T10:00"},
    )
    assert labels(response.get_data(as_text=True))[-1] == "Schedule"
    response = client.post(
        "/dashboard/posts/new",
        data={"title": "", "body": "x", "publish_at": "2001-11-29T10:00"},
    )
    assert labels(response.get_data(as_text=True))[-1] == "Publish"


def test_scheduling_names_the_time_zone(app, client, make_user, auth, new_york):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    response = client.post(
        "/dashboard/posts/new",
        data=_fields(publish_at="2099-11-29T10:00", action="publish"),
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert flashes(html) == ["Post scheduled for November 29, 2099 at 10:00 a.m. EST."]
    assert "Status: <strong>Scheduled for November 29, 2099 at 10:00 a.m. EST" in html
    assert labels(html) == ["Update", "Preview", "Switch to Draft"]
    with app.app_context():
        post = db.session.scalar(select(Post))
        assert post.published_at == datetime(2099, 11, 29, 15, 0, tzinfo=UTC)
    assert "Bees in April" not in client.get("/").get_data(as_text=True)


def test_publish_then_update_keeps_it_published(app, client, make_user, auth, new_york):
    make_user(Role.AUTHOR, "au")
    auth.login("au")
    response = client.post(
        "/dashboard/posts/new", data=_fields(action="publish"), follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert flashes(html) == ["Post published."]
    assert re.search(r"Status: <strong>Published on \w+ \d+, \d{4} at .* E[SD]T<", html)
    assert labels(html) == ["Update", "Preview", "Switch to Draft"]
    with app.app_context():
        post_id = db.session.scalar(select(Post.id))
    response = client.post(
        f"/dashboard/posts/{post_id}/edit",
        data=_fields(body="The hives are *loud* now.", action="update"),
        follow_redirects=True,
    )
    assert flashes(response.get_data(as_text=True)) == ["Post updated."]
    post = _stored(app, post_id)
    assert post.status == "published"
    page = client.get(_article_url(post)).get_data(as_text=True)
    assert "<em>loud</em>" in page


def test_update_with_a_future_date_schedules_and_says_so(
    app, client, make_user, make_post, auth, new_york
):
    editor = make_user(Role.EDITOR, "ed")
    post = make_post("Bees in April", author=editor)
    auth.login("ed")
    response = client.post(
        f"/dashboard/posts/{post.id}/edit",
        data=_fields(publish_at="2099-07-04T09:30", action="update"),
        follow_redirects=True,
    )
    assert flashes(response.get_data(as_text=True)) == [
        "Post updated and scheduled for July 4, 2099 at 9:30 a.m. EDT: "
        "it is off the site until then."
    ]
    assert client.get(_article_url(post)).status_code == 404
    # Back to a past date: published again, at once.
    local_past = (utcnow() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/dashboard/posts/{post.id}/edit",
        data=_fields(publish_at=local_past, action="update"),
        follow_redirects=True,
    )
    assert flashes(response.get_data(as_text=True)) == ["Post published."]
    assert _stored(app, post.id).status == "published"


def test_save_draft_never_takes_a_published_post_off_the_site(
    app, client, make_user, make_post, auth
):
    editor = make_user(Role.EDITOR, "ed")
    post = make_post("Bees in April", author=editor)
    auth.login("ed")
    # An old form, or a script, still sending "draft" for a published post.
    response = client.post(
        f"/dashboard/posts/{post.id}/edit",
        data=_fields(body="Kept words", action="draft"),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This post is published: “Update” saves your changes" in html
    assert "Kept words" in html
    assert _stored(app, post.id).status == "published"
    assert client.get(_article_url(post)).status_code == 200


def test_switch_to_draft_asks_first_without_javascript(
    app, client, make_user, make_post, auth
):
    editor = make_user(Role.EDITOR, "ed")
    post = make_post("Bees in April", author=editor)
    auth.login("ed")
    html = client.get(f"/dashboard/posts/{post.id}/edit").get_data(as_text=True)
    assert 'value="unpublish" formaction="/dashboard/posts/' in html
    response = client.post(
        f"/dashboard/posts/{post.id}/edit",
        data=_fields(title="Bees in May", body="Typed, not saved", action="unpublish"),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Switch “Bees in April” to draft?" in html  # the title readers see
    assert (
        "It will be taken off the site: readers will get “Not Found” at its "
        "address until you publish it again." in html
    )
    assert "Typed, not saved" in html
    assert buttons(html) == [
        ("cancel", "Cancel"),
        ("switch-to-draft", "Switch to Draft"),
    ]
    # Nothing changed yet.
    stored = _stored(app, post.id)
    assert stored.status == "published" and stored.title == "Bees in April"
    assert client.get(_article_url(post)).status_code == 200

    # Cancel: back to editing, the text still there, nothing saved.
    response = client.post(
        f"/dashboard/posts/{post.id}/edit",
        data=_fields(title="Bees in May", body="Typed, not saved", action="cancel"),
    )
    html = response.get_data(as_text=True)
    assert "Typed, not saved" in html and "to draft?" not in html
    assert labels(html) == ["Update", "Preview", "Switch to Draft"]
    assert _stored(app, post.id).status == "published"

    # Confirmed: saved with the changes, off the site.
    response = client.post(
        f"/dashboard/posts/{post.id}/edit",
        data=_fields(title="Bees in May", body="Rewritten", action="switch-to-draft"),
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert flashes(html) == ["Post switched to draft. It is no longer on the site."]
    assert labels(html) == ["Save Draft", "Preview", "Publish"]
    stored = _stored(app, post.id)
    assert stored.status == "draft" and stored.body_source == "Rewritten"
    assert client.get(_article_url(post)).status_code == 404


def test_pending_posts_are_saved_as_pending_or_published(app, client, make_user, auth):
    make_user(Role.CONTRIBUTOR, "cora")
    make_user(Role.EDITOR, "ed")
    auth.login("cora")
    response = client.post(
        "/dashboard/posts/new", data=_fields(action="publish"), follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert flashes(html) == ["Post submitted for review."]
    assert "Status: <strong>Pending review</strong>" in html
    assert labels(html) == ["Save as Pending", "Preview"]
    with app.app_context():
        post_id = db.session.scalar(select(Post.id))
    response = client.post(
        f"/dashboard/posts/{post_id}/edit",
        data=_fields(body="Better", action="update"),
        follow_redirects=True,
    )
    assert flashes(response.get_data(as_text=True)) == [
        "Post saved. It is still pending review."
    ]
    auth.logout()
    auth.login("ed")
    html = client.get(f"/dashboard/posts/{post_id}/edit").get_data(as_text=True)
    assert labels(html) == ["Save as Pending", "Preview", "Publish"]
    response = client.post(
        f"/dashboard/posts/{post_id}/edit",
        data=_fields(action="publish"),
        follow_redirects=True,
    )
    assert flashes(response.get_data(as_text=True)) == ["Post published."]


def test_save_draft_on_a_new_post(app, client, make_user, auth):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    response = client.post(
        "/dashboard/posts/new", data=_fields(action="draft"), follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert flashes(html) == ["Draft saved."]
    assert "Status: <strong>Draft</strong>" in html
    assert labels(html) == ["Save Draft", "Preview", "Publish"]


def test_sticky_checkbox_is_for_editors(app, client, make_user, make_post, auth):
    editor = make_user(Role.EDITOR, "ed")
    post = make_post("Read me first", author=editor)
    auth.login("ed")
    html = client.get(f"/dashboard/posts/{post.id}/edit").get_data(as_text=True)
    assert "Stick to the top of the blog" in html
    client.post(
        f"/dashboard/posts/{post.id}/edit",
        data=_fields(title="Read me first", sticky="y", action="update"),
    )
    assert _stored(app, post.id).sticky is True
    html = client.get(f"/dashboard/posts/{post.id}/edit").get_data(as_text=True)
    assert re.search(r'<input checked id="sticky"|id="sticky"[^>]*checked', html)
