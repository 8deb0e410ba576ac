"""Command-line interface: ``flask --app blog users create``, ``demo``, ``render``."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from blog import accounts, moderation, publishing, site_settings
from blog import cli_comments as comments_cli
from blog.extensions import db
from blog.models import Role
from blog.passwords import PasswordRejected

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
def create_user(
    username: str, email: str, role: str, display_name: str | None, password_stdin: bool
) -> None:
    """Create a user; the password is prompted for, or read from stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_user(username, email, password, role, display_name)
        db.session.commit()
    except (accounts.AccountError, PasswordRejected) as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role.value} {user.username!r} ({user.email}).")


@click.command("demo")
@with_appcontext
def load_demo() -> None:
    """Load sample authors, categories and articles written for this project."""
    from blog import demo

    try:
        summary = demo.load()
    except demo.DemoExists as error:
        raise click.ClickException(str(error)) from error
    click.echo(summary)


@click.command("render")
@with_appcontext
def rerender() -> None:
    """Re-render stored posts, comments and the privacy page (older renderers)."""
    count, refused = publishing.rerender_stale_posts()
    click.echo(f"Re-rendered {count} post(s).")
    click.echo(f"Re-rendered {moderation.rerender_stale()} comment(s).")
    if site_settings.rerender_privacy():
        click.echo("Re-rendered the privacy page.")
    if refused:
        ids = ", ".join(map(str, refused))
        click.echo(
            f"Kept the sanitized HTML of {len(refused)} post(s) whose Markdown the "
            f"renderer now refuses (ids {ids}); open them in the editor to fix."
        )


def register(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(load_demo)
    app.cli.add_command(rerender)
    app.cli.add_command(comments_cli.comments)
