"""The schema a portable dump is loaded into: built by the migrations, at the
revision the backup was taken at, then brought up to this code's head so the
migrations carry the data forward."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from flask import current_app
from sqlalchemy import Engine, MetaData

from blog.backup.errors import BackupError
from blog.search import schema as search_schema
from blog.search.schema import is_index_table


def _config() -> Config:
    migrate: Any = current_app.extensions["migrate"]
    config: Config = migrate.migrate.get_config()
    return config


def code_head() -> str | None:
    """The newest revision this code's migrations know."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def code_head_if_readable() -> str | None:
    """:func:`code_head`, or ``None`` when the migrations folder cannot be
    read (a backup records it for information only, and must not fail)."""
    try:
        return code_head()
    except (CommandError, RevisionError, KeyError):
        return None


def check_known(revision: str | None) -> None:
    """:raises BackupError: the backup comes from code with newer migrations."""
    if revision is None:
        return
    try:
        known = ScriptDirectory.from_config(_config()).get_revision(revision)
    except (CommandError, RevisionError):
        known = None
    if known is None:
        raise BackupError(
            f"The backup's database is at migration {revision!r}, which this "
            "version of the blog does not know; install the version that made "
            "the backup (or a newer one) to restore it."
        )


def upgrade(revision: str) -> None:
    command.upgrade(_config(), revision)


def rebuild(engine: Engine, revision: str | None) -> None:
    """Drop every table, then run the migrations up to ``revision`` (head if
    ``None``). Only for a database that is empty or being replaced."""
    with engine.begin() as connection:
        metadata = MetaData()
        metadata.reflect(bind=connection, only=lambda name, _: not is_index_table(name))
        if connection.dialect.name == "sqlite":
            search_schema.uninstall(connection)  # FTS5 first: not a plain table
        metadata.drop_all(bind=connection)
    upgrade(revision or "head")
