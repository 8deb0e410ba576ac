"""``flask --app blog import wordpress FILE.xml [--uploads DIR] [--dry-run]
[--author-role ROLE] [--skip-pingbacks]``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from blog.importing.importer import SiteNotSetUp, import_wordpress
from blog.importing.options import ImportOptions
from blog.importing.wxr import NotWordPressExport
from blog.models import Role

#: Roles an import may give its authors (an export cannot make admins).
AUTHOR_ROLES = [Role.EDITOR.value, Role.AUTHOR.value, Role.CONTRIBUTOR.value]


@click.group("import")
def import_group() -> None:
    """Import another site's content."""


@import_group.command("wordpress")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--uploads",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A copy of the old site's wp-content/uploads folder.",
)
@click.option(
    "--dry-run", is_flag=True, help="Report what would happen; change nothing."
)
@click.option(
    "--author-role",
    type=click.Choice(AUTHOR_ROLES),
    default=Role.AUTHOR.value,
    show_default=True,
    help="The role of the users made from the export's authors.",
)
@click.option(
    "--skip-pingbacks", is_flag=True, help="Leave pingbacks and trackbacks out."
)
@with_appcontext
def wordpress(
    file: Path,
    uploads: Path | None,
    dry_run: bool,
    author_role: str,
    skip_pingbacks: bool,
) -> None:
    """Import FILE, a WordPress export (Tools → Export → All content).

    Running it again imports only what is new; old addresses answer 301.
    """
    options = ImportOptions(
        uploads_dir=uploads,
        dry_run=dry_run,
        author_role=Role(author_role),
        skip_pingbacks=skip_pingbacks,
    )
    size = file.stat().st_size
    with click.progressbar(
        length=2 * size, label="Importing", show_percent=True
    ) as bar:
        shown = 0

        def progress(done: int, total: int) -> None:
            nonlocal shown
            bar.update(done - shown)
            shown = done

        try:
            summary = import_wordpress(file, options, progress)
        except (NotWordPressExport, SiteNotSetUp) as error:
            raise click.ClickException(str(error)) from error
    for line in summary.lines():
        click.echo(line)
    if summary.failures:
        raise SystemExit(1)
