"""``flask --app blog media clean``: bring stored images up to today's rules."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from blog.extensions import db
from blog.media.images import Uploads, clean_stored

media = AppGroup("media", help="Uploaded images.")


@media.command("clean")
def clean() -> None:
    """Strip metadata from, and scale down, images stored by older versions.

    Run it once after upgrading; running it again changes nothing.
    """
    done = clean_stored(Uploads.of(current_app))
    db.session.commit()
    click.echo(
        f"Cleaned {len(done.rewritten)} image(s); "
        f"left {len(done.refused)} unreadable or oversized one(s) as they were."
    )
    for name in done.refused:
        click.echo(f"  not cleaned: {name}")
