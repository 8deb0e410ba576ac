"""The form of Tools → Import: a WordPress export and the choices the
command line also offers (except the uploads folder, which needs the
server's disk)."""

from __future__ import annotations

from typing import Any, BinaryIO

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField

from blog.accounts.users import ROLE_LABELS
from blog.forms.common import BlogForm, choice, uploaded
from blog.importing.cli import AUTHOR_ROLES
from blog.importing.options import ImportOptions
from blog.models import Role

#: What the file field offers (the importer checks what the file holds).
ACCEPT = ".xml,application/xml,text/xml"


def _role_choices() -> list[Any]:
    return [choice(role, ROLE_LABELS[Role(role)]) for role in AUTHOR_ROLES]


class ImportForm(BlogForm):
    file = FileField(
        "WordPress export file (.xml)",
        validators=[FileRequired("Choose the export file to import.")],
    )
    author_role = SelectField(
        "Role for imported authors",
        choices=_role_choices(),
        default=Role.AUTHOR.value,
    )
    skip_pingbacks = BooleanField("Skip pingbacks and trackbacks")
    dry_run = BooleanField("Dry run: report what would happen, change nothing")

    def upload(self) -> tuple[BinaryIO, str] | None:
        """The file's stream and the name it had."""
        return uploaded(self.file)

    def options(self) -> ImportOptions:
        return ImportOptions(
            dry_run=bool(self.dry_run.data),
            author_role=Role(self.author_role.data or Role.AUTHOR.value),
            skip_pingbacks=bool(self.skip_pingbacks.data),
        )
