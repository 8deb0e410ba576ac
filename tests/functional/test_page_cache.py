"""The page cache: anonymous readers get stored pages, every change shows
on the very next request, staff neither get nor leave a stored page.

Changes go through the real paths (dashboard requests, the services), so
the session events that bump the content version are what is tested.
"""

from __future__ import annotations

import os
import re
import socket
import time
import uuid
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from blog import create_app
from blog.comments.checks import form_age
from blog.extensions import db
from blog.media import Uploads
from blog.models import Comment, Role, User, utcnow
from blog.posts import publishing
from blog.site import cache_version, promo
from blog.site.menu_editor import MenuRow, save_menu
from tests.conftest import PASSWORD, record_queries
from tests.fixtures_comments import url_of


@pytest.fixture
def reader(app) -> FlaskClient:  # type: ignore[no-untyped-def]
    """An anonymous reader: no cookie, ever."""
    return app.test_client(use_cookies=False)


@pytest.fixture
def staff(app, make_user) -> FlaskClient:  # type: ignore[no-untyped-def]
    """A logged-in administrator, in a browser of their own."""
    editor = make_user(Role.ADMIN, "eddie", display_name="Eddie Editor")
    client = app.test_client()
    client.post("/login", data={"login": editor.username, "password": PASSWORD})
    return client


def html(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


def test_a_second_read_only_reads_the_version_and_is_the_same_page(
    app, reader, make_post, count_queries, monkeypatch
):
    """A hit reads the content version (one ``SELECT`` on a pooled DBAPI
    connection, which SQLAlchemy's events do not see) and nothing else."""
    post = make_post("Cached")
    first = reader.get(url_of(post))
    peeks: list[cache_version.ContentVersion | None] = []
    peek = cache_version.peek
    monkeypatch.setattr(
        cache_version, "peek", lambda: peeks.append(peek()) or peeks[-1]
    )
    with count_queries() as counter:
        second = reader.get(url_of(post))
    assert counter.count == 0 and len(peeks) == 1 and peeks[0] is not None
    assert second.status_code == 200
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Content-Type"] == first.headers["Content-Type"]
    token = re.compile(r'name="ts" type="hidden" value="([^"]+)"')
    assert token.sub("", html(second)) == token.sub("", html(first))


def test_a_stored_page_gets_a_fresh_form_timestamp(app, reader, make_post):
    """The "too fast" rule measures from the response, not from the copy."""
    app.config["CACHE_PAGE_SECONDS"] = 3600
    post = make_post()
    reader.get(url_of(post))
    time.sleep(1.1)
    page = html(reader.get(url_of(post)))
    ts = re.search(r'name="ts" type="hidden" value="([^"]+)"', page).group(1)
    age = form_age(app.config["SECRET_KEY"], ts, post.id, utcnow())
    assert age is not None and age < 1


def test_a_head_request_is_answered_from_the_same_copy(reader, make_post):
    post = make_post()
    reader.get(url_of(post))
    head = reader.head(url_of(post))
    assert head.status_code == 200 and head.data == b""
    assert int(head.headers["Content-Length"]) > 1000


def test_an_approved_comment_shows_on_the_next_request(
    app, reader, staff, make_post, post_comment
):
    post = make_post()
    assert "Kind words" not in html(reader.get(url_of(post)))
    post_comment(post, "Kind words", client=app.test_client())
    assert "Kind words" not in html(reader.get(url_of(post)))  # held
    with app.app_context():
        comment_id = db.session.scalar(select(Comment.id))
    staff.post(f"/dashboard/comments/{comment_id}/approve")
    assert "Kind words" in html(reader.get(url_of(post)))
    staff.post(f"/dashboard/comments/{comment_id}/spam")
    assert "Kind words" not in html(reader.get(url_of(post)))


def test_a_published_post_and_its_update_show_on_the_next_request(app, reader, staff):
    assert "Fresh news" not in html(reader.get("/"))
    staff.post(
        "/dashboard/posts/new",
        data={"title": "Fresh news", "body": "Hot off the press.", "action": "publish"},
    )
    assert "Fresh news" in html(reader.get("/"))
    with app.app_context():
        post = db.session.scalars(select(publishing.Post)).one()
        actor = db.session.scalars(select(User)).one()
        publishing.save_post(
            actor,
            publishing.PostInput(title="Fresh news, updated", body="Later."),
            post=post,
            action=publishing.SaveAction.UPDATE,
        )
        url = url_of(post)
    assert "Fresh news, updated" in html(reader.get("/"))
    assert "Later." in html(reader.get(url))


def test_settings_promo_and_menu_changes_show_on_the_next_request(
    app, reader, staff, make_user, make_post, make_page
):
    post = make_post()
    about = make_page("About us")
    admin = make_user(Role.ADMIN)
    assert "Garden Gazette" not in html(reader.get("/"))
    assert 'class="promo"' not in html(reader.get(url_of(post)))
    staff.post(
        "/dashboard/settings/",
        data={
            "title": "Garden Gazette",
            "tagline": "Dirt and data",
            "timezone": "UTC",
            "posts_per_page": 10,
        },
    )
    assert "Garden Gazette" in html(reader.get("/"))
    with app.app_context():
        actor = db.session.get(User, admin.id)
        promo.save_promo(
            actor,
            promo.PromoInput(title="Open House Week", text="Come by."),
            current={},
            uploads=Uploads.of(app),
        )
    assert 'class="promo"' in html(reader.get(url_of(post)))
    with app.app_context():
        actor = db.session.get(User, admin.id)
        save_menu(
            actor, [MenuRow(key="a", label="Who we are", link=f"page:{about.id}")]
        )
    assert "Who we are" in html(reader.get("/"))


def test_a_scheduled_post_appears_when_it_comes_due(app, reader, make_post):
    make_post("Old news")
    make_post("Scheduled news", days_ago=-1.5 / 86400)  # in 1.5 seconds
    assert "Scheduled news" not in html(reader.get("/"))
    time.sleep(1.6)
    assert "Scheduled news" in html(reader.get("/"))


def test_staff_never_get_a_stored_page(app, reader, staff, make_post):
    post = make_post()
    assert "Edit Post" not in html(reader.get(url_of(post)))  # stored
    page = staff.get(url_of(post))
    assert "Edit Post" in html(page) and "Eddie Editor" in html(page)
    assert page.headers["Cache-Control"] == "private, no-store"


def test_staff_pages_are_never_stored_for_readers(
    app, reader, staff, make_post, count_queries
):
    post = make_post()
    assert "Edit Post" in html(staff.get(url_of(post)))  # first: not stored
    with count_queries() as counter:
        page = reader.get(url_of(post))
    assert counter.count > 1  # made afresh for the reader
    assert "Edit Post" not in html(page) and "Eddie" not in html(page)
    assert "Edit Post" not in html(reader.get(url_of(post)))


def test_query_arguments_are_part_of_the_key(app, reader, make_post, make_comment):
    app.config["COMMENTS_PER_PAGE"] = 1
    post = make_post()
    make_comment(post, "Oldest words")
    make_comment(post, "Newest words")
    first = html(reader.get(url_of(post)))
    second = html(reader.get(url_of(post) + "?cpage=2"))
    assert ("Oldest words" in first) != ("Oldest words" in second)


def test_with_the_cache_off_every_read_is_made_afresh(
    app, reader, make_post, count_queries
):
    app.config["CACHE_PAGES"] = False
    post = make_post()
    etag = reader.get(url_of(post)).headers["ETag"]
    with count_queries() as counter:
        again = reader.get(url_of(post))
    assert counter.count > 1
    assert again.headers["ETag"] == etag  # validators stay
    assert reader.get(url_of(post), headers={"If-None-Match": etag}).status_code == 304


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.fixture
def redis_prefix() -> str:
    if not _redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    prefix = f"blog-test-{uuid.uuid4().hex[:8]}:"
    yield prefix
    import redis

    client = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


@pytest.fixture
def app_config(request):  # type: ignore[no-untyped-def]
    if "redis_prefix" in request.fixturenames:
        prefix = request.getfixturevalue("redis_prefix")
        return {
            "CACHE_REDIS_URL": "redis://127.0.0.1:6379/0",
            "CACHE_KEY_PREFIX": prefix,
        }
    return {}


@pytest.fixture
def second_server(app, tmp_path):  # type: ignore[no-untyped-def]
    """Another app (its own process state) on the same database."""
    made = []

    def make(**config):  # type: ignore[no-untyped-def]
        os.environ["BLOG_INSTANCE_PATH"] = str(tmp_path / f"second{len(made)}")
        try:
            other = create_app({**app.config, **config})
        finally:
            del os.environ["BLOG_INSTANCE_PATH"]
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def statements(other) -> list[str]:  # type: ignore[no-untyped-def]
    """The SQL ``other`` runs from now on (a list that grows)."""
    seen: list[str] = []
    with other.app_context():
        record_queries(db.engine, seen)
    return seen


def test_with_redis_servers_share_their_pages(
    redis_prefix, second_server, reader, make_post
):
    """A second server on the same database and Redis finds the page the
    first one stored, and sees the same changes."""
    post = make_post()
    assert "Hello world" in html(reader.get(url_of(post)))
    other = second_server()
    seen = statements(other)
    page = other.test_client(use_cookies=False).get(url_of(post))
    # Nothing made: the version is read outside SQLAlchemy's events (peek).
    assert "Hello world" in html(page) and seen == []
    make_post("Another one")
    assert "Another one" in html(other.test_client(use_cookies=False).get("/"))


def test_a_cache_that_cannot_answer_is_skipped(second_server, make_post):
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    broken = second_server(CACHE_REDIS_URL=f"redis://127.0.0.1:{port}/0")
    post = make_post()
    client = broken.test_client(use_cookies=False)
    assert "Hello world" in html(client.get(url_of(post)))
    assert "Hello world" in html(client.get(url_of(post)))


def test_a_post_scheduled_for_later_is_not_shown_early(app, reader, make_post):
    make_post("Later news", days_ago=-1)
    assert "Later news" not in html(reader.get("/"))
    with app.app_context():
        assert cache_version.current().next_due > utcnow() + timedelta(hours=23)
