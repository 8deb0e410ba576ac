"""Taking one consistent picture of the database while the site serves.

SQLite: the online backup API copies the file (one read snapshot); the
portable dump is then read from that copy, so both hold the same rows.
PostgreSQL (and any other database): every table is read in a single
``REPEATABLE READ`` read-only transaction; on PostgreSQL ``pg_dump`` shares
that transaction's snapshot.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, text

from blog.backup import portable, postgres, sqlite
from blog.backup.manifest import DATABASE_PREFIX, TableEntry

SQLITE_MEMBER = f"{DATABASE_PREFIX}blog.sqlite3"
PG_DUMP_MEMBER = f"{DATABASE_PREFIX}postgresql.dump"


@dataclass
class DatabaseSnapshot:
    kind: str
    server_version: str
    alembic_revision: str | None
    tables: list[tuple[TableEntry, Path]]
    native_member: str | None = None
    native_path: Path | None = None
    native_tool: str | None = None
    notes: list[str] = field(default_factory=list)


def take(engine: Engine, folder: Path) -> DatabaseSnapshot:
    """Snapshot the database into ``folder`` (a private temporary folder)."""
    if engine.dialect.name == "sqlite":
        return _sqlite(engine, folder)
    return _transactional(engine, folder)


def _sqlite(engine: Engine, folder: Path) -> DatabaseSnapshot:
    copy = folder / "blog.sqlite3"
    sqlite.snapshot(engine, copy)
    with sqlite.reading(copy) as connection:
        tables = portable.dump(connection, folder / "tables")
        revision = portable.alembic_revision(connection)
    return DatabaseSnapshot(
        kind="sqlite",
        server_version=sqlite3.sqlite_version,
        alembic_revision=revision,
        tables=tables,
        native_member=SQLITE_MEMBER,
        native_path=copy,
        native_tool=sqlite.TOOL,
    )


def _transactional(engine: Engine, folder: Path) -> DatabaseSnapshot:
    postgresql = engine.dialect.name == "postgresql"
    options: dict[str, object] = {"isolation_level": "REPEATABLE READ"}
    if postgresql:
        options["postgresql_readonly"] = True
    with engine.connect() as connection:
        connection.execution_options(**options)
        with connection.begin():
            # The first statement fixes the snapshot that all later ones see.
            server_version = _server_version(connection)
            result = DatabaseSnapshot(
                kind=engine.dialect.name,
                server_version=server_version,
                alembic_revision=portable.alembic_revision(connection),
                tables=[],
            )
            if postgresql:
                _pg_dump(connection, engine, folder, result)
            result.tables = portable.dump(connection, folder / "tables")
    return result


def _server_version(connection: Connection) -> str:
    if connection.dialect.name == "postgresql":
        return str(connection.scalar(text("SHOW server_version")))
    info = connection.dialect.server_version_info
    return ".".join(map(str, info)) if info else "unknown"


def _pg_dump(
    connection: Connection, engine: Engine, folder: Path, result: DatabaseSnapshot
) -> None:
    destination = folder / "postgresql.dump"
    try:
        tool = postgres.pg_dump(
            connection, engine.url, destination, postgres.server_major(connection)
        )
    except postgres.DumpSkipped as skipped:
        result.notes.append(
            f"No pg_dump copy in this archive ({skipped}); the portable dump "
            "holds every table."
        )
        return
    result.native_member = PG_DUMP_MEMBER
    result.native_path = destination
    result.native_tool = tool
