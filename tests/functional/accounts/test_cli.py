"""``flask --app blog users ...``: create (the password from stdin or a
prompt), list, set-password, set-role, deactivate, reactivate, reset-2fa."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from blog.extensions import db
from blog.models import AccountEvent, Role, User, utcnow
from tests.conftest import PASSWORD


def test_users_create_reads_password_from_stdin(app, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "ada",
            "--email",
            "ada@example.org",
            "--role",
            "editor",
            "--name",
            "Ada L.",
            "--password-stdin",
        ],
        input="a long unusual passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created editor 'ada'" in result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.display_name == "Ada L." and user.role == Role.EDITOR
    client = app.test_client()
    response = client.post(
        "/login", data={"login": "ada", "password": "a long unusual passphrase"}
    )
    assert response.status_code == 302


def test_users_create_prompts_for_password(app, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "bob",
            "--email",
            "bob@example.org",
            "--role",
            "author",
        ],
        input="another fine passphrase\nanother fine passphrase\n",
    )
    assert result.exit_code == 0, result.output


def test_users_create_refuses_bad_input(runner, make_user):
    make_user(Role.EDITOR, "taken")
    weak = runner.invoke(
        args=["users", "create", "x", "--email", "x@example.org", "--password-stdin"],
        input="short\n",
    )
    assert weak.exit_code != 0 and "at least 8" in weak.output
    clash = runner.invoke(
        args=[
            "users",
            "create",
            "taken",
            "--email",
            "t@example.org",
            "--password-stdin",
        ],
        input="unusual passphrase 1\n",
    )
    assert clash.exit_code != 0 and "already taken" in clash.output
    role = runner.invoke(
        args=[
            "users",
            "create",
            "y",
            "--email",
            "y@example.org",
            "--role",
            "king",
            "--password-stdin",
        ],
        input="unusual passphrase 1\n",
    )
    assert role.exit_code != 0


# users list / set-password / set-role / deactivate / reactivate / reset-2fa


def _user(app, username: str) -> User:  # type: ignore[no-untyped-def]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        assert user is not None
        db.session.expunge(user)
        return user


def _records(app, username: str) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return [
            (e.action, e.actor_name, e.detail)
            for e in db.session.scalars(
                select(AccountEvent)
                .where(AccountEvent.username == username)
                .order_by(AccountEvent.id)
            )
        ]


def test_users_list_prints_a_table(app, runner, make_user):
    make_user(Role.ADMIN, "boss")
    make_user(Role.AUTHOR, "writer", deactivated_at=utcnow())
    ed = make_user(Role.EDITOR, "ed")
    with app.app_context():
        db.session.get(User, ed.id).last_login_at = datetime(
            2026, 3, 4, 5, 6, tzinfo=UTC
        )
        db.session.commit()
    result = runner.invoke(args=["users", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["USERNAME", "ROLE", "STATUS", "EMAIL", "LAST", "LOGIN"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert rows["boss"] == ["boss", "admin", "active", "boss@example.org", "never"]
    assert rows["writer"][1:3] == ["author", "deactivated"]
    assert rows["ed"][4:] == ["2026-03-04", "05:06", "UTC"]
    # Columns line up: every email starts where the header's does.
    column = lines[0].index("EMAIL")
    assert all(line[column:].split()[0].endswith("@example.org") for line in lines[1:])
    only = runner.invoke(args=["users", "list", "--role", "EDITOR"])
    assert [line.split()[0] for line in only.output.splitlines()[1:]] == ["ed"]
    none = runner.invoke(args=["users", "list", "--role", "contributor"])
    assert none.exit_code == 0 and "No users." in none.output


def test_set_password_from_stdin_ends_sessions(app, runner, make_user):
    make_user(Role.AUTHOR, "Ada")
    signed_in = app.test_client()
    signed_in.post("/login", data={"login": "ada", "password": PASSWORD})
    assert signed_in.get("/dashboard/").status_code == 200
    result = runner.invoke(
        args=["users", "set-password", "ADA", "--password-stdin"],
        input="a brand new passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "Password set for 'Ada'" in result.output
    assert signed_in.get("/dashboard/").status_code == 302  # logged out
    fresh = app.test_client()
    old = fresh.post("/login", data={"login": "ada", "password": PASSWORD})
    assert old.status_code == 200
    new = fresh.post(
        "/login", data={"login": "ada", "password": "a brand new passphrase"}
    )
    assert new.status_code == 302
    assert _records(app, "Ada")[-1] == ("password_set_by_admin", "command line", "")


def test_set_password_prompts_twice_and_applies_the_policy(app, runner, make_user):
    make_user(Role.AUTHOR, "ada")
    prompted = runner.invoke(
        args=["users", "set-password", "ada"],
        input="prompted passphrase 42\nprompted passphrase 42\n",
    )
    assert prompted.exit_code == 0, prompted.output
    client = app.test_client()
    ok = client.post(
        "/login", data={"login": "ada", "password": "prompted passphrase 42"}
    )
    assert ok.status_code == 302
    weak = runner.invoke(
        args=["users", "set-password", "ada", "--password-stdin"], input="short\n"
    )
    assert weak.exit_code == 1 and "at least 8" in weak.output
    # An invited user gets a password this way too, and becomes active.
    make_user(Role.AUTHOR, "invited")
    with app.app_context():
        db.session.scalar(
            select(User).where(User.username == "invited")
        ).password_hash = None
        db.session.commit()
    runner.invoke(
        args=["users", "set-password", "invited", "--password-stdin"],
        input="welcome aboard friend\n",
    )
    assert _user(app, "invited").status == "active"


def test_unknown_users_are_a_clear_error(runner, make_user):
    for command in (
        ["set-password", "nobody", "--password-stdin"],
        ["set-role", "nobody", "editor"],
        ["deactivate", "nobody"],
        ["reactivate", "nobody"],
        ["reset-2fa", "nobody"],
    ):
        result = runner.invoke(args=["users", *command], input="whatever 123456\n")
        assert result.exit_code == 1, command
        assert "No user named 'nobody'." in result.output


def test_set_role(app, runner, make_user):
    make_user(Role.ADMIN, "boss")
    make_user(Role.AUTHOR, "Ed")
    result = runner.invoke(args=["users", "set-role", "ed", "Editor"])
    assert result.exit_code == 0, result.output
    assert "'Ed' is now editor." in result.output
    assert _user(app, "Ed").role == Role.EDITOR
    assert _records(app, "Ed") == [("role_changed", "command line", "author → editor")]
    same = runner.invoke(args=["users", "set-role", "ed", "editor"])
    assert same.exit_code == 0 and "already editor" in same.output
    bad = runner.invoke(args=["users", "set-role", "ed", "king"])
    assert bad.exit_code == 2 and "king" in bad.output


def test_the_last_admin_rule_holds_on_the_command_line(app, runner, make_user):
    make_user(Role.ADMIN, "boss")
    demote = runner.invoke(args=["users", "set-role", "boss", "editor"])
    assert demote.exit_code == 1 and "only active administrator" in demote.output
    off = runner.invoke(args=["users", "deactivate", "boss"])
    assert off.exit_code == 1 and "only active administrator" in off.output
    assert _user(app, "boss").role == Role.ADMIN
    assert _user(app, "boss").status == "active"
    assert _records(app, "boss") == []
    # Promoting is always allowed; then either admin may step down.
    make_user(Role.EDITOR, "ed")
    assert runner.invoke(args=["users", "set-role", "ed", "admin"]).exit_code == 0
    assert runner.invoke(args=["users", "set-role", "boss", "editor"]).exit_code == 0
    again = runner.invoke(args=["users", "deactivate", "ed"])
    assert again.exit_code == 1 and "only active administrator" in again.output


def test_deactivate_and_reactivate(app, runner, make_user):
    make_user(Role.ADMIN, "boss")
    make_user(Role.AUTHOR, "writer")
    signed_in = app.test_client()
    signed_in.post("/login", data={"login": "writer", "password": PASSWORD})
    result = runner.invoke(args=["users", "deactivate", "WRITER"])
    assert result.exit_code == 0 and "'writer' is now deactivated." in result.output
    assert signed_in.get("/dashboard/").status_code == 302
    blocked = app.test_client().post(
        "/login", data={"login": "writer", "password": PASSWORD}
    )
    assert b"This account is deactivated" in blocked.data
    twice = runner.invoke(args=["users", "deactivate", "writer"])
    assert "was already deactivated" in twice.output
    back = runner.invoke(args=["users", "reactivate", "writer"])
    assert back.exit_code == 0 and "'writer' is active again." in back.output
    login = app.test_client().post(
        "/login", data={"login": "writer", "password": PASSWORD}
    )
    assert login.status_code == 302
    assert [(a, who) for a, who, _ in _records(app, "writer")] == [
        ("deactivated", "command line"),
        ("reactivated", "command line"),
    ]


def test_reset_2fa(app, runner, make_user):
    make_user(Role.EDITOR, "ed", totp_secret="JBSWY3DPEHPK3PXP")
    result = runner.invoke(args=["users", "reset-2fa", "Ed"])
    assert result.exit_code == 0, result.output
    assert "Two-factor login is off for 'ed'." in result.output
    assert _user(app, "ed").totp_secret is None
    assert _records(app, "ed") == [("two_factor_reset", "command line", "")]
    again = runner.invoke(args=["users", "reset-2fa", "ed"])
    assert again.exit_code == 1 and "does not use two-factor login" in again.output
