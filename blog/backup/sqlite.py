"""SQLite: copies made with SQLite's online backup API, both ways.

The API copies page by page under SQLite's own locks: taken in one step it
reads one consistent snapshot while other processes keep writing (WAL), and
restoring through it rewrites the live file the way a writer would, so
workers that have it open see the new content instead of a file swapped
under them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.pool import NullPool

from blog.backup.errors import BackupError

TOOL = f"SQLite {sqlite3.sqlite_version} online backup API"


def snapshot(engine: Engine, destination: Path) -> None:
    """Copy the app's database to ``destination`` (a self-contained file).

    :raises BackupError: the copy fails its integrity check.
    """
    raw = engine.raw_connection()
    try:
        source = cast(sqlite3.Connection, raw.driver_connection)
        target = sqlite3.connect(destination)
        try:
            source.backup(target)  # all pages in one step: one read snapshot
            target.execute("PRAGMA journal_mode=DELETE")  # no -wal file beside it
            (result,) = target.execute("PRAGMA quick_check").fetchone()
        finally:
            target.close()
    finally:
        raw.close()
    if result != "ok":
        raise BackupError(f"The database snapshot failed its integrity check: {result}")


@contextmanager
def reading(path: Path) -> Iterator[Connection]:
    """A read-only connection to a snapshot file, in one transaction."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    engine = create_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(uri, uri=True),
        poolclass=NullPool,
    )
    try:
        with engine.connect() as connection, connection.begin():
            yield connection
    finally:
        engine.dispose()


def restore(engine: Engine, snapshot_file: Path) -> None:
    """Write ``snapshot_file`` over the app's database.

    The engine is disposed before and after, so this process holds no
    connection that still sees the old content.

    :raises BackupError: SQLite refused (for example, another process held
        the write lock past the busy timeout).
    """
    engine.dispose()
    source = sqlite3.connect(f"{snapshot_file.resolve().as_uri()}?mode=ro", uri=True)
    try:
        raw = engine.raw_connection()
        try:
            target = cast(sqlite3.Connection, raw.driver_connection)
            source.backup(target)
        except sqlite3.Error as error:
            raise BackupError(
                f"SQLite could not restore the database: {error}"
            ) from error
        finally:
            raw.close()
    finally:
        source.close()
        engine.dispose()
