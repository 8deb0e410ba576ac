"""Per-IP rate limits, counted in memory for one server or in Redis for many."""

from __future__ import annotations

import socket
import uuid

import pytest

from blog import create_app

LIMITED = {"RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "3 per minute"}


def redis_available() -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", 6379)) == 0


def server(tmp_path, name: str, **config):  # type: ignore[no-untyped-def]
    """One 'app server' with its own process-level state, sharing the database."""
    import os

    os.environ["BLOG_INSTANCE_PATH"] = str(tmp_path / name)
    try:
        return create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "x" * 32,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
                "WTF_CSRF_ENABLED": False,
                **LIMITED,
                **config,
            }
        )
    finally:
        del os.environ["BLOG_INSTANCE_PATH"]


def post_logins(app, times: int) -> list[int]:  # type: ignore[no-untyped-def]
    client = app.test_client()
    return [
        client.post("/login", data={"login": "nobody", "password": "wrong"}).status_code
        for _ in range(times)
    ]


@pytest.fixture
def schema(tmp_path):  # type: ignore[no-untyped-def]
    from blog.extensions import db

    app = server(tmp_path, "setup")
    with app.app_context():
        db.create_all()
        from blog.models import Role, User

        db.session.add(
            User(
                username="someone",
                email="someone@example.org",
                display_name="Someone",
                slug="someone",
                role=Role.ADMIN,
                password_hash="x",
            )
        )
        db.session.commit()
    return tmp_path


def test_login_posts_are_limited_per_ip(schema):
    app = server(schema, "one")
    statuses = post_logins(app, 4)
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3] == 429
    assert app.test_client().get("/login").status_code == 200  # reading is not limited


@pytest.mark.skipif(not redis_available(), reason="no Redis at 127.0.0.1:6379")
def test_servers_sharing_redis_share_the_limit(schema):
    shared = {
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
        "RATELIMIT_KEY_PREFIX": f"blog-test-{uuid.uuid4().hex}",
    }
    first = server(schema, "first", **shared)
    assert post_logins(first, 3) == [200, 200, 200]
    second = server(schema, "second", **shared)
    assert post_logins(second, 1) == [429]


def test_servers_with_memory_storage_count_alone(schema):
    first = server(schema, "first")
    assert post_logins(first, 3) == [200, 200, 200]
    second = server(schema, "second")
    assert post_logins(second, 1) == [200]
