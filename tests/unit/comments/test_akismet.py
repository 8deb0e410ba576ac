"""blog.comments.akismet: the Akismet client, against the local server."""

from __future__ import annotations

import time

import pytest

from blog.comments import akismet as spam
from tests.akismet_server import VALID_KEY, AkismetServer


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    running = AkismetServer().start()
    running.hang_seconds = 2.0
    yield running
    running.stop()


def conf_for(server: AkismetServer, key: str = VALID_KEY) -> spam.AkismetConfig:
    return spam.AkismetConfig(
        key=key,
        blog_url="http://blog.example",
        api_url=server.url,
        # Short, yet long enough for the local server to answer on a busy
        # machine (a test worker, PostgreSQL and Chromium share two cores).
        timeout=1.0,
        is_test=True,
    )


PARAMS = {
    "user_ip": "192.0.2.1",
    "comment_content": "Hello",
    "comment_type": "comment",
    "hold_reason": "not an Akismet field",
}


@pytest.mark.parametrize(
    ("mode", "verdict"),
    [
        ("ham", spam.Verdict.HAM),
        ("spam", spam.Verdict.SPAM),
        ("discard", spam.Verdict.DISCARD),
        ("invalid", spam.Verdict.INVALID_KEY),
        ("500", spam.Verdict.ERROR),
        ("garbage", spam.Verdict.ERROR),
        ("hang", spam.Verdict.ERROR),
        # Each line in time, the whole answer not: given up all the same.
        ("drip", spam.Verdict.ERROR),
    ],
)
def test_check(server, mode, verdict):
    server.mode = mode
    started = time.monotonic()
    assert spam.check(conf_for(server), PARAMS) == verdict
    assert time.monotonic() - started < 1.9  # the hanging server waits 2 s
    [sent] = server.calls("comment-check")
    assert sent["user_ip"] == "192.0.2.1" and sent["is_test"]
    assert "hold_reason" not in sent
    assert sent["blog"] == "http://blog.example"


def test_unreachable():
    conf = spam.AkismetConfig(
        key="k", blog_url="http://b", api_url="http://127.0.0.1:9"
    )
    assert spam.check(conf, PARAMS) == spam.Verdict.ERROR
    assert spam.submit(conf, PARAMS, spam=True) is False
    assert spam.verify_key(conf, "k") is None


def test_submit(server):
    assert spam.submit(conf_for(server), PARAMS, spam=True) is True
    assert spam.submit(conf_for(server), PARAMS, spam=False) is True
    assert len(server.calls("submit-spam")) == len(server.calls("submit-ham")) == 1
    server.mode = "500"
    assert spam.submit(conf_for(server), PARAMS, spam=True) is False
    assert spam.submit(conf_for(server, key=""), PARAMS, spam=True) is False


def test_verify_key(server):
    assert spam.verify_key(conf_for(server), VALID_KEY) is True
    assert spam.verify_key(conf_for(server), "wrong") is False


def test_redirect_transport_keeps_path_and_prefix(server):
    conf = spam.AkismetConfig(
        VALID_KEY, "http://b", api_url=server.url + "/", timeout=1
    )
    assert spam.check(conf, PARAMS) == spam.Verdict.HAM
    assert server.requests[-1].path == "/1.1/comment-check"


def test_a_dripping_server_is_given_up_for_every_call(server):
    server.mode = "drip"
    assert spam.submit(conf_for(server), PARAMS, spam=True) is False
    assert spam.verify_key(conf_for(server), VALID_KEY) is None
