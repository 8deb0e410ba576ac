"""``flask --app blog users create``: the password from stdin or a prompt."""

from __future__ import annotations

from sqlalchemy import select

from blog.extensions import db
from blog.models import Role, User


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
