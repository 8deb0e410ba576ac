"""Golden paths of accounts, clicked through in Chromium with a real SMTP
server: an admin invites an author, who chooses a password from the mailed
link, logs in, writes a bio and reads it on their author page; a user who
forgot their password resets it from the login page."""

from __future__ import annotations

import re
import time
from email.message import Message

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from blog.extensions import db
from blog.mail import MailConfig
from blog.mail.outbox import deliver_outbox
from blog.models import OutboxMessage, User
from tests.conftest import PASSWORD

LINK = re.compile(r"https?://\S+(/password/reset/[A-Za-z0-9_\-]+)")


@pytest.fixture
def mailing(app, smtp_server, live_server):  # type: ignore[no-untyped-def]
    """Mail goes to the real SMTP server; links in it point at the live server.

    The outbox is sent as cron sends it (``flask --app blog mail send``):
    the development server behind ``live_server`` may call a response's
    ``close()`` (which starts the after-response sender) only once the
    browser drops the connection, so the tests do not wait for that.
    """
    app.config.update(SITE_URL=live_server.url, MAIL_SEND_AFTER_RESPONSE=False)
    return smtp_server


def wait_for_mail(app, smtp_server, to: str, timeout: float = 30.0) -> Message:  # type: ignore[no-untyped-def]
    """The newest message to ``to``, sending the outbox meanwhile."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            deliver_outbox(MailConfig.from_config(app.config))
        with smtp_server.lock:
            found = [m for m in smtp_server.messages if to in (m["To"] or "")]
        if found:
            return found[-1]
        time.sleep(0.1)
    with app.app_context():
        state = outbox_state()
    raise AssertionError(f"no mail reached {to}; the outbox: {state}")


def outbox_state() -> list[tuple[object, ...]]:
    """What the outbox says about its messages (for a failure's message)."""
    rows = db.session.execute(
        select(
            OutboxMessage.recipients,
            OutboxMessage.status,
            OutboxMessage.attempts,
            OutboxMessage.last_error,
        )
    ).all()
    return [tuple(row) for row in rows]


def link_path(message: Message) -> str:
    body = message.get_payload(decode=True)
    text = body.decode() if isinstance(body, bytes) else str(message.get_payload())
    match = LINK.search(text)
    assert match, text
    return match.group(1)


def log_in(page: Page, login: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Username or Email").fill(login)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log In").click()


def choose_password(page: Page, password: str) -> None:
    page.get_by_label("New password", exact=True).fill(password)
    confirmation = page.get_by_label(re.compile(r"^Confirm", re.IGNORECASE))
    if confirmation.count():
        confirmation.fill(password)
    page.get_by_role("button", name="Save Password").click()


def user_named(app, username: str) -> User:  # type: ignore[no-untyped-def]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        assert user is not None
        db.session.expunge(user)
        return user


def test_an_admin_invites_an_author_who_writes_a_bio(
    app, browser_page, new_page, make_user, make_post, mailing
):
    make_user("admin", "ines", display_name="Ines Ferreira")
    page = browser_page
    log_in(page, "ines", PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    page.get_by_role("navigation", name="Dashboard").get_by_role(
        "link", name="Users"
    ).click()
    page.get_by_role("link", name="Add New User").first.click()
    page.get_by_label("Username").fill("tomas")
    page.get_by_label("Email").fill("tomas@example.org")
    page.get_by_label("Display name").fill("Tomás Lindqvist")
    page.get_by_label("Role").select_option("author")
    page.get_by_role("button", name="Add New User").click()
    expect(page.get_by_text("tomas@example.org").first).to_be_visible()

    invitation = wait_for_mail(app, mailing, "tomas@example.org")
    author = new_page()
    author.goto(link_path(invitation))
    choose_password(author, "wild thyme on the parapet")
    log_in(author, "tomas", "wild thyme on the parapet")
    expect(author.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()

    author.get_by_role("link", name=re.compile("Tomás Lindqvist")).first.click()
    author.get_by_label("Bio").fill(
        "Keeps **bees** on the roof.\n\nWrites about [city gardens](https://example.org/)."
    )
    author.get_by_role("button", name="Update Profile").click()
    expect(
        author.get_by_text(re.compile("updated", re.IGNORECASE)).first
    ).to_be_visible()

    # The author page exists once something of theirs is published.
    make_post("Thyme and bees", "A first note.", author=user_named(app, "tomas"))
    reader = new_page()
    reader.goto("/author/tomas-lindqvist/")
    bio = reader.locator(".author-bio")
    expect(bio.locator("strong")).to_have_text("bees")
    expect(bio.get_by_role("link", name="city gardens")).to_have_attribute(
        "href", "https://example.org/"
    )


def test_a_user_who_forgot_their_password_resets_it(
    app, browser_page, make_user, mailing
):
    make_user("editor", "marta", email="marta@example.org")
    page = browser_page
    page.goto("/login")
    page.get_by_role("link", name="Lost your password?").click()
    page.get_by_label("Username or Email").fill("marta@example.org")
    page.get_by_role("button", name="Get New Password").click()
    expect(page.get_by_text(re.compile("If that account exists"))).to_be_visible()

    reset = wait_for_mail(app, mailing, "marta@example.org")
    page.goto(link_path(reset))
    choose_password(page, "a brand new harbour passphrase")
    expect(page).to_have_url(re.compile(r"/login"))

    log_in(page, "marta", PASSWORD)  # the old password no longer works
    expect(page.get_by_text(re.compile("wrong password"))).to_be_visible()
    log_in(page, "marta", "a brand new harbour passphrase")
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
