"""``flask --app blog export wordpress|json [--output FILE]``."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import IO

import click
from flask import current_app
from flask.cli import with_appcontext

from blog.exporting.json_export import write_json
from blog.exporting.source import ExportSite, export_site
from blog.exporting.wxr import write_wxr

Writer = Callable[[IO[str], ExportSite], Counter[str]]

_OUTPUT = click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="File to write (replaced if it exists, mode 0600). "
    "Without it, the export goes to standard output.",
)


@click.group("export")
def export() -> None:
    """Export the whole site: for WordPress (WXR 1.2) or as JSON.

    Exports hold commenters' email and IP addresses: keep them private.
    """


@export.command("wordpress")
@_OUTPUT
@with_appcontext
def wordpress(output: Path | None) -> None:
    """A WordPress export (WXR 1.2) that WordPress's importer reads.

    Addresses in it are built on SITE_URL.
    """
    _run(write_wxr, output)


@export.command("json")
@_OUTPUT
@with_appcontext
def json_command(output: Path | None) -> None:
    """Everything, as one JSON document (see the README, "Exporting")."""
    _run(write_json, output)


def _run(writer: Writer, output: Path | None) -> None:
    site = export_site(current_app, str(current_app.config["SITE_URL"]))
    if output is None:
        # UTF-8 whatever the terminal's locale says: the file declares it.
        sys.stdout.flush()
        text = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
        try:
            counts = writer(text, site)
        finally:
            text.flush()
            text.detach()
        click.echo(_summary(counts), err=True)
        return
    counts = _write_file(writer, site, output)
    click.echo(_summary(counts))
    click.echo(f"Written to {output}")


def _write_file(writer: Writer, site: ExportSite, output: Path) -> Counter[str]:
    """Write beside ``output`` then rename, so that a failed export never
    leaves half a file in its place; private to its owner (mode 0600)."""
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise click.ClickException(f"No such folder: {folder}")
    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", dir=folder)
    try:
        with open(handle, "w", encoding="utf-8", newline="\n") as out:
            counts = writer(out, site)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return counts


def _summary(counts: Counter[str]) -> str:
    parts = [f"{number} {name}" for name, number in sorted(counts.items())]
    return "Exported: " + (", ".join(parts) if parts else "nothing") + "."
