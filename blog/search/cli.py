"""``flask --app blog search reindex``: index every post again (after bulk
changes made outside the app, or a restore from an older version)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from blog.extensions import db
from blog.search.indexing import rebuild


@click.group("search")
def search() -> None:
    """The search index."""


@search.command("reindex")
@with_appcontext
def reindex() -> None:
    """Rebuild the search index from every post."""
    with db.engine.begin() as connection:
        count = rebuild(connection)
    click.echo(f"Indexed {count} post(s).")
