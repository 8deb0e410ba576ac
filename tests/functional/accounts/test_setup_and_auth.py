"""First-run set-up, logging in and out, and sessions (throttling:
``test_login_throttling``)."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from blog.extensions import db
from blog.models import Role, Setting, User
from tests.conftest import PASSWORD


def test_dashboard_leads_to_setup_while_no_user_exists(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/setup")
    assert client.get("/login").headers["Location"].endswith("/setup")


def test_setup_creates_the_admin_and_logs_in(client, app):
    response = client.post(
        "/setup",
        data={
            "site_title": "Rooftop Notes",
            "username": "ada",
            "email": "ada@example.org",
            "password": "a long and unusual passphrase",
        },
    )
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200
    assert b"Rooftop Notes" in client.get("/").data
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.username == "ada" and user.role == Role.ADMIN
        assert user.password_hash.startswith("$argon2id$")


def test_setup_refuses_once_a_user_exists(client, make_user):
    make_user()
    assert client.get("/setup").status_code == 404
    response = client.post(
        "/setup",
        data={
            "site_title": "X",
            "username": "eve",
            "email": "e@example.org",
            "password": "x" * 12,
        },
    )
    assert response.status_code == 404


def test_setup_keeps_what_was_typed_when_the_password_is_common(client):
    response = client.post(
        "/setup",
        data={
            "site_title": "My Site",
            "username": "ada",
            "email": "ada@example.org",
            "password": "password123",
        },
    )
    assert response.status_code == 200
    assert b"too common" in response.data
    assert b'value="My Site"' in response.data and b'value="ada"' in response.data


def test_two_racing_setups_make_one_admin(app):
    """Two threads post /setup at once; exactly one admin exists afterwards."""
    barrier = threading.Barrier(2)
    statuses = []

    def attempt(name: str) -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post(
            "/setup",
            data={
                "site_title": "S",
                "username": name,
                "email": f"{name}@example.org",
                "password": "unusual passphrase 9",
            },
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert sorted(statuses) == [302, 404]


def test_login_with_username_or_email_and_safe_next(client, make_user, auth):
    user = make_user(Role.EDITOR, "grace")
    response = auth.login("grace", next="/dashboard/posts/")
    assert response.headers["Location"] == "/dashboard/posts/"
    auth.logout()
    response = auth.login(user.email, next="https://evil.example/")
    assert response.headers["Location"] == "/dashboard/"
    auth.logout()
    for bad in ("//evil.example/", "/\\evil.example", "javascript:alert(1)"):
        assert auth.login("grace", next=bad).headers["Location"] == "/dashboard/"
        auth.logout()


def test_unknown_user_and_wrong_password_get_the_same_answer(client, make_user, auth):
    make_user(Role.EDITOR, "grace")
    wrong = auth.login("grace", "not the password")
    unknown = auth.login("nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 200
    assert b"Unknown username or email, or wrong password." in wrong.data
    assert wrong.data.replace(b"grace", b"nobody") == unknown.data


def test_logout_ends_every_session(app, make_user):
    make_user(Role.EDITOR, "grace")
    laptop, phone = app.test_client(), app.test_client()
    for device in (laptop, phone):
        device.post("/login", data={"login": "grace", "password": PASSWORD})
        assert device.get("/dashboard/").status_code == 200
    laptop.post("/logout")
    assert phone.get("/dashboard/").status_code == 302


def test_login_clears_the_previous_session(client, make_user, auth):
    make_user(Role.EDITOR, "grace")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.login("grace")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_logout_needs_post(client, make_user, auth):
    make_user(Role.EDITOR, "grace")
    auth.login("grace")
    assert client.get("/logout").status_code == 405
    assert client.get("/dashboard/").status_code == 200


def test_dashboard_pages_are_never_cached(client, make_user, auth):
    make_user(Role.ADMIN, "root")
    auth.login("root")
    for path in ("/dashboard/", "/dashboard/posts/", "/dashboard/settings/", "/login"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_usernames_cannot_look_like_emails_and_emails_are_unique_in_any_case(
    app, runner
):
    first = runner.invoke(
        args=[
            "users",
            "create",
            "a@b.example",
            "--email",
            "x@example.org",
            "--password-stdin",
        ],
        input="unusual passphrase 1\n",
    )
    assert first.exit_code != 0 and "“@”" in first.output
    runner.invoke(
        args=[
            "users",
            "create",
            "ann",
            "--email",
            "Ann@Example.org",
            "--password-stdin",
        ],
        input="unusual passphrase 1\n",
    )
    clash = runner.invoke(
        args=[
            "users",
            "create",
            "ann2",
            "--email",
            "ann@example.org",
            "--password-stdin",
        ],
        input="unusual passphrase 2\n",
    )
    assert clash.exit_code != 0 and "already taken" in clash.output
    client = app.test_client()
    response = client.post(
        "/login", data={"login": "ANN@example.org", "password": "unusual passphrase 1"}
    )
    assert response.status_code == 302


def test_templates_never_receive_the_akismet_key(app, client, make_user, auth):
    with app.app_context():
        db.session.add(Setting(key="akismet_api_key", value="sekret-key-123"))
        db.session.commit()
    captured = []
    from flask import template_rendered

    def record(sender, template, context, **extra):  # type: ignore[no-untyped-def]
        captured.append(context.get("site", {}))

    template_rendered.connect(record, app)
    try:
        client.get("/")
    finally:
        template_rendered.disconnect(record, app)
    assert captured and all("akismet_api_key" not in site for site in captured)


def test_a_shared_browser_never_falls_back_to_an_earlier_remembered_login(
    client, make_user, auth
):
    """Alice ticks "Remember Me"; Bob logs in on the same browser without it
    and logs out: the browser is nobody's, not Alice's again."""
    make_user("editor", "alice")
    make_user("editor", "bob")
    auth.login("alice", remember="y")
    assert client.get_cookie("remember_token") is not None
    auth.login("bob")
    assert client.get_cookie("remember_token") is None
    client.post("/logout")
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logging_out_deletes_the_remember_me_cookie(client, make_user, auth):
    make_user("editor", "alice")
    auth.login("alice", remember="y")
    assert client.get_cookie("remember_token") is not None
    client.post("/logout")
    assert client.get_cookie("remember_token") is None
