"""Your profile: the public fields and the author page, changing the email
(confirmed from the new address, with a real SMTP server), changing the
password, and the list of signed-in devices."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import AccountEvent, AccountToken, Role, User, utcnow
from tests.conftest import PASSWORD
from tests.fixtures_comments import finish_response

FIREFOX = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)
NEW_PASSWORD = "a fresh and unusual passphrase"


def profile_data(user: User, **changes: str) -> dict[str, str]:
    data = {
        "display_name": user.display_name,
        "email": user.email,
        "bio": "",
        "website": "",
    }
    data.update(changes)
    return data


def actions(app, user: User) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AccountEvent.action)
                .where(AccountEvent.user_id == user.id)
                .order_by(AccountEvent.id)
            )
        )


def fresh(app, user: User) -> User:
    with app.app_context():
        found = db.session.get(User, user.id)
        db.session.expunge(found)
        return found


def test_the_header_name_leads_to_the_profile_page(client, make_user, auth):
    make_user(Role.CONTRIBUTOR, "cora", display_name="Cora Lee")
    auth.login("cora")
    home = client.get("/dashboard/").get_data(as_text=True)
    assert re.search(r'<a href="/dashboard/profile/"[^>]*><bdi>Cora Lee</bdi>', home)
    page = client.get("/dashboard/profile/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<h1>Profile</h1>" in html
    for label in ("Display name", "Email", "Bio", "Website", "Current password"):
        assert f">{label}</label>" in html
    assert ">Update Profile</button>" in html and ">Change Password</button>" in html
    assert 'value="cora@example.org"' in html


def test_profile_fields_are_saved_and_the_bio_is_rendered_safely(
    app, client, make_user, make_post, auth
):
    ann = make_user(Role.AUTHOR, "ann")
    make_post("Ann's post", author=ann)
    auth.login("ann")
    bio = (
        "I write about *bees*.\n\n<script>alert(1)</script>\n\n"
        "[click](javascript:alert(1)) and [my garden](https://garden.example/)"
    )
    response = client.post(
        "/dashboard/profile/",
        data=profile_data(
            ann,
            display_name="Ann Bee",
            bio=bio,
            website="https://ann.example/",
        ),
    )
    assert response.status_code == 302
    assert b"Profile updated." in client.get("/dashboard/profile/").data
    saved = fresh(app, ann)
    assert (saved.display_name, saved.website, saved.bio) == (
        "Ann Bee",
        "https://ann.example/",
        bio,
    )
    page = client.get("/author/ann/").get_data(as_text=True)
    assert "<em>bees</em>" in page
    assert '<a href="https://garden.example/" rel="nofollow ugc noopener">' in page
    assert "<script>alert(1)" not in page and "javascript:" not in page
    assert 'href="https://ann.example/"' in page
    assert actions(app, ann) == ["profile_updated"]


@pytest.mark.parametrize(
    "website", ["javascript:alert(1)", "ann.example", "https://x.example/a b"]
)
def test_a_bad_website_is_refused_with_the_text_kept(
    app, client, make_user, auth, website
):
    ann = make_user(Role.AUTHOR, "ann")
    auth.login("ann")
    response = client.post(
        "/dashboard/profile/",
        data=profile_data(ann, display_name="Kept Name", website=website),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="website-error"' in html and 'value="Kept Name"' in html
    assert fresh(app, ann).display_name == "Ann"


def test_an_email_change_is_refused_when_the_site_cannot_send_mail(
    app, client, make_user, auth
):
    ann = make_user(Role.AUTHOR, "ann")
    auth.login("ann")
    page = client.get("/dashboard/profile/").get_data(as_text=True)
    assert "This site cannot send email" in page
    response = client.post(
        "/dashboard/profile/",
        data=profile_data(ann, email="ann@new.example", display_name="Ann Two"),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="email-error"' in html
    assert "Ask an administrator" in html
    saved = fresh(app, ann)
    assert (saved.email, saved.display_name) == ("ann@example.org", "Ann")


def confirm_link(message) -> str:
    body = message.get_payload(decode=True).decode()
    match = re.search(r"http://localhost(/dashboard/profile/email/[\w-]+)", body)
    assert match, body
    return match.group(1)


def test_a_new_email_is_confirmed_from_the_new_address_once(
    app, client, make_user, auth, smtp_server
):
    ann = make_user(Role.AUTHOR, "ann")
    auth.login("ann")
    response = client.post(
        "/dashboard/profile/", data=profile_data(ann, email="ann@new.example")
    )
    finish_response(app, response)
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "ann@new.example"
    link = confirm_link(message)
    # Not applied yet; the profile says what is pending.
    assert fresh(app, ann).email == "ann@example.org"
    page = client.get("/dashboard/profile/").get_data(as_text=True)
    assert "Waiting for confirmation: ann@new.example" in page
    # Opening the link (as a mail scanner would) does not use it.
    for _ in range(2):
        shown = client.get(link).get_data(as_text=True)
        assert ">Confirm</button>" in shown and "ann@new.example" in shown
    assert fresh(app, ann).email == "ann@example.org"
    response = client.post(link)
    assert response.status_code == 302
    finish_response(app, response)
    assert fresh(app, ann).email == "ann@new.example"
    notice = smtp_server.messages[-1]
    assert notice["To"] == "ann@example.org"
    assert "was changed to ann@new.example" in notice.get_payload(decode=True).decode()
    # The link worked once.
    again = client.post(link).get_data(as_text=True)
    assert "expired or was already used" in again
    assert "expired or was already used" in client.get(link).get_data(as_text=True)
    assert actions(app, ann) == ["email_change_requested", "email_changed"]


def test_an_expired_email_link_fails(app, client, make_user, auth, smtp_server):
    ann = make_user(Role.AUTHOR, "ann")
    auth.login("ann")
    response = client.post(
        "/dashboard/profile/", data=profile_data(ann, email="ann@new.example")
    )
    finish_response(app, response)
    link = confirm_link(smtp_server.messages[0])
    with app.app_context():
        token = db.session.scalar(select(AccountToken))
        token.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert "expired or was already used" in client.post(link).get_data(as_text=True)
    assert fresh(app, ann).email == "ann@example.org"


def test_another_user_cannot_use_the_link_and_a_taken_address_fails(
    app, client, make_user, auth, smtp_server
):
    ann = make_user(Role.AUTHOR, "ann")
    make_user(Role.AUTHOR, "bob")
    auth.login("ann")
    # Someone else's address, in any case, is refused at once.
    taken = client.post(
        "/dashboard/profile/", data=profile_data(ann, email="BOB@example.org")
    )
    assert b"belongs to another account" in taken.data
    response = client.post(
        "/dashboard/profile/", data=profile_data(ann, email="ann@new.example")
    )
    finish_response(app, response)
    link = confirm_link(smtp_server.messages[0])
    auth.logout()
    auth.login("bob")
    assert b"for another account" in client.post(link).data
    assert fresh(app, ann).email == "ann@example.org"
    # Meanwhile bob takes the address: ann's link then fails.
    with app.app_context():
        db.session.scalar(
            select(User).where(User.username == "bob")
        ).email = "Ann@New.example"
        db.session.commit()
    auth.logout()
    auth.login("ann")
    assert b"belongs to another account" in client.post(link).data
    assert fresh(app, ann).email == "ann@example.org"


def test_changing_the_password(app, client, make_user, auth, smtp_server):
    ann = make_user(Role.AUTHOR, "ann")
    other = app.test_client()
    other.post("/login", data={"login": "ann", "password": PASSWORD})
    assert other.get("/dashboard/").status_code == 200
    auth.login("ann")
    wrong = client.post(
        "/dashboard/profile/password",
        data={
            "current_password": "not my password",
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    html = wrong.get_data(as_text=True)
    assert 'id="current_password-error"' in html
    assert "That is not your current password." in html
    mismatch = client.post(
        "/dashboard/profile/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD + "!",
        },
    )
    assert b"Type the same new password twice." in mismatch.data
    common = client.post(
        "/dashboard/profile/password",
        data={
            "current_password": PASSWORD,
            "new_password": "password123",
            "confirm_password": "password123",
        },
    )
    assert b'id="new_password-error"' in common.data
    response = client.post(
        "/dashboard/profile/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    finish_response(app, response)
    # This session stays; the other one ended.
    assert client.get("/dashboard/").status_code == 200
    assert other.get("/dashboard/").status_code == 302
    assert smtp_server.messages[-1]["To"] == "ann@example.org"
    assert "password" in smtp_server.messages[-1]["Subject"].lower()
    auth.logout()
    assert auth.login("ann", NEW_PASSWORD).status_code == 302
    assert "password_changed" in actions(app, ann)


def test_wrong_current_passwords_are_throttled(app, client, make_user, auth):
    make_user(Role.AUTHOR, "ann")
    auth.login("ann")
    data = {
        "current_password": "guess",
        "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
    }
    for _ in range(app.config["LOGIN_FREE_FAILURES"]):
        assert (
            b"not your current password"
            in client.post("/dashboard/profile/password", data=data).data
        )
    # Now even the right password must wait: the form cannot be used to guess.
    data["current_password"] = PASSWORD
    blocked = client.post("/dashboard/profile/password", data=data)
    assert b"Too many wrong tries. Wait" in blocked.data
    assert auth.logout().status_code == 302
    assert auth.login("ann").status_code == 302  # the login is not locked


def test_sessions_are_listed_and_ended(app, client, make_user, auth):
    ann = make_user(Role.AUTHOR, "ann")
    phone = app.test_client()
    phone.post(
        "/login",
        data={"login": "ann", "password": PASSWORD},
        headers={"User-Agent": IPHONE},
    )
    tablet = app.test_client()
    tablet.post("/login", data={"login": "ann", "password": PASSWORD})
    client.post(
        "/login",
        data={"login": "ann", "password": PASSWORD},
        headers={"User-Agent": FIREFOX},
    )
    page = client.get("/dashboard/profile/").get_data(as_text=True)
    assert "Firefox 121 on Windows 10" in page
    assert "Mobile Safari 17 on iOS 17" in page
    assert "Unknown browser" in page  # the test client's own user agent
    assert page.count("This device") == 1 and "127.0.0.1" in page
    with app.app_context():
        from blog.models import UserSession

        rows = {
            row.user_agent: row.id
            for row in db.session.scalars(
                select(UserSession).where(UserSession.user_id == ann.id)
            )
        }
    response = client.post(f"/dashboard/profile/sessions/{rows[IPHONE]}/end")
    assert response.status_code == 302
    assert phone.get("/dashboard/").status_code == 302
    assert tablet.get("/dashboard/").status_code == 200
    assert "Mobile Safari" not in client.get("/dashboard/profile/").get_data(
        as_text=True
    )
    response = client.post("/dashboard/profile/sessions/end-others")
    assert response.status_code == 302
    assert tablet.get("/dashboard/").status_code == 302
    page = client.get("/dashboard/profile/").get_data(as_text=True)
    assert "Logged out 1 other session." in page and "Unknown browser" not in page
    assert client.get("/dashboard/").status_code == 200
    assert actions(app, ann) == ["sessions_ended"]


def test_someone_else_s_session_cannot_be_ended(app, client, make_user, auth):
    make_user(Role.AUTHOR, "ann")
    bob = make_user(Role.AUTHOR, "bob")
    bobs = app.test_client()
    bobs.post("/login", data={"login": "bob", "password": PASSWORD})
    auth.login("ann")
    with app.app_context():
        from blog.models import UserSession

        bob_session = db.session.scalar(
            select(UserSession.id).where(UserSession.user_id == bob.id)
        )
    response = client.post(f"/dashboard/profile/sessions/{bob_session}/end")
    assert response.status_code == 302
    assert bobs.get("/dashboard/").status_code == 200


def test_address_changes_are_limited_so_the_site_mails_no_stranger_much(
    app, client, make_user, auth, smtp_server
):
    ann = make_user(Role.AUTHOR, "ann")
    auth.login("ann")
    for n in range(3):
        response = client.post(
            "/dashboard/profile/", data=profile_data(ann, email=f"ann{n}@new.example")
        )
        assert response.status_code == 302
    refused = client.post(
        "/dashboard/profile/", data=profile_data(ann, email="victim@else.example")
    )
    page = refused.get_data(as_text=True)
    assert "several times lately" in page and "victim@else.example" in page
    finish_response(app, refused)
    assert "victim@else.example" not in [m["To"] for m in smtp_server.messages]
