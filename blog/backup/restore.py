"""Restoring a backup: verify everything, refuse to overwrite content, then
replace the database and the uploads.

Between two SQLite sites the snapshot file itself is copied in (SQLite's
backup API). Otherwise, including across database kinds, the portable dump
is loaded in one transaction into a schema the migrations build at the
backup's revision, and the migrations then bring it up to this code's head.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from blog.backup import archive, portable, postgres, schema, sqlite
from blog.backup.errors import BackupError, TargetNotEmpty
from blog.backup.manifest import TABLES_PREFIX, UPLOADS_PREFIX, Manifest
from blog.backup.snapshot import SQLITE_MEMBER
from blog.backup.uploads import Staging, files
from blog.extensions import db
from blog.media import Uploads
from blog.site import cache_version


@dataclass
class RestoreResult:
    manifest: Manifest
    #: ``sqlite snapshot`` or ``portable dump``.
    method: str
    rows: int
    files: int
    #: Migrations run after loading (``None``: already at head).
    upgraded_to: str | None = None
    replaced: list[str] = field(default_factory=list)


def existing_content(app: Flask) -> list[str]:
    """What the site already holds: tables with rows, and upload files."""
    with db.engine.connect() as connection:
        counts = portable.row_counts(connection)
    found = [f"{name} ({rows} rows)" for name, rows in counts.items() if rows]
    stored = files(Uploads.of(app).folder)
    if stored:
        found.append(f"{len(stored)} upload file(s)")
    return found


def restore_backup(app: Flask, path: Path, *, force: bool = False) -> RestoreResult:
    """Restore the backup at ``path`` into ``app`` (inside an app context).

    :raises ArchiveInvalid: a checksum fails, or the archive is truncated;
        nothing has been changed.
    :raises TargetNotEmpty: the site has content and ``force`` is false.
    :raises BackupError: the backup does not fit this code or database.
    """
    manifest = archive.verify(path)
    schema.check_known(manifest.alembic_revision)
    db.session.remove()
    occupied = existing_content(app)
    if occupied and not force:
        raise TargetNotEmpty(
            "This site is not empty: it has "
            + ", ".join(occupied)
            + ". Restore into an empty site, or add --force to replace everything."
        )
    engine = db.engine
    previous = _content_version(engine)
    native = (
        engine.dialect.name == "sqlite"
        and manifest.database_kind == "sqlite"
        and manifest.native_member == SQLITE_MEMBER
    )
    staging = Staging(Uploads.of(app).folder)
    try:
        with tempfile.TemporaryDirectory(
            prefix=".blog-restore-", dir=app.instance_path
        ) as work:
            database_files = Path(work)

            def destination(member: str) -> Path | None:
                if member.startswith(UPLOADS_PREFIX):
                    return staging.destination(member)
                if member.startswith(TABLES_PREFIX) and not native:
                    return database_files / member
                if member == SQLITE_MEMBER and native:
                    return database_files / member
                return None

            archive.extract(path, manifest, destination)
            if native:
                sqlite.restore(engine, database_files / SQLITE_MEMBER)
                _check_counts(engine, manifest)
                method = "sqlite snapshot"
            else:
                _load_portable(engine, manifest, database_files)
                method = "portable dump"
        restored = staging.commit()
    finally:
        staging.discard()
    upgraded = _upgrade(manifest)
    with engine.begin() as connection:
        # Pages cached before the restore must not be served after it.
        cache_version.restart(connection, above=previous)
    return RestoreResult(
        manifest, method, manifest.total_rows, restored, upgraded, occupied
    )


def _content_version(engine: Engine) -> int:
    """The page cache's content version before the restore (0: none yet)."""
    try:
        with engine.connect() as connection:
            state = cache_version.read(connection)
    except SQLAlchemyError:  # an empty database: no table yet
        return 0
    return state.version if state else 0


def _load_portable(engine: Engine, manifest: Manifest, folder: Path) -> None:
    revision = manifest.alembic_revision
    with engine.connect() as connection:
        current = portable.alembic_revision(connection)
        has_tables = bool(portable.live_tables(connection))
    if not has_tables or (revision is not None and current != revision):
        schema.rebuild(engine, revision)
    entries = [(entry, folder / entry.member) for entry in manifest.tables]
    with engine.begin() as connection:
        portable.check_compatible(connection, manifest.tables)
        portable.defer_constraints(connection)
        portable.empty_tables(connection)
        portable.load(connection, entries)
        if connection.dialect.name == "postgresql":
            postgres.reset_sequences(connection)
    engine.dispose()


def _upgrade(manifest: Manifest) -> str | None:
    """Run this code's newer migrations over a backup from older code."""
    revision = manifest.alembic_revision
    if revision is None:
        return None
    head = schema.code_head()
    if head is None or revision == head:
        return None
    try:
        schema.upgrade("head")
    except Exception as error:
        raise BackupError(
            f"The backup was restored at migration {revision}, but upgrading it "
            f"to {head} failed: {error}. Fix the cause, then run "
            "`flask --app blog db upgrade`."
        ) from error
    return head


def _check_counts(engine: Engine, manifest: Manifest) -> None:
    """:raises BackupError: a restored table lacks the manifest's row count."""
    with engine.connect() as connection:
        counts = portable.row_counts(connection)
    wrong = [
        f"{table.name} has {counts.get(table.name)} rows, not {table.rows}"
        for table in manifest.tables
        if counts.get(table.name) != table.rows
    ]
    if wrong:
        raise BackupError(
            "The restored database differs from the backup: " + "; ".join(wrong)
        )
