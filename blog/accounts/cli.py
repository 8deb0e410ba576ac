"""``flask --app blog users ...``: managing accounts from the shell."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from blog.accounts.users import create_user
from blog.errors import FieldError
from blog.extensions import db
from blog.models import Role

users = AppGroup("users", help="Manage user accounts.")


@users.command("create")
@click.argument("username")
@click.option("--email", required=True, help="The user's email address.")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.AUTHOR.value,
    show_default=True,
)
@click.option(
    "--name", "display_name", default=None, help="Display name (defaults to USERNAME)."
)
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input."
)
def create(
    username: str, email: str, role: str, display_name: str | None, password_stdin: bool
) -> None:
    """Create a user; the password is prompted for, or read from stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(username, email, password, role, display_name)
        db.session.commit()
    except FieldError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role.value} {user.username!r} ({user.email}).")
