"""Two-factor login through the pages: setting it up (QR code, first code,
recovery codes), logging in with a code or a recovery code, throttling,
turning it off, and the site setting that requires it."""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import AccountEvent, Role, User
from tests.conftest import PASSWORD

SETUP = "/dashboard/profile/two-factor/"


def secret_on(page: str) -> str:
    match = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', page)
    assert match, page
    return match.group(1).replace(" ", "")


def codes_on(page: str) -> list[str]:
    return re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", page)


def turn_on(client) -> tuple[str, list[str]]:
    """Set two-factor login up through the pages; the secret and codes."""
    secret = secret_on(client.get(SETUP).get_data(as_text=True))
    page = client.post(
        "/dashboard/profile/two-factor/enable", data={"code": pyotp.TOTP(secret).now()}
    ).get_data(as_text=True)
    return secret, codes_on(page)


def actions(app, username: str) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AccountEvent.action)
                .where(AccountEvent.username == username)
                .order_by(AccountEvent.id)
            )
        )


def login_code(secret: str) -> str:
    """A code the login accepts right after setup: the next time step's
    (one step of drift is allowed), as setup used the current step's."""
    return pyotp.TOTP(secret).at(time.time() + 30)


@pytest.fixture
def ann(make_user):
    return make_user(Role.EDITOR, "ann")


def test_setup_shows_a_qr_code_drawn_here_and_the_secret(app, client, ann, auth):
    auth.login("ann")
    page = client.get(SETUP).get_data(as_text=True)
    assert '<img src="/dashboard/profile/two-factor/qr.svg"' in page
    assert ">Authentication code</label>" in page
    secret = secret_on(page)
    assert len(secret) == 32
    # The same secret until it is confirmed (reloading does not change it).
    assert secret_on(client.get(SETUP).get_data(as_text=True)) == secret
    qr = client.get("/dashboard/profile/two-factor/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    assert qr.headers["Cache-Control"] == "no-store"
    assert b"<svg" in qr.data and b"style" not in qr.data
    with app.app_context():
        assert not db.session.get(User, ann.id).two_factor_enabled
    # The session cookie is signed, not encrypted: it must not hold the secret.
    cookie = client.get_cookie("session").value
    decoded = app.session_interface.get_signing_serializer(app).loads(cookie)
    assert secret not in repr(decoded)


def test_a_wrong_first_code_is_refused_and_a_right_one_turns_it_on(
    app, client, ann, auth
):
    auth.login("ann")
    secret = secret_on(client.get(SETUP).get_data(as_text=True))
    wrong = client.post("/dashboard/profile/two-factor/enable", data={"code": "000000"})
    html = wrong.get_data(as_text=True)
    if pyotp.TOTP(secret).verify("000000", valid_window=1):  # one in 300,000
        pytest.skip("000000 happens to be the right code")
    assert 'id="code-error"' in html and "That code is not right." in html
    assert secret_on(html) == secret
    right = client.post(
        "/dashboard/profile/two-factor/enable", data={"code": pyotp.TOTP(secret).now()}
    )
    html = right.get_data(as_text=True)
    codes = codes_on(html)
    assert len(codes) == 10 == len(set(codes))
    assert "shown only this once" in html
    with app.app_context():
        user = db.session.get(User, ann.id)
        assert user.two_factor_enabled and user.totp_secret == secret
    assert actions(app, "ann") == ["two_factor_enabled"]
    profile = client.get("/dashboard/profile/").get_data(as_text=True)
    assert "10 recovery codes left" in profile
    # Codes are never shown again.
    manage = client.get(SETUP).get_data(as_text=True)
    assert not codes_on(manage) and "secret-key" not in manage


def test_login_then_asks_for_a_code_that_works_once(app, client, ann, auth):
    auth.login("ann")
    secret, _codes = turn_on(client)
    auth.logout()
    response = auth.login("ann", next="/dashboard/posts/")
    assert response.headers["Location"] == "/login/two-factor"
    # The password alone did not log in.
    assert client.get("/dashboard/").status_code == 302
    page = client.get("/login/two-factor").get_data(as_text=True)
    assert ">Authentication code</label>" in page and ">Log In</button>" in page
    code = login_code(secret)
    response = client.post("/login/two-factor", data={"code": code})
    assert response.headers["Location"] == "/dashboard/posts/"
    assert client.get("/dashboard/").status_code == 200
    auth.logout()
    # The same code a second time is refused.
    auth.login("ann")
    again = client.post("/login/two-factor", data={"code": code})
    assert again.status_code == 200 and b"That code is not right." in again.data
    assert client.get("/dashboard/").status_code == 302


def test_a_recovery_code_works_once(app, client, ann, auth):
    auth.login("ann")
    _secret, codes = turn_on(client)
    auth.logout()
    auth.login("ann")
    response = client.post("/login/two-factor", data={"code": codes[3].upper()})
    assert response.headers["Location"] == "/dashboard/"
    assert b"recovery code" in client.get("/dashboard/").data
    auth.logout()
    auth.login("ann")
    again = client.post("/login/two-factor", data={"code": codes[3]})
    assert b"That code is not right." in again.data
    assert "recovery_code_used" in actions(app, "ann")
    assert client.get("/dashboard/").status_code == 302
    auth.login("ann")
    client.post("/login/two-factor", data={"code": codes[4]})
    assert b"8 recovery codes left" in client.get("/dashboard/profile/").data


def test_the_second_step_needs_a_fresh_right_password(app, client, ann, auth):
    assert client.get("/login/two-factor").headers["Location"] == "/login"
    auth.login("ann")
    secret, _codes = turn_on(client)
    auth.logout()
    auth.login("ann")
    with client.session_transaction() as session:
        pending = dict(session["pending_login"])
        pending["at"] -= 5 * 60 + 1
        session["pending_login"] = pending
    response = client.post("/login/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert response.headers["Location"] == "/login"
    assert client.get("/dashboard/").status_code == 302


def test_wrong_codes_are_throttled(app, client, ann, auth):
    auth.login("ann")
    secret, _codes = turn_on(client)
    auth.logout()
    auth.login("ann")
    wrong = "999999" if pyotp.TOTP(secret).now() != "999999" else "999998"
    for _ in range(app.config["LOGIN_FREE_FAILURES"]):
        response = client.post("/login/two-factor", data={"code": wrong})
        assert response.status_code == 200
    blocked = client.post("/login/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert blocked.status_code == 429
    assert b"Too many failed attempts" in blocked.data
    assert client.get("/dashboard/").status_code == 302


def test_the_second_step_checks_its_csrf_token(app, client, ann, auth):
    auth.login("ann")
    secret, _codes = turn_on(client)
    auth.logout()
    auth.login("ann")
    app.config["WTF_CSRF_ENABLED"] = True
    code = login_code(secret)
    response = client.post("/login/two-factor", data={"code": code})
    assert response.status_code == 200 and b"This form had expired" in response.data
    assert f'value="{code}"'.encode() in response.data
    token = re.search(
        rb'name="csrf_token" type="hidden" value="([^"]+)"', response.data
    )
    response = client.post(
        "/login/two-factor", data={"code": code, "csrf_token": token.group(1).decode()}
    )
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_turning_it_off_needs_a_code_or_the_password(app, client, ann, auth):
    auth.login("ann")
    secret, codes = turn_on(client)
    refused = client.post(
        "/dashboard/profile/two-factor/disable", data={"password": "wrong guess"}
    )
    assert b"That code or password is not right." in refused.data
    renewed = client.post("/dashboard/profile/two-factor/recovery-codes")
    new_codes = codes_on(renewed.get_data(as_text=True))
    assert len(new_codes) == 10 and not set(new_codes) & set(codes)
    response = client.post(
        "/dashboard/profile/two-factor/disable", data={"password": PASSWORD}
    )
    assert response.status_code == 302
    with app.app_context():
        assert not db.session.get(User, ann.id).two_factor_enabled
    assert actions(app, "ann") == [
        "two_factor_enabled",
        "recovery_codes_renewed",
        "two_factor_disabled",
    ]
    auth.logout()
    assert auth.login("ann").headers["Location"] == "/dashboard/"


def test_old_recovery_codes_stop_working_once_renewed(app, client, ann, auth):
    auth.login("ann")
    _secret, codes = turn_on(client)
    new_codes = codes_on(
        client.post("/dashboard/profile/two-factor/recovery-codes").get_data(
            as_text=True
        )
    )
    auth.logout()
    auth.login("ann")
    assert (
        b"not right" in client.post("/login/two-factor", data={"code": codes[0]}).data
    )
    response = client.post("/login/two-factor", data={"code": new_codes[0]})
    assert response.status_code == 302


def require_two_factor(app) -> None:
    with app.app_context():
        from blog.site.settings import save_settings

        save_settings({"require_two_factor": True})
        db.session.commit()


def test_the_setting_is_a_checkbox_in_general_settings(app, client, make_user, auth):
    make_user(Role.ADMIN, "root")
    auth.login("root")
    page = client.get("/dashboard/settings/").get_data(as_text=True)
    assert "Require two-factor login for administrators and editors" in page
    response = client.post(
        "/dashboard/settings/",
        data={
            "title": "My Blog",
            "tagline": "",
            "timezone": "UTC",
            "posts_per_page": "10",
            "require_two_factor": "y",
        },
    )
    assert response.status_code == 302
    # The admin has no two-factor login yet: the dashboard now leads to setup.
    assert client.get("/dashboard/").headers["Location"] == SETUP
    with app.app_context():
        from blog.site.settings import load_settings

        assert load_settings()["require_two_factor"] is True


def test_required_two_factor_sends_editors_to_setup_not_authors(
    app, client, ann, make_user, auth
):
    make_user(Role.AUTHOR, "bob")
    require_two_factor(app)
    auth.login("ann")
    for path in ("/dashboard/", "/dashboard/posts/", "/dashboard/profile/"):
        assert client.get(path).headers["Location"] == SETUP
    page = client.get(SETUP).get_data(as_text=True)
    assert "requires two-factor login for administrators and editors" in page
    secret, _codes = turn_on(client)
    assert client.get("/dashboard/").status_code == 200
    # Required: it cannot be turned off.
    refused = client.post(
        "/dashboard/profile/two-factor/disable", data={"password": PASSWORD}
    )
    assert b"so you cannot turn it off" in refused.data
    with app.app_context():
        assert db.session.get(User, ann.id).totp_secret == secret
    auth.logout()
    auth.login("bob")
    assert client.get("/dashboard/").status_code == 200


def test_logging_out_stays_possible_while_setup_is_required(app, client, ann, auth):
    require_two_factor(app)
    auth.login("ann")
    assert auth.logout().headers["Location"] == "/login"
    assert client.get("/dashboard/").headers["Location"].startswith("/login")


def test_an_admin_reset_lets_the_user_log_in_with_the_password(
    app, client, ann, make_user, auth
):
    auth.login("ann")
    turn_on(client)
    auth.logout()
    admin = make_user(Role.ADMIN, "root")
    with app.app_context():
        from blog.accounts.twofactor import reset_two_factor

        reset_two_factor(
            db.session.get(User, ann.id), actor=db.session.get(User, admin.id)
        )
    assert auth.login("ann").headers["Location"] == "/dashboard/"
    assert actions(app, "ann")[-1] == "two_factor_reset"


def test_a_deactivated_user_cannot_finish_the_second_step(app, client, ann, auth):
    auth.login("ann")
    secret, _codes = turn_on(client)
    auth.logout()
    auth.login("ann")
    with app.app_context():
        from blog.models import utcnow

        db.session.get(User, ann.id).deactivated_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = client.post("/login/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert response.headers["Location"] == "/login"
    assert client.get("/dashboard/").status_code == 302


def test_two_racing_logins_cannot_both_use_one_code(app, client, ann, auth):
    auth.login("ann")
    secret, _codes = turn_on(client)
    clients = [app.test_client() for _ in range(2)]
    for each in clients:
        each.post("/login", data={"login": "ann", "password": PASSWORD})
    code = login_code(secret)
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def finish(each) -> None:
        barrier.wait()
        statuses.append(each.post("/login/two-factor", data={"code": code}).status_code)

    threads = [threading.Thread(target=finish, args=(each,)) for each in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 302]
