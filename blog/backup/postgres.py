"""PostgreSQL: ``pg_dump`` from the backup's own snapshot, and sequences.

The backup reads every table in one ``REPEATABLE READ`` transaction and
exports its snapshot (``pg_export_snapshot``); ``pg_dump --snapshot`` then
sees exactly the same rows as the portable dump. ``pg_dump`` refuses a
server newer than itself, so its version is checked first; without a
suitable one the archive holds the portable dump alone.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.engine import URL


class DumpSkipped(Exception):
    """``pg_dump`` was not run, or failed; the message says why."""


def major_version(version_output: str) -> int | None:
    """``pg_dump (PostgreSQL) 15.20 (Debian ...)`` → 15."""
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", version_output)
    return int(match.group(1)) if match else None


def server_major(connection: Connection) -> int:
    number = int(connection.scalar(text("SHOW server_version_num")) or 0)
    return number // 10000


def find_pg_dump(server: int) -> tuple[str, str]:
    """The ``pg_dump`` on ``PATH`` and its version line.

    :raises DumpSkipped: none found, or older than the server (it would refuse).
    """
    executable = shutil.which("pg_dump")
    if executable is None:
        raise DumpSkipped("pg_dump is not on PATH")
    try:
        completed = subprocess.run(
            [executable, "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise DumpSkipped(f"pg_dump --version failed: {error}") from error
    line = completed.stdout.strip()
    major = major_version(line)
    if major is None:
        raise DumpSkipped(f"cannot read pg_dump's version from {line!r}")
    if major < server:
        raise DumpSkipped(
            f"pg_dump {major} cannot dump a PostgreSQL {server} server; "
            f"install the PostgreSQL {server} client tools"
        )
    return executable, line


def libpq_target(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password, and the environment
    carrying it (``PGPASSWORD``), so it never shows in a process list."""
    plain = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )
    environment = dict(os.environ)
    if url.password is not None:
        environment["PGPASSWORD"] = str(url.password)
    return plain.render_as_string(hide_password=False), environment


def current_schema(connection: Connection) -> str:
    return str(connection.scalar(text("SELECT current_schema()")))


def pg_dump(connection: Connection, url: URL, destination: Path, server: int) -> str:
    """Run ``pg_dump`` (custom format) on ``connection``'s snapshot and schema.

    ``connection`` must be inside a ``REPEATABLE READ`` transaction, which
    stays open while ``pg_dump`` runs. Returns the tool's version line.

    :raises DumpSkipped: no suitable ``pg_dump``, or it failed.
    """
    executable, version = find_pg_dump(server)
    snapshot_id = str(connection.scalar(text("SELECT pg_export_snapshot()")))
    schema = current_schema(connection).replace('"', '""')
    target, environment = libpq_target(url)
    command = [
        executable,
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        f"--snapshot={snapshot_id}",
        f'--schema="{schema}"',
        f"--file={destination}",
        f"--dbname={target}",
    ]
    try:
        completed = subprocess.run(
            command, capture_output=True, text=True, env=environment, check=False
        )
    except OSError as error:
        raise DumpSkipped(f"pg_dump could not start: {error}") from error
    if completed.returncode != 0:
        destination.unlink(missing_ok=True)
        message = completed.stderr.strip().splitlines()
        raise DumpSkipped(
            "pg_dump failed: "
            + (message[0] if message else f"exit {completed.returncode}")
        )
    return version


def reset_sequences(connection: Connection) -> int:
    """Move every sequence owned by a column of the current schema past the
    column's largest value (rows were inserted with their ids). Returns how
    many sequences were set."""
    owned = connection.execute(
        text(
            """
            SELECT quote_ident(c.relname), quote_ident(a.attname), s.seq
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid
                AND a.attnum > 0 AND NOT a.attisdropped
            CROSS JOIN LATERAL (
                SELECT pg_get_serial_sequence(
                    quote_ident(n.nspname) || '.' || quote_ident(c.relname),
                    a.attname
                ) AS seq
            ) s
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
                AND s.seq IS NOT NULL
            """
        )
    ).all()
    for table, column, sequence in owned:
        connection.execute(
            text(
                f"SELECT setval(:sequence, COALESCE(MAX({column}), 1), "
                f"MAX({column}) IS NOT NULL) FROM {table}"
            ),
            {"sequence": sequence},
        )
    return len(owned)
