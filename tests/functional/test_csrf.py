"""With CSRF on, a state-changing POST without a token changes nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import Post, Role
from tests.conftest import PASSWORD


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def _token(html: bytes) -> str:
    return (
        re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', html)
        .group(1)
        .decode()
    )


def login(client):
    token = _token(client.get("/login").data)
    return client.post(
        "/login", data={"login": "grace", "password": PASSWORD, "csrf_token": token}
    )


def test_login_without_token_fails(client, make_user):
    make_user(Role.EDITOR, "grace")
    response = client.post("/login", data={"login": "grace", "password": PASSWORD})
    assert response.status_code == 200
    assert b"This form had expired" in response.data
    assert login(client).status_code == 302


def test_editor_without_token_keeps_the_text_and_writes_nothing(app, client, make_user):
    make_user(Role.EDITOR, "grace")
    login(client)
    response = client.post(
        "/dashboard/posts/new",
        data={"title": "Kept title", "body": "Kept body text", "action": "publish"},
    )
    assert response.status_code == 200
    assert b"Nothing you typed was lost" in response.data
    assert b"Kept title" in response.data and b"Kept body text" in response.data
    assert re.search(rb'name="csrf_token"[^>]*value="[^"]+"', response.data)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Post)) == 0


def test_trash_and_logout_without_token_are_refused(app, client, make_user, make_post):
    editor = make_user(Role.EDITOR, "grace")
    post = make_post(author=editor)
    login(client)
    assert client.post(f"/dashboard/posts/{post.id}/trash").status_code == 400
    assert client.post("/logout").status_code == 400
    with app.app_context():
        assert db.session.get(Post, post.id).status == "published"
