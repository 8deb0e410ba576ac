"""``flask --app blog users ...``: managing accounts from the shell.

USERNAME is matched in any letter case. Every change is recorded with
"command line" as the one who made it, and the same rules as on the users
screen hold (the last active administrator stays one).
"""

from __future__ import annotations

import sys
from datetime import datetime, tzinfo

import click
from flask.cli import AppGroup

from blog.accounts import lifecycle
from blog.accounts.credentials import prepare
from blog.accounts.credentials import set_password as change_password
from blog.accounts.directory import UserFilters, UserRow, all_users
from blog.accounts.users import create_user, find_user
from blog.dates import to_zone
from blog.errors import FieldError
from blog.extensions import db
from blog.models import Role, User
from blog.site import load_settings, site_zone

users = AppGroup("users", help="Manage user accounts.")
ROLE_CHOICE = click.Choice([r.value for r in Role], case_sensitive=False)


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


def _user(username: str) -> User:
    """The user named ``username`` (any case), or a clear error (exit 1)."""
    user = find_user(username)
    if user is None:
        raise click.ClickException(f"No user named {username!r}.")
    return user


def _refused(error: FieldError) -> click.ClickException:
    db.session.rollback()
    return click.ClickException(str(error))


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
    password = _read_password(password_stdin)
    try:
        user = create_user(username, email, password, role, display_name)
        db.session.commit()
    except FieldError as error:
        raise _refused(error) from error
    click.echo(f"Created {user.role.value} {user.username!r} ({user.email}).")


@users.command("list")
@click.option("--role", type=ROLE_CHOICE, default=None, help="Only users of this role.")
def list_users(role: str | None) -> None:
    """Every user: username, role, status, email and last login."""
    rows = all_users(None, UserFilters(role=(role or "").lower()))
    if not rows:
        click.echo("No users.")
        return
    click.echo(format_table(rows))


def format_table(rows: list[UserRow]) -> str:
    """The users as aligned columns under a header line."""
    header = ("USERNAME", "ROLE", "STATUS", "EMAIL", "LAST LOGIN")
    zone = site_zone(load_settings())
    lines = [
        (
            row.user.username,
            row.user.role.value,
            row.user.status,
            row.user.email,
            _when(row.user.last_login_at, zone),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(5)]
    return "\n".join(
        "  ".join(
            cell.ljust(width) for cell, width in zip(line, widths, strict=True)
        ).rstrip()
        for line in [header, *lines]
    )


def _when(value: datetime | None, zone: tzinfo) -> str:
    """``2026-11-22 15:05 CET`` in the site's zone; ``never``."""
    return to_zone(value, zone).strftime("%Y-%m-%d %H:%M %Z") if value else "never"


@users.command("set-password")
@click.argument("username")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input."
)
def set_password(username: str, password_stdin: bool) -> None:
    """Give USERNAME a new password (prompted for, or read from stdin); every
    session of theirs ends and their reset or invitation links stop working."""
    user_id = _user(username).id
    db.session.rollback()  # no transaction (nor SQLite's write lock) while typing
    password = _read_password(password_stdin)
    try:
        hashed = prepare(password)  # slow: before the write transaction
        user = db.session.get(User, user_id)
        if user is None:
            raise click.ClickException(f"No user named {username!r}.")
        change_password(
            user, password, action="password_set_by_admin", actor=None, hashed=hashed
        )
    except FieldError as error:
        raise _refused(error) from error
    click.echo(f"Password set for {user.username!r}; their sessions were ended.")


@users.command("set-role")
@click.argument("username")
@click.argument("role", type=ROLE_CHOICE)
def set_role(username: str, role: str) -> None:
    """Give USERNAME another ROLE (admin, editor, author, contributor)."""
    user = _user(username)
    try:
        changed = lifecycle.set_role(user, role.lower(), actor=None)
    except FieldError as error:
        raise _refused(error) from error
    if changed:
        click.echo(f"{user.username!r} is now {user.role.value}.")
    else:
        click.echo(f"{user.username!r} was already {user.role.value}.")


@users.command("deactivate")
@click.argument("username")
def deactivate(username: str) -> None:
    """Stop USERNAME from logging in and end their sessions (their posts
    stay published)."""
    user = _user(username)
    try:
        changed = lifecycle.deactivate_user(user, actor=None)
    except FieldError as error:
        raise _refused(error) from error
    state = "is now" if changed else "was already"
    click.echo(f"{user.username!r} {state} deactivated.")


@users.command("reactivate")
@click.argument("username")
def reactivate(username: str) -> None:
    """Let a deactivated USERNAME log in again."""
    user = _user(username)
    changed = lifecycle.reactivate_user(user, actor=None)
    state = "is active again" if changed else "was not deactivated"
    click.echo(f"{user.username!r} {state}.")


@users.command("reset-2fa")
@click.argument("username")
def reset_2fa(username: str) -> None:
    """Turn off USERNAME's two-factor login (they lost their device and
    their recovery codes); they log in with their password alone."""
    user = _user(username)
    try:
        lifecycle.reset_user_two_factor(user, actor=None)
    except FieldError as error:
        raise _refused(error) from error
    click.echo(f"Two-factor login is off for {user.username!r}.")
