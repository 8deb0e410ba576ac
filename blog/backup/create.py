"""Writing a backup: the database snapshot, then the uploads, then the manifest.

The database is captured first. An uploaded file reaches the disk before its
row is committed, so every file a captured row names is already there when
the folder is read afterwards; a file uploaded in between is merely extra.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from flask import Flask

from blog.backup import schema, snapshot, uploads
from blog.backup.archive import ArchiveWriter
from blog.backup.errors import BackupError
from blog.backup.manifest import Manifest
from blog.extensions import db
from blog.media import Uploads


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def default_output(app: Flask, now: datetime) -> Path:
    """``backups/blog-YYYYMMDD-HHMMSS.tar.gz`` (UTC) in the instance folder,
    with a counter if a backup of that second exists."""
    folder = Path(app.instance_path) / "backups"
    stem = f"blog-{now:%Y%m%d-%H%M%S}"
    path = folder / f"{stem}.tar.gz"
    counter = 1
    while path.exists():
        counter += 1
        path = folder / f"{stem}-{counter}.tar.gz"
    return path


def app_version() -> str:
    try:
        return metadata.version("blog")
    except metadata.PackageNotFoundError:
        return "unknown"


def create_backup(app: Flask, output: Path | None = None) -> BackupResult:
    """Write a backup of ``app``'s database and uploads (mode 0600).

    Call inside an application context. ``output`` is replaced if it exists.

    :raises BackupError: the database or a file could not be read.
    """
    now = datetime.now(UTC)
    path = (output or default_output(app, now)).absolute()
    if path.is_dir():
        raise BackupError(f"{path} is a folder; give a file name for the archive.")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder = Uploads.of(app).folder
    db.session.remove()
    # The snapshot holds password hashes: staged in a private (0700) folder
    # beside the archive, never in a shared /tmp.
    with (
        tempfile.TemporaryDirectory(prefix=".blog-backup-", dir=path.parent) as work,
        ArchiveWriter(path) as archive,
    ):
        database = snapshot.take(db.engine, Path(work))
        if database.native_member and database.native_path:
            archive.add_file(database.native_member, database.native_path)
        for entry, dump_file in database.tables:
            archive.add_file(entry.member, dump_file)
        for relative, file in uploads.files(folder):
            try:
                archive.add_file(uploads.member_name(relative), file)
            except FileNotFoundError:
                database.notes.append(
                    f"uploads/{relative} was deleted while the backup ran; "
                    "it is not in the archive."
                )
        manifest = Manifest(
            created_at=now.isoformat().replace("+00:00", "Z"),
            app_version=app_version(),
            database_kind=database.kind,
            server_version=database.server_version,
            alembic_revision=database.alembic_revision,
            code_revision=schema.code_head_if_readable(),
            tables=tuple(entry for entry, _ in database.tables),
            native_member=database.native_member,
            native_tool=database.native_tool,
            notes=tuple(database.notes),
            members=dict(archive.members),
        )
        archive.finish(manifest)
    return BackupResult(path, manifest)
