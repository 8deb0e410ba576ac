"""Password reset by mail, through the real pages and a real SMTP server:
"Lost your password?" on the login page, the same answer for every account,
a one-use link that expires, throttling that never locks the owner out, and
the page without (or with a hanging) mail server."""

from __future__ import annotations

import re
import threading
import time
from datetime import UTC, datetime, timedelta
from email.message import Message

import pytest
from sqlalchemy import select, update

from blog.accounts import recovery
from blog.accounts.credentials import set_password
from blog.extensions import db
from blog.models import AccountEvent, AccountToken, OutboxMessage, Role, User, utcnow
from tests.conftest import PASSWORD
from tests.fixtures_comments import finish_response

NEW_PASSWORD = "a fresh and unusual passphrase"
STRANGER, OWNER = "203.0.113.66", "198.51.100.7"
SENT = b"If that account exists, we've sent an email with a link"
INVALID = b"This link has expired or has already been used"


def ask(client, login: str, ip: str = OWNER):  # type: ignore[no-untyped-def]
    """Ask for a reset link, as the form does."""
    return client.post(
        "/password/reset", data={"login": login}, environ_base={"REMOTE_ADDR": ip}
    )


def ask_and_deliver(app, client, login: str, ip: str = OWNER):  # type: ignore[no-untyped-def]
    response = ask(client, login, ip)
    finish_response(app, response)
    return response


def choose(client, link: str, password: str = NEW_PASSWORD, confirm: str | None = None):  # type: ignore[no-untyped-def]
    return client.post(
        link,
        data={
            "password": password,
            "confirm": password if confirm is None else confirm,
        },
    )


def body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def link_in(message: Message) -> str:
    """The path of the one link in a reset mail (its address is absolute)."""
    found = re.findall(r"http://localhost(/password/reset/\S+)", body(message))
    assert len(found) == 1, body(message)
    return str(found[0])


def resets(smtp_server) -> list[Message]:  # type: ignore[no-untyped-def]
    return [m for m in smtp_server.messages if "Reset your password" in m["Subject"]]


def actions(app, user: User) -> list[str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return list(
            db.session.scalars(
                select(AccountEvent.action)
                .where(AccountEvent.user_id == user.id)
                .order_by(AccountEvent.id)
            )
        )


def logs_in(client, login: str, password: str, ip: str = OWNER) -> bool:  # type: ignore[no-untyped-def]
    response = client.post(
        "/login",
        data={"login": login, "password": password},
        environ_base={"REMOTE_ADDR": ip},
    )
    return response.status_code == 302


@pytest.fixture
def grace(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.AUTHOR, "grace", email="Grace.Hopper@example.org")


def test_the_login_page_leads_to_the_reset_form(client, grace, smtp_server):
    page = client.get("/login").data.decode()
    assert '<a href="/password/reset">Lost your password?</a>' in page
    response = client.get("/password/reset")
    assert response.status_code == 200
    page = response.data.decode()
    assert '<label for="login">Username or Email</label>' in page
    assert '<button type="submit" class="button-primary">Get New Password</button>' in (
        page
    )


@pytest.mark.parametrize(
    "login", ["grace", "GRACE", "grace.hopper@example.org", " Grace.HOPPER@Example.org"]
)
def test_a_reset_link_by_mail_works_once(app, client, grace, smtp_server, login):
    response = ask_and_deliver(app, client, login)
    assert response.status_code == 200 and SENT in response.data
    [message] = smtp_server.messages
    assert message["To"] == "Grace.Hopper@example.org"
    assert message["Subject"].endswith("Reset your password")
    assert "within 1 hour" in body(message) and OWNER in body(message)
    link = link_in(message)
    with app.app_context():  # only the hash is kept, and the sent body is gone
        assert link.rsplit("/", 1)[1] not in db.session.scalar(
            select(AccountToken.token_hash)
        )
        assert db.session.scalars(select(OutboxMessage.body)).one() == ""
    # Opening the page (as a mail scanner does) uses nothing.
    for _ in range(2):
        page = client.get(link)
        assert page.status_code == 200
        assert b'<label for="password">New password</label>' in page.data
        assert b">Save Password</button>" in page.data
        assert b"Choose a new password for <strong>grace</strong>" in page.data
    response = choose(client, link)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")
    login_page = client.get("/login").data
    assert b"Your password has been saved. Log in with it." in login_page
    assert client.get("/dashboard/").status_code == 302  # not logged in by the reset
    # Used: the link now fails, to open and to post.
    assert client.get(link).status_code == 410
    again = choose(client, link, "yet another long passphrase")
    assert again.status_code == 410 and INVALID in again.data
    assert b'href="/password/reset"' in again.data  # ask for a new one
    assert not logs_in(client, "grace", PASSWORD)
    assert logs_in(client, "grace", NEW_PASSWORD)
    assert actions(app, grace) == ["password_reset_requested", "password_reset"]


def test_token_pages_are_private(client, app, grace, smtp_server):
    ask_and_deliver(app, client, "grace")
    link = link_in(smtp_server.messages[0])
    for response in (
        client.get(link),
        client.get("/password/reset/not-a-token"),
        client.get("/password/reset"),
    ):
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Cache-Control"] == "no-store"
        assert "noindex" in response.headers["X-Robots-Tag"]
        assert b'<meta name="robots" content="noindex, nofollow">' in response.data


def test_the_answer_is_the_same_whoever_is_asked_for(
    app, client, make_user, grace, smtp_server
):
    gone = make_user(Role.AUTHOR, "gone", deactivated_at=utcnow())
    answers = {
        login: ask_and_deliver(app, client, login)
        for login in [
            "grace",
            "nobody",
            "nobody@example.org",
            "gone",
            "gone@example.org",
            "<script>x</script>",
        ]
    }
    assert {(r.status_code, r.data) for r in answers.values()} == {
        (200, answers["grace"].data)
    }
    assert SENT in answers["grace"].data
    assert {tuple(sorted(set(r.headers.keys()))) for r in answers.values()} == {
        tuple(sorted(set(answers["grace"].headers.keys())))
    }
    assert not any("Set-Cookie" in r.headers for r in answers.values())
    assert [m["To"] for m in smtp_server.messages] == ["Grace.Hopper@example.org"]
    assert actions(app, gone) == []  # deactivated: no mail, nothing recorded


def test_an_invited_user_can_get_a_password_by_reset(app, client, grace, smtp_server):
    with app.app_context():
        db.session.execute(
            update(User).where(User.id == grace.id).values(password_hash=None)
        )
        db.session.commit()
    ask_and_deliver(app, client, "grace")
    assert choose(client, link_in(smtp_server.messages[0])).status_code == 302
    assert logs_in(client, "grace", NEW_PASSWORD)


def test_an_invitation_link_asks_for_a_first_password(app, client, grace, smtp_server):
    from blog.accounts import tokens
    from blog.accounts.mailing import absolute_url
    from blog.models import TokenPurpose

    with app.app_context():
        user = db.session.get(User, grace.id)
        user.password_hash = None
        token = tokens.issue_token(user, TokenPurpose.INVITATION, timedelta(days=7))
        db.session.commit()
        link = absolute_url("password.reset", token=token).removeprefix(
            "http://localhost"
        )
    page = client.get(link).data
    assert b"Welcome! Choose your password" in page
    assert b">Save Password</button>" in page
    assert choose(client, link).status_code == 302
    assert client.get(link).status_code == 410
    assert logs_in(client, "grace", NEW_PASSWORD)
    assert actions(app, grace) == ["password_set"]


def test_an_expired_link_fails(app, client, grace, smtp_server):
    ask_and_deliver(app, client, "grace")
    link = link_in(smtp_server.messages[0])
    with app.app_context():
        db.session.execute(
            update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    response = client.get(link)
    assert response.status_code == 410 and INVALID in response.data
    assert choose(client, link).status_code == 410
    assert logs_in(client, "grace", PASSWORD)  # the password did not change


def test_the_link_lives_for_password_reset_hours(app, client, grace, smtp_server):
    app.config["PASSWORD_RESET_HOURS"] = 2
    before = utcnow()
    response = ask_and_deliver(app, client, "grace")
    assert b"within 2 hours" in response.data
    assert "within 2 hours" in body(smtp_server.messages[0])
    with app.app_context():
        expires = db.session.scalars(select(AccountToken.expires_at)).one()
    assert before + timedelta(hours=2) <= expires <= utcnow() + timedelta(hours=2)


def test_a_later_reset_voids_the_earlier_link(app, client, grace, smtp_server):
    ask_and_deliver(app, client, "grace")
    ask_and_deliver(app, client, "grace.hopper@example.org")
    first, second = (link_in(m) for m in smtp_server.messages)
    assert client.get(first).status_code == 410
    assert choose(client, first).status_code == 410
    assert choose(client, second).status_code == 302


def test_a_password_change_voids_the_link(app, client, grace, smtp_server):
    ask_and_deliver(app, client, "grace")
    link = link_in(smtp_server.messages[0])
    with app.app_context():
        user = db.session.get(User, grace.id)
        set_password(user, "changed from the profile page", action="password_changed")
    assert client.get(link).status_code == 410
    assert choose(client, link).status_code == 410
    assert logs_in(client, "grace", "changed from the profile page")


def test_a_reset_logs_out_every_session_and_tells_the_owner(
    app, client, grace, smtp_server
):
    signed_in = app.test_client()
    assert logs_in(signed_in, "grace", PASSWORD)
    assert signed_in.get("/dashboard/").status_code == 200
    ask_and_deliver(app, client, "grace")
    response = choose(client, link_in(smtp_server.messages[0]))
    finish_response(app, response)
    assert signed_in.get("/dashboard/").status_code == 302  # logged out
    [notice] = [m for m in smtp_server.messages if "was changed" in m["Subject"]]
    assert notice["To"] == "Grace.Hopper@example.org"
    assert "was just changed" in body(notice)
    assert "http://localhost/password/reset" in body(notice)


def test_the_policy_speaks_next_to_the_field_and_the_link_survives(
    app, client, grace, smtp_server
):
    ask_and_deliver(app, client, "grace")
    link = link_in(smtp_server.messages[0])
    response = choose(client, link, "password123")
    assert response.status_code == 200
    assert b'<p class="error" id="password-error">That password is too common' in (
        response.data
    )
    assert b'aria-invalid="true"' in response.data
    short = choose(client, link, "short")
    assert b'id="password-error">Use at least 8 characters.' in short.data
    differ = choose(client, link, NEW_PASSWORD, "something else entirely")
    assert b'id="confirm-error">The two passwords differ' in differ.data
    assert choose(client, link).status_code == 302  # still usable
    assert logs_in(client, "grace", NEW_PASSWORD)


def test_two_racing_saves_use_the_link_once(app, grace, smtp_server):
    ask_and_deliver(app, app.test_client(), "grace")
    link = link_in(smtp_server.messages[0])
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def save(password: str) -> None:
        client = app.test_client()
        barrier.wait()
        statuses.append(choose(client, link, password).status_code)

    threads = [
        threading.Thread(target=save, args=(f"racing passphrase number {n}",))
        for n in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses) == [302, 410]
    assert actions(app, grace).count("password_reset") == 1


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(recovery, "utcnow", clock)
    return clock


def test_one_address_asking_too_often_waits(app, client, grace, smtp_server, clock):
    app.config["PASSWORD_RESET_PER_IP"] = 3
    for login in ["nobody", "grace", "someone"]:
        assert ask(client, login, STRANGER).status_code == 200
    response = ask(client, "grace", STRANGER)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "3600"
    assert b"Too many requests from your address. Wait 60 minutes" in response.data
    assert b'value="grace"' in response.data  # what was typed is kept
    assert ask(client, "grace", OWNER).status_code == 200  # other addresses ask
    clock.now += timedelta(hours=1)
    assert ask(client, "grace", STRANGER).status_code == 200


def test_an_account_gets_a_few_mails_then_the_same_answer_and_none(
    app, client, grace, smtp_server
):
    app.config["PASSWORD_RESET_PER_ACCOUNT"] = 2
    answers = [
        ask_and_deliver(app, client, "grace", f"192.0.2.{n}").data for n in range(5)
    ]
    assert set(answers) == {answers[0]} and SENT in answers[0]
    assert len(resets(smtp_server)) == 2
    assert actions(app, grace) == ["password_reset_requested"] * 2


def test_strangers_on_the_reset_page_never_lock_the_owner_out(
    app, client, grace, smtp_server
):
    for _ in range(40):
        ask(client, "grace", STRANGER)
        ask(client, "Grace.Hopper@example.org", STRANGER)
    assert ask(client, "grace", STRANGER).status_code == 429
    with app.app_context():  # three mails at most (PASSWORD_RESET_PER_ACCOUNT)
        assert len(db.session.scalars(select(OutboxMessage)).all()) == 3
    # The owner logs in, from their own address and from the stranger's.
    assert logs_in(app.test_client(), "grace", PASSWORD, OWNER)
    assert logs_in(app.test_client(), "grace", PASSWORD, STRANGER)


def test_without_a_mail_server_the_page_says_to_ask_an_administrator(
    app, client, grace
):
    for response in (client.get("/password/reset"), ask(client, "grace")):
        assert response.status_code == 200
        assert b"This site cannot send email" in response.data
        assert b"flask --app blog users set-password USERNAME" in response.data
        assert b"Get New Password" not in response.data
    with app.app_context():
        assert db.session.scalars(select(AccountToken)).all() == []
        assert db.session.scalars(select(OutboxMessage)).all() == []
    assert client.get("/password/reset/whatever").status_code == 410
    assert b"Lost your password?" in client.get("/login").data


def test_a_hanging_mail_server_does_not_hold_the_request(
    app, client, grace, hanging_smtp
):
    response = ask(client, "grace")
    assert response.status_code == 200 and SENT in response.data
    assert hanging_smtp.connections == 0  # answered before talking to it
    with app.app_context():
        [message] = db.session.scalars(select(OutboxMessage)).all()
        assert message.status == "queued" and message.attempts == 0
    finish_response(app, response)  # after the response: one try, a timeout
    assert hanging_smtp.connections == 1


def test_without_the_csrf_token_nothing_changes(app, client, grace, smtp_server):
    app.config["WTF_CSRF_ENABLED"] = True
    response = ask(client, "grace")
    assert response.status_code == 200
    assert b"This form had expired" in response.data
    assert b'value="grace"' in response.data
    with app.app_context():
        assert db.session.scalars(select(AccountToken)).all() == []
    app.config["WTF_CSRF_ENABLED"] = False
    ask_and_deliver(app, client, "grace")
    link = link_in(smtp_server.messages[0])
    app.config["WTF_CSRF_ENABLED"] = True
    refused = choose(client, link)
    assert refused.status_code == 200 and b"This form had expired" in refused.data
    assert client.get(link).status_code == 200  # the link is still there
    app.config["WTF_CSRF_ENABLED"] = False
    assert logs_in(client, "grace", PASSWORD)  # the password did not change
    assert actions(app, grace) == ["password_reset_requested"]


@pytest.mark.parametrize(
    ("lifetime", "text"),
    [
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=3), "3 hours"),
        (timedelta(minutes=30), "30 minutes"),
        (timedelta(minutes=90), "90 minutes"),
        (timedelta(days=1), "24 hours"),
        (timedelta(days=7), "7 days"),
        (timedelta(seconds=5), "1 minute"),
    ],
)
def test_how_long_a_link_lives_reads_well(lifetime, text):  # type: ignore[no-untyped-def]
    assert recovery.duration_text(lifetime) == text


def test_every_answer_waits_for_the_same_moment(client, grace, smtp_server):
    """A request for an existing account does a little more work; every
    answer is held until ANSWER_SECONDS after it arrived, so time tells
    nothing (only the lower bound is checked: it holds on any machine)."""
    from blog.views.password import ANSWER_SECONDS

    for login in ("grace", "nobody-at-all"):
        started = time.monotonic()
        client.post("/password/reset", data={"login": login})
        assert time.monotonic() - started >= ANSWER_SECONDS
