"""Revisions in the dashboard: one for each save, the list, comparing any two
versions word by word (escaped), "Restore This Revision", who may see them,
the "Revisions to keep" setting, and events' details."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from blog.events import PersonInput
from blog.extensions import db
from blog.models import Event, Post, PostRevision, Role, Setting, utcnow


def revisions_of(app, post_id: int) -> list[PostRevision]:
    with app.app_context():
        rows = list(
            db.session.scalars(
                select(PostRevision)
                .where(PostRevision.post_id == post_id)
                .order_by(PostRevision.id)
            )
        )
        db.session.expunge_all()
        return rows


def version_of(app, post_id: int) -> int:
    with app.app_context():
        return db.session.get(Post, post_id).version


def edit(client, app, post_id: int, action: str = "update", **fields):  # type: ignore[no-untyped-def]
    data = {"title": "Bees", "body": "Some text.", "action": action, **fields}
    data.setdefault("version", version_of(app, post_id))
    return client.post(f"/dashboard/posts/{post_id}/edit", data=data)


def test_every_kind_of_save_keeps_a_revision(app, client, make_user, auth):
    make_user(Role.EDITOR, "ed", display_name="Ada Lovelace")
    auth.login("ed")
    client.post(
        "/dashboard/posts/new",
        data={"title": "Bees", "body": "First words.", "action": "draft"},
    )
    with app.app_context():
        post_id = db.session.scalar(select(Post.id))
    edit(client, app, post_id, "publish", body="Published words.")
    edit(client, app, post_id, "update", body="Updated words.")
    edit(client, app, post_id, "switch-to-draft", body="Drafted words.")
    saved = revisions_of(app, post_id)
    assert [(r.body_source, r.content["status"]) for r in saved] == [
        ("First words.", "draft"),
        ("Published words.", "published"),
        ("Updated words.", "published"),
        ("Drafted words.", "draft"),
    ]
    editor = client.get(f"/dashboard/posts/{post_id}/edit").get_data(as_text=True)
    assert ">Revisions (4)</a>" in editor


def test_the_list_and_what_the_latest_save_changed(app, client, make_user, auth):
    ed = make_user(Role.EDITOR, "ed", display_name="Ada Lovelace")
    auth.login("ed")
    post = make_post_via_service(app, ed, body="The quick brown fox jumps.")
    edit(client, app, post, body="The slow brown fox jumps!", title="Bees")
    page = client.get(f"/dashboard/posts/{post}/revisions/").get_data(as_text=True)
    assert page.count('<td data-label="By"><bdi>Ada Lovelace</bdi></td>') == 2
    assert "(latest)" in page
    body = page[page.index("<h3>Body</h3>") :]
    assert (
        "The <del>quick</del><ins>slow</ins> brown fox jumps<del>.</del><ins>!</ins>"
        in body
    )
    assert "<h3>Title</h3>" in page  # shown, unchanged
    assert "Restore This Revision" not in page  # the latest is the current text


def make_post_via_service(app, user, **fields):  # type: ignore[no-untyped-def]
    """A published post saved through the service; its id."""
    from blog.models import User
    from blog.posts import SaveAction, publishing

    with app.app_context():
        actor = db.session.get(User, user.id)
        data = publishing.PostInput(
            title=fields.pop("title", "Bees"),
            body=fields.pop("body", "Some text."),
            publish_at=utcnow() - timedelta(days=1),
            **fields,
        )
        return publishing.save_post(actor, data, action=SaveAction.PUBLISH).id


def test_any_two_versions_are_compared_with_other_fields_that_changed(
    app, client, make_user, auth
):
    ed = make_user(Role.EDITOR, "ed")
    auth.login("ed")
    post = make_post_via_service(app, ed, body="one", tags="alpha")
    edit(client, app, post, body="two", tags="alpha, beta", excerpt="Short")
    edit(client, app, post, body="three", tags="alpha, beta", excerpt="Short")
    first = revisions_of(app, post)[0]
    page = client.get(
        f"/dashboard/posts/{post}/revisions/?old={first.id}&new=current"
    ).get_data(as_text=True)
    assert "<del>one</del><ins>three</ins>" in page
    assert "<h3>Tags</h3>" in page and "<ins>, beta</ins>" in page
    assert "<h3>Excerpt</h3>" in page
    assert "<h3>Slug</h3>" not in page  # unchanged fields are not listed
    assert re.search(r'<option selected value="current">Current version', page)


def test_untrusted_text_is_escaped_in_the_comparison(app, client, make_user, auth):
    ed = make_user(Role.EDITOR, "ed")
    auth.login("ed")
    post = make_post_via_service(app, ed, title="Plain", body="Nothing here.")
    edit(
        client,
        app,
        post,
        title='"><img src=x onerror=alert(1)>',
        body="<script>alert(1)</script> and <b>bold</b>",
    )
    page = client.get(f"/dashboard/posts/{post}/revisions/").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page


def test_a_revision_of_another_post_is_not_found(app, client, make_user, auth):
    ed = make_user(Role.EDITOR, "ed")
    auth.login("ed")
    one = make_post_via_service(app, ed, title="One")
    other = make_post_via_service(app, ed, title="Other")
    foreign = revisions_of(app, other)[0].id
    url = f"/dashboard/posts/{one}/revisions/"
    assert client.get(f"{url}?new={foreign}").status_code == 404
    assert client.post(f"{url}{foreign}/restore").status_code == 404
    assert client.get(f"{url}?old=nonsense").status_code == 404
    assert client.get(f"/dashboard/events/{one}/revisions/").status_code == 404


def test_restore_this_revision(app, client, make_user, auth):
    ed = make_user(Role.EDITOR, "ed", display_name="Ada Lovelace")
    auth.login("ed")
    post = make_post_via_service(
        app, ed, title="Old title", body="Old *words*.", tags="old"
    )
    edit(client, app, post, title="New title", body="New words.", tags="new")
    old = revisions_of(app, post)[0]
    page = client.get(
        f"/dashboard/posts/{post}/revisions/?old=current&new={old.id}"
    ).get_data(as_text=True)
    assert "<del>New</del><ins>Old</ins> title" in page
    assert "Restore This Revision" in page
    response = client.post(f"/dashboard/posts/{post}/revisions/{old.id}/restore")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/dashboard/posts/{post}/edit")
    editor = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Restored the revision of" in editor
    assert 'value="Old title"' in editor
    with app.app_context():
        saved = db.session.get(Post, post)
        assert (saved.title, saved.body_source) == ("Old title", "Old *words*.")
        assert "<em>words</em>" in saved.body_html
        assert [t.name for t in saved.tags] == ["old"]
        assert saved.status == "published"  # restoring never unpublishes
    latest = revisions_of(app, post)[-1]
    assert len(revisions_of(app, post)) == 3
    assert latest.note.startswith("Restored from the revision of")
    listing = client.get(f"/dashboard/posts/{post}/revisions/").get_data(as_text=True)
    assert "Restored from the revision of" in listing


def test_restoring_keeps_a_draft_a_draft(app, client, make_user, auth):
    make_user(Role.AUTHOR, "au")
    auth.login("au")
    client.post(
        "/dashboard/posts/new",
        data={"title": "Draft", "body": "first", "action": "draft"},
    )
    with app.app_context():
        post = db.session.scalar(select(Post.id))
    edit(client, app, post, "draft", title="Draft", body="second")
    first = revisions_of(app, post)[0]
    client.post(f"/dashboard/posts/{post}/revisions/{first.id}/restore")
    with app.app_context():
        saved = db.session.get(Post, post)
        assert (saved.status, saved.body_source) == ("draft", "first")


@pytest.mark.parametrize(
    ("role", "own", "published", "allowed"),
    [
        ("contributor", False, False, False),
        ("contributor", True, False, True),
        ("contributor", True, True, False),  # contributors stop editing once published
        ("author", False, True, False),
        ("author", True, True, True),
        ("editor", False, True, True),
        ("admin", False, True, True),
    ],
)
def test_only_those_who_may_edit_the_post_see_its_revisions(
    app, client, make_user, make_post, auth, role, own, published, allowed
):
    owner = make_user(Role.ADMIN, "owner")
    person = make_user(Role(role), "person")
    post = make_post(
        "Theirs",
        "Secret draft words",
        author=person if own else owner,
        publish=published,
    )
    if published:  # as an editor would publish a contributor's post
        with app.app_context():
            db.session.get(Post, post.id).status = "published"
            db.session.commit()
    revision = revisions_of(app, post.id)[0]
    auth.login("person")
    listing = client.get(f"/dashboard/posts/{post.id}/revisions/")
    restore = client.post(f"/dashboard/posts/{post.id}/revisions/{revision.id}/restore")
    if allowed:
        assert listing.status_code == 200
        assert "Secret draft words" in listing.get_data(as_text=True)
        assert restore.status_code == 302
    else:
        assert listing.status_code in (403, 404)
        assert "Secret draft words" not in listing.get_data(as_text=True)
        assert restore.status_code in (403, 404)
        assert len(revisions_of(app, post.id)) == 1


def test_anonymous_visitors_are_sent_to_log_in(client, make_post):
    post = make_post("Published", "Public words")
    response = client.get(f"/dashboard/posts/{post.id}/revisions/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_revisions_never_appear_publicly(app, client, make_user, make_post, auth):
    ed = make_user(Role.EDITOR, "ed")
    post = make_post("Bees", "An embarrassing first draft", author=ed)
    auth.login("ed")
    edit(client, app, post.id, body="The final words")
    client.post("/logout")
    with app.app_context():
        saved = db.session.get(Post, post.id)
        url = f"/{saved.published_at:%Y}/{saved.published_at:%m}/{saved.slug}/"
    for address in (url, "/", "/feed/", "/sitemap.xml"):
        response = client.get(address)
        assert "embarrassing" not in response.get_data(as_text=True), address
    found = client.get("/?s=embarrassing").get_data(as_text=True)  # echoes the word
    assert "No results for “embarrassing”." in found and "first draft" not in found
    assert "The final words" in client.get(url).get_data(as_text=True)


#: The Reading screen's other fields, as a browser sends them.
READING = {"feed_items": "10", "feed_content": "full"}


def test_the_reading_setting_prunes_old_revisions(app, client, make_user, auth):
    make_user(Role.ADMIN, "boss")
    auth.login("boss")
    page = client.get("/dashboard/settings/reading/").get_data(as_text=True)
    assert "Revisions to keep" in page
    refused = client.post(
        "/dashboard/settings/reading/", data={**READING, "revisions_to_keep": "0"}
    )
    assert refused.status_code == 200
    assert "Keep from 1 to 10,000 revisions" in refused.get_data(as_text=True)
    saved = client.post(
        "/dashboard/settings/reading/", data={**READING, "revisions_to_keep": "2"}
    )
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.get(Setting, "revisions_to_keep").value == 2
    post = make_post_via_service(app, make_user(Role.EDITOR, "ed"), body="v1")
    for n in range(2, 5):
        edit(client, app, post, body=f"v{n}")
    assert [r.body_source for r in revisions_of(app, post)] == ["v3", "v4"]
    client.post(
        "/dashboard/settings/reading/", data={**READING, "revisions_to_keep": ""}
    )
    with app.app_context():
        assert db.session.get(Setting, "revisions_to_keep").value is None


def test_the_reading_screen_is_for_admins(client, make_user, auth):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    assert client.get("/dashboard/settings/reading/").status_code == 403


# Events --------------------------------------------------------------------


def test_an_events_details_are_kept_compared_and_restored(
    app, client, make_user, make_event, auth
):
    ed = make_user(Role.EDITOR, "ed")
    event = make_event(
        "Panel",
        author=ed,
        venue_name="Lakeside Hall",
        people=[PersonInput("Mira Castellanos", "Harbor University")],
        audiences=("Students, Graduate",),
    )
    (first,) = revisions_of(app, event.id)
    details = first.content["details"]
    assert details["venue_name"] == "Lakeside Hall"
    assert details["start_date"] == "2030-03-14" and details["start_time"] == "16:00"
    assert details["timezone"] == "America/New_York"
    assert details["people"][0]["name"] == "Mira Castellanos"
    assert details["audiences"] == ["Students, Graduate"]

    auth.login("ed")
    response = client.post(
        f"/dashboard/events/{event.id}/edit",
        data={
            "title": "Panel",
            "body": first.body_source,
            "status": "scheduled",
            "start_date": "2030-03-15",
            "start_time": "16:00",
            "end_time": "17:30",
            "timezone": "America/New_York",
            "venue_name": "Harbour Hall",
            "speakers-0-name": "Tomas Eriksen",
            "audiences": "Students, Graduate",
            "version": version_of(app, event.id),
            "action": "update",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(f"/dashboard/events/{event.id}/revisions/").get_data(True)
    assert (
        "<h3>Venue</h3>" in page
        and "<del>Lakeside</del><ins>Harbour</ins> Hall" in page
    )
    when = page[page.index("<h3>When</h3>") : page.index("<h3>Venue</h3>")]
    assert "2030-03-<del>14</del><ins>15</ins> 16:00" in when
    assert "<h3>Speakers</h3>" in page
    assert "<h3>Open to</h3>" not in page  # unchanged

    restore = client.post(f"/dashboard/events/{event.id}/revisions/{first.id}/restore")
    assert restore.status_code == 302
    with app.app_context():
        saved = db.session.get(Event, event.id)
        assert saved.venue_name == "Lakeside Hall"
        assert saved.starts_at.day == 14
        assert [p.name for p in saved.speakers] == ["Mira Castellanos"]
        assert [t.name for t in saved.audiences] == ["Students, Graduate"]
        assert saved.post.status == "published"
    assert len(revisions_of(app, event.id)) == 3
