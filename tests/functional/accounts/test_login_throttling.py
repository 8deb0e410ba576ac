"""Login throttling through the login page: the wait is shown, and a
stranger's guesses never lock the owner out.

The service's clock is replaced, so the tests move time on instead of
sleeping.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from blog.accounts import authentication
from blog.models import Role
from tests.conftest import PASSWORD

STRANGER, OWNER = "203.0.113.66", "198.51.100.7"


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(authentication, "utcnow", clock)
    return clock


def post_login(client, login: str, password: str, ip: str = STRANGER):  # type: ignore[no-untyped-def]
    return client.post(
        "/login",
        data={"login": login, "password": password},
        environ_base={"REMOTE_ADDR": ip},
    )


def test_the_login_page_says_how_long_to_wait(client, make_user, clock):
    make_user(Role.EDITOR, "grace")
    for _ in range(5):
        assert post_login(client, "grace", "wrong password").status_code == 200
    response = post_login(client, "grace", PASSWORD)  # right, but too soon
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "5"
    assert b"Too many failed attempts. Wait 5 seconds and try again." in response.data
    assert b'value="grace"' in response.data  # what was typed is kept
    assert client.get("/dashboard/").status_code == 302
    # Each further failure doubles the wait...
    clock.now += timedelta(seconds=5)
    assert post_login(client, "grace", "wrong again").status_code == 200
    response = post_login(client, "grace", PASSWORD)
    assert b"Wait 10 seconds" in response.data
    assert response.headers["Retry-After"] == "10"
    # ...up to minutes, shown rounded up.
    for wait in (10, 20, 40, 80):
        clock.now += timedelta(seconds=wait)
        assert post_login(client, "grace", "wrong again").status_code == 200
    assert b"Wait 3 minutes" in post_login(client, "grace", PASSWORD).data
    # Backing off, not locked out: once the wait is over, the owner gets in.
    clock.now += timedelta(seconds=160)
    assert post_login(client, "grace", PASSWORD).status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_a_strangers_guesses_do_not_lock_the_owner_out(app, make_user, clock):
    make_user(Role.EDITOR, "grace")
    stranger, owner = app.test_client(), app.test_client()
    logins = ["grace", "GRACE", "grace@example.org"] * 10
    statuses = [post_login(stranger, login, "guess").status_code for login in logins]
    assert statuses == [200] * 5 + [429] * 25
    assert post_login(stranger, "grace", PASSWORD).status_code == 429
    response = post_login(owner, "grace", PASSWORD, ip=OWNER)
    assert response.status_code == 302
    assert owner.get("/dashboard/").status_code == 200


def test_throttled_unknown_and_known_logins_look_the_same(app, make_user, clock):
    make_user(Role.EDITOR, "grace")
    pages = []
    for login, ip in (("grace", "192.0.2.1"), ("nobody", "192.0.2.2")):
        client = app.test_client()
        for _ in range(5):
            post_login(client, login, "guess", ip)
        response = post_login(client, login, "guess", ip)
        assert response.status_code == 429
        pages.append(response.data.replace(login.encode(), b"LOGIN"))
    assert pages[0] == pages[1]
