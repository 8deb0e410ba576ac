"""Autosave, presence and optimistic locking, without a browser: the autosave
endpoint keeps a person's text apart from the post, reopening offers it
back ("Restore the autosave" / "Dismiss"), the editor names who else is
editing, and a save from an older version is refused with both texts kept."""

from __future__ import annotations

import threading
from datetime import timedelta
from html.parser import HTMLParser

from flask import Flask
from sqlalchemy import select, update
from werkzeug.datastructures import MultiDict

from blog.extensions import db
from blog.models import Post, PostAutosave, PostEditor, PostKind, Role, utcnow
from tests.conftest import PASSWORD


def state(app: Flask, post_id: int) -> tuple[str, str, int]:
    with app.app_context():
        post = db.session.get(Post, post_id)
        return post.title, post.body_source, post.version


def autosaves(app: Flask) -> list[PostAutosave]:
    with app.app_context():
        rows = list(db.session.scalars(select(PostAutosave).order_by(PostAutosave.id)))
        db.session.expunge_all()
        return rows


def backdate_post(app: Flask, post_id: int, minutes: int = 5) -> None:
    """As if the post had been saved a few minutes ago (an autosave made
    now is newer)."""
    with app.app_context():
        db.session.execute(
            update(Post)
            .where(Post.id == post_id)
            .values(updated_at=utcnow() - timedelta(minutes=minutes))
            .execution_options(synchronize_session=False)
        )
        db.session.commit()


class EditorFields(HTMLParser):
    """The fields a browser would send from the page's editor form."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "editor" in a.get("class", "").split():
            self._in_form = True
        if not self._in_form or "name" not in a and tag != "option":
            return
        if tag == "input" and a.get("type") not in ("file", "submit"):
            if a.get("type") != "checkbox" or "checked" in a:
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields.append((a["name"], ""))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            name, value = self.fields.pop()
            self.fields.append((name, value + data))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "textarea" and self._textarea is not None:
            name, value = self.fields.pop()
            self.fields.append((name, value.removeprefix("\r\n").removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None


def editor_fields(html: str) -> MultiDict[str, str]:
    parser = EditorFields()
    parser.feed(html)
    return MultiDict(parser.fields)


def test_an_autosave_keeps_the_text_and_never_touches_the_post(
    app, client, make_user, make_post, auth
):
    ed = make_user(Role.EDITOR, "ed")
    post = make_post("Saved title", "Saved body", author=ed)
    before = state(app, post.id)
    auth.login("ed")
    response = client.post(
        f"/dashboard/posts/{post.id}/autosave",
        data={"title": "Typed title", "body": "Typed body", "version": before[2]},
    )
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["saved"] is True
    assert answer["message"].startswith("Autosaved at ")
    assert answer["csrf_token"]
    assert state(app, post.id) == before
    (kept,) = autosaves(app)
    assert (kept.user_id, kept.post_id, kept.kind) == (ed.id, post.id, PostKind.ARTICLE)
    assert kept.content["title"] == ["Typed title"]
    assert kept.base_version == before[2]
    assert "csrf_token" not in kept.content and "version" not in kept.content
    # A second autosave replaces the first: one per person and post.
    client.post(f"/dashboard/posts/{post.id}/autosave", data={"title": "Again"})
    assert [a.content["title"] for a in autosaves(app)] == [["Again"]]


def test_autosaves_are_per_person(app, client, make_user, make_post, auth):
    make_user(Role.EDITOR, "ada")
    make_user(Role.EDITOR, "grace")
    post = make_post("Shared", "Saved body")
    auth.login("ada")
    client.post(f"/dashboard/posts/{post.id}/autosave", data={"title": "Ada's"})
    auth.login("grace")
    client.post(f"/dashboard/posts/{post.id}/autosave", data={"title": "Grace's"})
    assert sorted(a.content["title"][0] for a in autosaves(app)) == ["Ada's", "Grace's"]
    backdate_post(app, post.id)
    page = client.get(f"/dashboard/posts/{post.id}/edit?restore=autosave")
    assert 'value="Grace&#39;s"' in page.get_data(as_text=True)


def test_only_those_who_may_edit_the_post_may_autosave_it(
    app, client, make_user, make_post, auth
):
    post = make_post("Not yours", "Saved body")
    make_user(Role.AUTHOR, "au")
    auth.login("au")
    response = client.post(f"/dashboard/posts/{post.id}/autosave", data={"title": "x"})
    assert response.status_code == 403
    assert autosaves(app) == []
    assert client.post("/dashboard/posts/999/autosave", data={}).status_code == 404


def test_too_much_text_is_refused(app, client, make_user, make_post, auth):
    ed = make_user(Role.EDITOR, "ed")
    post = make_post(author=ed)
    auth.login("ed")
    response = client.post(
        f"/dashboard/posts/{post.id}/autosave", data={"body": "x" * 600_001}
    )
    assert response.status_code == 413
    assert "Too much text" in response.get_json()["message"]
    assert autosaves(app) == []


def test_reopening_offers_a_newer_autosave(app, client, make_user, make_post, auth):
    ed = make_user(Role.EDITOR, "ed")
    post = make_post("Saved title", "Saved body", author=ed, tags="bees")
    auth.login("ed")
    backdate_post(app, post.id)
    client.post(
        f"/dashboard/posts/{post.id}/autosave",
        data={"title": "Saved title", "body": "Typed later", "tags": "bees"},
    )
    page = client.get(f"/dashboard/posts/{post.id}/edit").get_data(as_text=True)
    assert (
        "There is an autosave of this post that is more recent than the version below."
        in page
    )
    assert ">Restore the autosave</a>" in page and ">Dismiss</button>" in page
    assert "Saved body</textarea>" in page  # the form shows the saved text

    restored = client.get(f"/dashboard/posts/{post.id}/edit?restore=autosave")
    html = restored.get_data(as_text=True)
    assert "Typed later</textarea>" in html
    assert "not saved yet" in html
    version = state(app, post.id)[2]
    assert f'name="version" type="hidden" value="{version}"' in html
    assert state(app, post.id)[1] == "Saved body"  # restoring does not save

    # Saving it is an ordinary save, which deletes the autosave.
    saved = client.post(
        f"/dashboard/posts/{post.id}/edit",
        data={
            "title": "Saved title",
            "body": "Typed later",
            "tags": "bees",
            "version": version,
            "action": "update",
        },
    )
    assert saved.status_code == 302
    assert state(app, post.id)[1] == "Typed later"
    assert autosaves(app) == []


def test_an_autosave_older_than_the_post_or_the_same_is_not_offered(
    app, client, make_user, make_post, auth
):
    ed = make_user(Role.EDITOR, "ed")
    post = make_post("Title", "Body", author=ed)
    auth.login("ed")
    backdate_post(app, post.id)
    page = client.get(f"/dashboard/posts/{post.id}/edit").get_data(as_text=True)
    sent = editor_fields(page)
    assert sent["title"] == "Title" and sent["body"] == "Body"
    client.post(f"/dashboard/posts/{post.id}/autosave", data=sent)
    page = client.get(f"/dashboard/posts/{post.id}/edit").get_data(as_text=True)
    assert "There is an autosave" not in page  # the same text as saved
    sent["body"] = "Body, changed"
    client.post(f"/dashboard/posts/{post.id}/autosave", data=sent)
    page = client.get(f"/dashboard/posts/{post.id}/edit").get_data(as_text=True)
    assert "There is an autosave" in page
    client.post(f"/dashboard/posts/{post.id}/autosave", data={"title": "Other"})
    backdate_post(app, post.id, minutes=-5)  # the post saved after it
    page = client.get(f"/dashboard/posts/{post.id}/edit").get_data(as_text=True)
    assert "There is an autosave" not in page


def test_dismiss_forgets_the_autosave(app, client, make_user, make_post, auth):
    ed = make_user(Role.EDITOR, "ed")
    post = make_post(author=ed)
    auth.login("ed")
    backdate_post(app, post.id)
    client.post(f"/dashboard/posts/{post.id}/autosave", data={"title": "Typed"})
    response = client.post(f"/dashboard/posts/{post.id}/autosave/dismiss")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Autosave dismissed." in page and "There is an autosave" not in page
    assert autosaves(app) == []


def test_a_new_posts_autosave(app, client, make_user, auth):
    ed = make_user(Role.EDITOR, "ed")
    auth.login("ed")
    page = client.get("/dashboard/posts/new").get_data(as_text=True)
    assert 'data-url="/dashboard/posts/autosave"' in page
    client.post(
        "/dashboard/posts/autosave", data={"title": "Unsaved idea", "body": "Half"}
    )
    (kept,) = autosaves(app)
    assert (kept.user_id, kept.post_id, kept.kind) == (ed.id, None, PostKind.ARTICLE)
    page = client.get("/dashboard/posts/new").get_data(as_text=True)
    assert "There is an autosave of a new post you had not saved." in page
    assert 'href="/dashboard/posts/new?restore=autosave"' in page
    restored = client.get("/dashboard/posts/new?restore=autosave").get_data(True)
    assert 'value="Unsaved idea"' in restored
    # An event's new autosave is another one.
    assert "There is an autosave" not in client.get("/dashboard/events/new").get_data(
        True
    )
    client.post(
        "/dashboard/posts/new",
        data={"title": "Unsaved idea", "body": "Half", "action": "draft"},
    )
    assert autosaves(app) == []


def test_who_else_is_editing(app, client, make_user, make_post, auth):
    make_user(Role.EDITOR, "ada", display_name="Ada Lovelace")
    make_user(Role.EDITOR, "grace", display_name="Grace Hopper")
    post = make_post()
    other = app.test_client()
    other.post("/login", data={"login": "grace", "password": PASSWORD})
    auth.login("ada")
    page = client.get(f"/dashboard/posts/{post.id}/edit").get_data(as_text=True)
    assert "is also editing" not in page
    page = other.get(f"/dashboard/posts/{post.id}/edit").get_data(as_text=True)
    assert "Ada Lovelace is also editing this post." in page
    # Ada's heartbeat answers with Grace, and refreshes Ada's mark.
    answer = client.post(
        f"/dashboard/posts/{post.id}/autosave", data={"heartbeat": "1"}
    ).get_json()
    assert answer["saved"] is False
    assert answer["presence"] == "Grace Hopper is also editing this post."
    assert autosaves(app) == []
    # Someone not seen for three minutes has left.
    with app.app_context():
        db.session.execute(
            update(PostEditor).values(seen_at=utcnow() - timedelta(minutes=3))
        )
        db.session.commit()
    page = other.get(f"/dashboard/posts/{post.id}/edit").get_data(as_text=True)
    assert "is also editing" not in page


# Optimistic locking ------------------------------------------------------------


def test_a_save_from_an_older_version_is_refused_and_both_texts_kept(
    app, client, make_user, make_post, auth
):
    make_user(Role.EDITOR, "ada", display_name="Ada Lovelace")
    make_user(Role.EDITOR, "grace", display_name="Grace Hopper")
    post = make_post("Shared", "The original text.")
    opened_at = state(app, post.id)[2]
    auth.login("grace")
    client.post(
        f"/dashboard/posts/{post.id}/edit",
        data={
            "title": "Shared",
            "body": "Grace's new text.",
            "version": opened_at,
            "action": "update",
        },
    )
    ada = app.test_client()
    ada.post("/login", data={"login": "ada", "password": PASSWORD})
    response = ada.post(
        f"/dashboard/posts/{post.id}/edit",
        data={
            "title": "Shared",
            "body": "Ada's new text.",
            "version": opened_at,
            "action": "update",
        },
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<bdi>Grace Hopper</bdi> updated this post at " in page
    assert "while you were editing." in page
    assert "Your text is below and was not saved" in page
    assert f'href="/dashboard/posts/{post.id}/revisions/" target="_blank"' in page
    assert "Ada&#39;s new text.</textarea>" in page
    assert state(app, post.id)[1] == "Grace's new text."
    (kept,) = autosaves(app)
    assert kept.content["body"] == ["Ada's new text."]
    # Reloading offers Ada's text back.
    page = ada.get(f"/dashboard/posts/{post.id}/edit").get_data(as_text=True)
    assert "There is an autosave of this post that is more recent" in page
    assert "Grace&#39;s new text.</textarea>" in page


def test_two_saves_at_once_one_wins_and_the_other_is_refused(app, make_user, make_post):
    """A real race: two people press Update at the same moment, both from
    the same version. One save lands; the other is refused, whichever way
    the database orders them, and nothing of the winner is overwritten."""
    make_user(Role.EDITOR, "ada")
    make_user(Role.EDITOR, "grace")
    post = make_post("Shared", "The original text.")
    opened_at = state(app, post.id)[2]
    clients = {}
    for name in ("ada", "grace"):
        clients[name] = app.test_client()
        clients[name].post("/login", data={"login": name, "password": PASSWORD})
    start = threading.Barrier(2)
    statuses: dict[str, int] = {}

    def save(name: str) -> None:
        start.wait()
        response = clients[name].post(
            f"/dashboard/posts/{post.id}/edit",
            data={
                "title": "Shared",
                "body": f"{name}'s text",
                "version": opened_at,
                "action": "update",
            },
        )
        statuses[name] = response.status_code

    threads = [threading.Thread(target=save, args=(n,)) for n in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(statuses.values()) == [200, 302]
    winner = next(name for name, code in statuses.items() if code == 302)
    loser = next(name for name, code in statuses.items() if code == 200)
    assert state(app, post.id)[1] == f"{winner}'s text"
    (kept,) = autosaves(app)
    assert kept.content["body"] == [f"{loser}'s text"]


def test_the_event_editor_is_locked_too(app, client, make_user, make_event, auth):
    make_user(Role.EDITOR, "ed")
    event = make_event("Panel")
    opened_at = state(app, event.id)[2]
    auth.login("ed")
    page = client.get(f"/dashboard/events/{event.id}/edit").get_data(as_text=True)
    assert f'name="version" type="hidden" value="{opened_at}"' in page
    assert f'data-url="/dashboard/events/{event.id}/autosave"' in page
    with app.app_context():
        db.session.execute(update(Post).values(version=Post.version + 1))
        db.session.commit()
    response = client.post(
        f"/dashboard/events/{event.id}/edit",
        data={
            "title": "Panel, moved",
            "start_date": "2030-03-14",
            "start_time": "16:00",
            "timezone": "America/New_York",
            "status": "scheduled",
            "version": opened_at,
            "action": "update",
        },
    )
    assert response.status_code == 200
    assert "while you were editing" in response.get_data(as_text=True)
    assert state(app, event.id)[0] == "Panel"
