"""Akismet's circuit breaker: after repeated failures comments skip Akismet
(pending, unchecked) for a while, on every app server; the recheck job and
one probe after the cool-down learn that Akismet is back."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update

from blog import create_app
from blog.comments.breaker import BreakerConfig, breaker_for
from blog.extensions import db
from blog.models import (
    CircuitBreaker,
    Comment,
    CommentLogEntry,
    OutboxMessage,
    Role,
    utcnow,
)
from blog.site.settings import save_settings
from tests.fixtures_comments import PostComment

REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_available() -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"AKISMET_BREAKER_FAILURES": 2, "AKISMET_BREAKER_SECONDS": 300}


@pytest.fixture
def open_rules(app):  # type: ignore[no-untyped-def]
    """No local rule holds a clean comment, so Akismet's verdict decides."""
    with app.app_context():
        save_settings({"comments_previously_approved": False})
        db.session.commit()


@pytest.fixture
def twin(app: Flask, tmp_path, akismet_server, post_comment) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    """A second app server (its own process state) on the same database,
    configured as the first one is (Akismet, no flood rules)."""
    os.environ["BLOG_INSTANCE_PATH"] = str(tmp_path / "twin")
    try:
        other = create_app(dict(app.config))
    finally:
        del os.environ["BLOG_INSTANCE_PATH"]
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def checks(akismet_server) -> int:  # type: ignore[no-untyped-def]
    return len(akismet_server.calls("comment-check"))


def statuses(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        rows = db.session.execute(
            select(Comment.status, Comment.spam_check).order_by(Comment.id)
        ).all()
        return [(str(status), str(check)) for status, check in rows]


def expire_cooldown(app) -> None:  # type: ignore[no-untyped-def]
    """Five minutes pass (for the breaker)."""
    with app.app_context():
        db.session.execute(
            update(CircuitBreaker).values(open_until=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()


def test_a_hanging_akismet_and_mail_server_hold_no_request(
    app, make_post, make_user, post_comment, akismet_server, hanging_smtp
):
    """Both hang: after two failures Akismet is not asked, and no request
    talks to the mail server (cron does, after the response)."""
    app.config["MAIL_SEND_AFTER_RESPONSE"] = False
    make_user(Role.EDITOR, "ed")
    akismet_server.mode = "hang"
    post = make_post("Talks")
    for n in range(4):
        response = post_comment(post, f"Comment {n}", email=f"c{n}@example.net")
        assert response.status_code == 303
        response.close()
    assert checks(akismet_server) == 2  # then the breaker opened
    assert hanging_smtp.connections == 0
    assert statuses(app) == [("pending", "unchecked")] * 4
    with app.app_context():
        queued = db.session.scalars(select(OutboxMessage)).all()
        assert [(m.status, m.attempts) for m in queued] == [("queued", 0)] * 4
        notes = db.session.scalars(
            select(CommentLogEntry.note).where(
                CommentLogEntry.action == "akismet_error"
            )
        ).all()
    assert notes.count("Not asked: Akismet failed several times in a row") == 2


@pytest.mark.parametrize("mode", ["500", "garbage", "refused"])
def test_every_kind_of_failure_counts(
    app, make_post, post_comment, akismet_server, open_rules, mode
):
    if mode == "refused":
        app.config["AKISMET_API_URL"] = "http://127.0.0.1:9"  # nothing listens
    akismet_server.mode = mode
    post = make_post("Talks")
    for n in range(3):
        post_comment(post, f"Comment {n}", email=f"c{n}@example.net")
    with app.app_context():
        breaker = db.session.get(CircuitBreaker, "akismet")
        assert breaker is not None and breaker.failures == 2
        assert breaker.open_until is not None and breaker.open_until > utcnow()
    if mode != "refused":
        assert checks(akismet_server) == 2


def test_an_answer_resets_the_count(
    app, make_post, post_comment, akismet_server, open_rules
):
    post = make_post("Talks")
    akismet_server.mode = "500"
    post_comment(post, "One", email="one@example.net")
    akismet_server.mode = "ham"
    post_comment(post, "Two", email="two@example.net")
    akismet_server.mode = "500"
    post_comment(post, "Three", email="three@example.net")
    post_comment(post, "Four", email="four@example.net")  # the second in a row
    post_comment(post, "Five", email="five@example.net")
    assert checks(akismet_server) == 4
    assert statuses(app)[1] == ("approved", "ham")


def test_the_breaker_is_shared_by_app_servers(
    app, twin, make_post, post_comment, akismet_server, open_rules
):
    post = make_post("Talks")
    akismet_server.mode = "500"
    post_comment(post, "One", email="one@example.net")
    post_comment(post, "Two", email="two@example.net")
    assert checks(akismet_server) == 2
    akismet_server.mode = "ham"
    other = PostComment(twin, twin.test_client())
    assert other(post, "Three", email="three@example.net").status_code == 303
    assert checks(akismet_server) == 2  # the other server skipped Akismet
    assert statuses(app)[-1] == ("pending", "unchecked")
    expire_cooldown(app)
    other(post, "Four", email="four@example.net")  # the probe
    assert checks(akismet_server) == 3
    assert statuses(app)[-1] == ("approved", "ham")
    post_comment(post, "Five", email="five@example.net")  # closed for everyone
    assert checks(akismet_server) == 4


def test_one_probe_after_the_cool_down(
    app, make_post, post_comment, akismet_server, open_rules
):
    post = make_post("Talks")
    akismet_server.mode = "500"
    for n in range(2):
        post_comment(post, f"Comment {n}", email=f"c{n}@example.net")
    expire_cooldown(app)
    post_comment(post, "Probe", email="probe@example.net")  # fails: open again
    post_comment(post, "Skipped", email="skipped@example.net")
    assert checks(akismet_server) == 3


def test_recheck_asks_while_open_and_closes_the_breaker(
    app, runner, make_post, post_comment, akismet_server, open_rules
):
    post = make_post("Talks")
    akismet_server.mode = "500"
    for n in range(3):
        post_comment(post, f"Comment {n}", email=f"c{n}@example.net")
    assert checks(akismet_server) == 2
    akismet_server.mode = "ham"
    result = runner.invoke(args=["comments", "recheck"])
    assert "Checked 3 comment(s)" in result.output
    assert statuses(app) == [("approved", "ham")] * 3
    with app.app_context():
        breaker = db.session.get(CircuitBreaker, "akismet")
        assert breaker is not None
        assert breaker.failures == 0 and breaker.open_until is None
    post_comment(post, "After", email="after@example.net")
    assert checks(akismet_server) == 2 + 3 + 1  # all asked again, then the new one
    assert statuses(app)[-1] == ("approved", "ham")


def test_an_invalid_key_is_an_answer(
    app, make_post, post_comment, akismet_server, open_rules
):
    akismet_server.mode = "invalid"
    post = make_post("Talks")
    for n in range(3):
        post_comment(post, f"Comment {n}", email=f"c{n}@example.net")
    assert checks(akismet_server) == 3


def test_zero_failures_turns_the_breaker_off(
    app, make_post, post_comment, akismet_server, open_rules
):
    app.config["AKISMET_BREAKER_FAILURES"] = 0
    akismet_server.mode = "500"
    post = make_post("Talks")
    for n in range(3):
        post_comment(post, f"Comment {n}", email=f"c{n}@example.net")
    assert checks(akismet_server) == 3
    with app.app_context():
        assert db.session.scalars(select(CircuitBreaker)).all() == []


def test_database_breaker_states(app):
    conf = BreakerConfig(failures=2, cooldown=300)
    start = utcnow()
    later = start + timedelta(seconds=300)
    with app.app_context():
        breaker = breaker_for(conf)
        assert breaker.allow(start)
        breaker.failed(start)
        db.session.commit()
        assert breaker.allow(start)  # one failure is not enough
        breaker.failed(start)
        db.session.commit()
        assert not breaker.allow(start + timedelta(seconds=299))
        assert breaker.allow(later)  # half-open: one probe...
        assert not breaker.allow(later)  # ...and only one
        breaker.failed(later)
        db.session.commit()
        assert not breaker.allow(later + timedelta(seconds=299))
        breaker.succeeded()
        db.session.commit()
        assert breaker.allow(later)
        assert not db.session().in_transaction()  # allow() leaves none open


@pytest.mark.skipif(not redis_available(), reason="no Redis at 127.0.0.1:6379")
def test_redis_shares_the_breaker(
    app, twin, make_post, post_comment, akismet_server, open_rules
):
    import redis

    site = f"http://blog-test-{uuid.uuid4().hex}"
    for server in (app, twin):
        server.config.update(AKISMET_BREAKER_STORAGE=REDIS_URL, SITE_URL=site)
    post = make_post("Talks")
    akismet_server.mode = "500"
    try:
        post_comment(post, "One", email="one@example.net")
        post_comment(post, "Two", email="two@example.net")
        akismet_server.mode = "ham"
        other = PostComment(twin, twin.test_client())
        other(post, "Three", email="three@example.net")
        assert checks(akismet_server) == 2
        with app.app_context():  # the state is in Redis, not the database
            assert db.session.scalars(select(CircuitBreaker)).all() == []
        client = redis.Redis.from_url(REDIS_URL)
        client.delete(f"blog:{site}:breaker:akismet:open")  # the cool-down ends
        other(post, "Four", email="four@example.net")  # the probe closes it
        post_comment(post, "Five", email="five@example.net")
        assert checks(akismet_server) == 4
        assert statuses(app)[-2:] == [("approved", "ham")] * 2
    finally:
        redis.Redis.from_url(REDIS_URL).delete(
            *(f"blog:{site}:breaker:akismet:{key}" for key in ("failures", "open"))
        )


def test_redis_from_the_rate_limit_storage():
    conf = BreakerConfig.from_config({"RATELIMIT_STORAGE_URI": REDIS_URL})
    assert conf.storage == REDIS_URL
    assert (
        BreakerConfig.from_config({"RATELIMIT_STORAGE_URI": "memory://"}).storage == ""
    )
    explicit = BreakerConfig.from_config(
        {"RATELIMIT_STORAGE_URI": REDIS_URL, "AKISMET_BREAKER_STORAGE": "database"}
    )
    assert explicit.storage == ""


def test_a_broken_redis_lets_akismet_be_asked(
    app, make_post, post_comment, akismet_server, open_rules
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app.config["AKISMET_BREAKER_STORAGE"] = f"redis://127.0.0.1:{port}/0"
    akismet_server.mode = "500"
    post = make_post("Talks")
    for n in range(3):
        post_comment(post, f"Comment {n}", email=f"c{n}@example.net")
    assert checks(akismet_server) == 3
    assert statuses(app) == [("pending", "unchecked")] * 3
