"""``flask --app blog backup [--output FILE]`` and ``restore FILE [--force]``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from blog.backup.create import create_backup
from blog.backup.errors import BackupError
from blog.backup.restore import restore_backup


def _size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


@click.command("backup")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Archive to write (default: backups/blog-YYYYMMDD-HHMMSS.tar.gz in "
    "the instance folder, UTC). Replaced if it exists.",
)
@with_appcontext
def backup(output: Path | None) -> None:
    """Save the database and the uploads in one archive, while the site serves.

    The archive (.tar.gz, mode 0600) holds a consistent snapshot of the
    database, a portable dump of every table, the uploaded files and a
    manifest with their SHA-256 checksums. The last line printed is its path.
    """
    try:
        result = create_backup(current_app, output)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    manifest = result.manifest
    for note in manifest.notes:
        click.echo(f"Note: {note}", err=True)
    native = f", with {manifest.native_tool}" if manifest.native_tool else ""
    click.echo(
        f"Database ({manifest.database_kind}{native}): "
        f"{manifest.total_rows} rows in {len(manifest.tables)} tables."
    )
    click.echo(f"Uploads: {len(manifest.upload_members)} file(s).")
    click.echo(f"Archive: {_size(result.size)}, mode 0600. Written to:")
    click.echo(str(result.path))


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Replace a site that already has content (rows or upload files).",
)
@with_appcontext
def restore(archive: Path, force: bool) -> None:
    """Restore an archive written by the backup command into this site.

    Every checksum is verified before anything changes. A site that already
    has content is refused unless --force is given, which replaces all of it.
    """
    try:
        result = restore_backup(current_app, archive, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    manifest = result.manifest
    click.echo(f"Verified {len(manifest.members)} members against their checksums.")
    if result.replaced:
        click.echo("Replaced: " + ", ".join(result.replaced) + ".")
    click.echo(
        f"Restored the database from the {result.method} "
        f"({manifest.database_kind}, {manifest.created_at}): "
        f"{result.rows} rows in {len(manifest.tables)} tables."
    )
    if result.upgraded_to:
        click.echo(f"Upgraded the schema to migration {result.upgraded_to}.")
    click.echo(f"Restored {result.files} upload file(s).")
