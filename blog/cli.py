"""Command-line interface: every feature's commands, plus ``demo`` and ``render``.

``flask --app blog users create``, ``comments recheck|purge|render``,
``mail send|status|retry``, ``media clean``, ``backup`` and ``restore``,
``import wordpress``, ``export wordpress|json``, ``demo`` and ``render``.
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from blog.accounts.cli import users
from blog.backup.cli import backup, restore
from blog.comments.cli import comments
from blog.comments.jobs import rerender_stale
from blog.exporting.cli import export
from blog.importing.cli import import_group
from blog.mail.cli import mail
from blog.media import Uploads
from blog.media.cli import media
from blog.posts.publishing import rerender_stale_posts
from blog.search.cli import search
from blog.site.settings import rerender_privacy


@click.command("demo")
@with_appcontext
def load_demo() -> None:
    """Load sample authors, categories and articles written for this project."""
    from blog import demo

    try:
        summary = demo.load(Uploads.of(current_app))
    except demo.DemoExists as error:
        raise click.ClickException(str(error)) from error
    click.echo(summary)


@click.command("render")
@with_appcontext
def rerender() -> None:
    """Re-render stored posts, comments and the privacy page (older renderers)."""
    count, refused = rerender_stale_posts()
    click.echo(f"Re-rendered {count} post(s).")
    click.echo(f"Re-rendered {rerender_stale()} comment(s).")
    if rerender_privacy():
        click.echo("Re-rendered the privacy page.")
    if refused:
        ids = ", ".join(map(str, refused))
        click.echo(
            f"Kept the sanitized HTML of {len(refused)} post(s) whose Markdown the "
            f"renderer now refuses (ids {ids}); open them in the editor to fix."
        )


def register(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(backup)
    app.cli.add_command(restore)
    app.cli.add_command(comments)
    app.cli.add_command(mail)
    app.cli.add_command(media)
    app.cli.add_command(load_demo)
    app.cli.add_command(rerender)
    app.cli.add_command(search)
    app.cli.add_command(import_group)
    app.cli.add_command(export)
