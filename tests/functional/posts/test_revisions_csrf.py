"""With CSRF on: the autosave endpoint takes the token in the X-CSRFToken
header (fetch) or in the body (a beacon, which has no headers) and refuses
a request without it; restoring a revision and dismissing an autosave need
the form's token; the editor's text survives an expired token."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import Post, PostAutosave, PostRevision, Role
from tests.conftest import PASSWORD


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def login(client, username: str) -> str:
    token = _token(client.get("/login").get_data(as_text=True))
    client.post(
        "/login",
        data={"login": username, "password": PASSWORD, "csrf_token": token},
    )
    return token


def count(app, model) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return len(list(db.session.scalars(select(model))))


def test_autosave_needs_the_token(app, client, make_user, make_post):
    make_user(Role.EDITOR, "ed")
    post = make_post("Saved", "Saved body")
    login(client, "ed")
    editor = client.get(f"/dashboard/posts/{post.id}/edit").get_data(as_text=True)
    token = _token(editor)
    url = f"/dashboard/posts/{post.id}/autosave"
    assert client.post(url, data={"title": "No token"}).status_code == 400
    assert count(app, PostAutosave) == 0
    by_header = client.post(
        url, data={"title": "Header"}, headers={"X-CSRFToken": token}
    )
    assert by_header.status_code == 200
    fresh = by_header.get_json()["csrf_token"]
    by_body = client.post(url, data={"title": "Beacon", "csrf_token": fresh})
    assert by_body.status_code == 200
    with app.app_context():
        (kept,) = db.session.scalars(select(PostAutosave))
        assert kept.content["title"] == ["Beacon"]
        assert db.session.get(Post, post.id).title == "Saved"


def test_restore_and_dismiss_need_the_token(app, client, make_user, make_post):
    ed = make_user(Role.EDITOR, "ed")
    post = make_post("First", "First body", author=ed)
    login(client, "ed")
    with app.app_context():
        revision_id = db.session.scalar(select(PostRevision.id))
    url = f"/dashboard/posts/{post.id}/revisions/{revision_id}/restore"
    assert client.post(url).status_code == 400
    assert count(app, PostRevision) == 1  # nothing restored
    page = client.get(f"/dashboard/posts/{post.id}/edit")
    token = _token(page.get_data(as_text=True))
    assert client.post(url, data={"csrf_token": token}).status_code == 302
    assert count(app, PostRevision) == 2
    client.post(
        f"/dashboard/posts/{post.id}/autosave",
        data={"title": "Typed"},
        headers={"X-CSRFToken": token},
    )
    dismiss = f"/dashboard/posts/{post.id}/autosave/dismiss"
    assert client.post(dismiss).status_code == 400
    assert count(app, PostAutosave) == 1
    client.post(
        f"/dashboard/posts/{post.id}/autosave/dismiss", data={"csrf_token": token}
    )
    assert count(app, PostAutosave) == 0


def test_an_expired_token_keeps_the_text_and_the_version(
    app, client, make_user, make_post
):
    make_user(Role.EDITOR, "ed")
    post = make_post("Saved", "Saved body")
    login(client, "ed")
    with app.app_context():
        version = db.session.get(Post, post.id).version
    response = client.post(
        f"/dashboard/posts/{post.id}/edit",
        data={
            "title": "Saved",
            "body": "Typed for an hour",
            "version": version,
            "csrf_token": "expired",
            "action": "update",
        },
    )
    page = response.get_data(as_text=True)
    assert "Nothing you typed was lost" in page
    assert "Typed for an hour</textarea>" in page
    assert f'name="version" type="hidden" value="{version}"' in page
    assert 'data-unsaved="1"' in page  # the script autosaves it at once
