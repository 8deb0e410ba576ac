"""``flask --app blog media clean`` and ``media variants``: bring stored
uploads up to today's rules."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from blog.extensions import db
from blog.media.images import Uploads, clean_stored
from blog.media.library import fill_variants

media = AppGroup("media", help="Uploaded images and files.")


@media.command("clean")
def clean() -> None:
    """Strip metadata from, and scale down, images stored by older versions,
    and make the resized variants they lack.

    Run it once after upgrading; running it again changes nothing.
    """
    uploads = Uploads.of(current_app)
    done = clean_stored(uploads)
    db.session.commit()
    click.echo(
        f"Cleaned {len(done.rewritten)} image(s); "
        f"left {len(done.refused)} unreadable or oversized one(s) as they were."
    )
    for name in done.refused:
        click.echo(f"  not cleaned: {name}")
    _report_variants(uploads)


@media.command("variants")
def make_variants() -> None:
    """Make the resized variants (for srcset) that images stored by older
    versions lack, and update the posts that show them."""
    _report_variants(Uploads.of(current_app))


def _report_variants(uploads: Uploads) -> None:
    done = fill_variants(uploads)
    click.echo(
        f"Made variants of {len(done.made)} image(s); "
        f"updated {done.relinked} post(s) showing them."
    )
    for name in done.refused:
        click.echo(f"  no variants: {name} (unreadable)")
