"""The portable dump: every table of the live database as JSON Lines, which
any supported database can load (a SQLite site restored onto PostgreSQL).

Tables and columns are read from the database itself (reflection), so a
table added by a later migration is saved without changes here. Values are
read at the database's level (naive UTC timestamps, enum values as text),
and those JSON cannot hold are tagged: ``{"$datetime": "..."}``,
``{"$bytes": "<base64>"}``, ... JSON columns are saved as their JSON text,
which keeps SQL NULL and a JSON ``null`` apart.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import json
import math
import re
import uuid
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    MetaData,
    Table,
    Text,
    cast,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError

from blog.backup.errors import BackupError
from blog.backup.manifest import TABLES_PREFIX, TableEntry
from blog.search.schema import is_index_table

#: Alembic's bookkeeping (the manifest records the revision instead), and
#: the page cache's content version, which belongs to the running site: a
#: restore moves it forward (:func:`blog.site.cache_version.restart`).
SKIPPED_TABLES = frozenset({"alembic_version", "cache_state"})
BATCH = 1000


def live_tables(connection: Connection) -> list[Table]:
    """Every table of the database's current schema, parents before children
    (the search index's FTS5 tables aside: SQLite rebuilds them from
    ``search_documents``)."""
    metadata = MetaData()
    metadata.reflect(bind=connection, only=lambda name, _: not is_index_table(name))
    return [
        table for table in metadata.sorted_tables if table.name not in SKIPPED_TABLES
    ]


def saved_columns(table: Table) -> list[Column[Any]]:
    """The columns a dump holds: all but generated ones (the search index's
    ``tsvector``), which the database computes again on loading."""
    return [column for column in table.columns if column.computed is None]


def row_counts(connection: Connection) -> dict[str, int]:
    """Rows in every table (``alembic_version`` aside)."""
    return {
        table.name: connection.scalar(select(func.count()).select_from(table)) or 0
        for table in live_tables(connection)
    }


def alembic_revision(connection: Connection) -> str | None:
    """The revision recorded in ``alembic_version``, if the database has one.

    :raises BackupError: several heads (the app's history is linear).
    """
    metadata = MetaData()
    metadata.reflect(bind=connection, only=lambda name, _: name == "alembic_version")
    if "alembic_version" not in metadata.tables:
        return None
    version = metadata.tables["alembic_version"]
    revisions = list(connection.scalars(select(version.c.version_num)))
    if len(revisions) > 1:
        raise BackupError(f"The database has several Alembic heads: {revisions}.")
    return revisions[0] if revisions else None


# -- values -----------------------------------------------------------------


def encode(value: Any) -> Any:
    """A database value as JSON (tagged where JSON has no such type).

    :raises BackupError: a type the dump does not know.
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, time):
        return {"$time": value.isoformat()}
    if isinstance(value, timedelta):
        return {"$timedelta": [value.days, value.seconds, value.microseconds]}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, uuid.UUID):
        return {"$uuid": str(value)}
    if isinstance(value, list | tuple):
        return {"$list": [encode(item) for item in value]}
    raise BackupError(f"Cannot save a value of type {type(value).__name__}.")


def decode(value: Any) -> Any:
    """The inverse of :func:`encode`."""
    if not isinstance(value, dict):
        return value
    if len(value) != 1:
        raise BackupError(f"Unexpected value in the dump: {value!r:.80}")
    ((tag, payload),) = value.items()
    match tag:
        case "$float":
            return float(payload)
        case "$datetime":
            return datetime.fromisoformat(payload)
        case "$date":
            return date.fromisoformat(payload)
        case "$time":
            return time.fromisoformat(payload)
        case "$timedelta":
            days, seconds, microseconds = payload
            return timedelta(days=days, seconds=seconds, microseconds=microseconds)
        case "$decimal":
            return Decimal(payload)
        case "$bytes":
            return base64.b64decode(payload)
        case "$uuid":
            return uuid.UUID(payload)
        case "$list":
            return [decode(item) for item in payload]
    raise BackupError(f"Unknown value tag in the dump: {tag!r}")


def decode_json(value: Any) -> Any:
    """A JSON column's saved text as the value to insert (``None``: SQL NULL)."""
    if value is None:
        return None
    parsed = json.loads(value)
    return JSON.NULL if parsed is None else parsed


# -- dumping ----------------------------------------------------------------


def member_name(index: int, table: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", table)
    return f"{TABLES_PREFIX}{index:03d}-{safe}.jsonl"


def dump(connection: Connection, folder: Path) -> list[tuple[TableEntry, Path]]:
    """Write every table to ``folder``, reading through ``connection`` (call
    it inside one snapshot transaction, so that the tables agree)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index, table in enumerate(live_tables(connection), start=1):
        entry = TableEntry(
            name=table.name,
            member=member_name(index, table.name),
            columns=tuple(column.name for column in saved_columns(table)),
            json_columns=tuple(
                column.name for column in saved_columns(table) if _is_json(column)
            ),
            rows=0,
        )
        path = folder / entry.member.removeprefix(TABLES_PREFIX)
        rows = _dump_table(connection, table, path)
        written.append((dataclasses.replace(entry, rows=rows), path))
    return written


def _is_json(column: Column[Any]) -> bool:
    return isinstance(column.type, JSON)


def _dump_table(connection: Connection, table: Table, path: Path) -> int:
    selected = [
        cast(column, Text).label(column.name) if _is_json(column) else column
        for column in saved_columns(table)
    ]
    # Primary-key order: parents come before the rows that refer to them
    # (a reply after its comment), and two dumps of one table agree.
    order = list(table.primary_key.columns) or [
        column for column in saved_columns(table) if not _is_json(column)
    ]
    result = connection.execute(
        select(*selected).order_by(*order).execution_options(yield_per=BATCH)
    )
    rows = 0
    with path.open("w", encoding="utf-8") as out:
        for row in result:
            line = json.dumps(
                [encode(value) for value in row],
                ensure_ascii=False,
                allow_nan=False,
                separators=(",", ":"),
            )
            out.write(line + "\n")
            rows += 1
    return rows


# -- loading ----------------------------------------------------------------


def check_compatible(connection: Connection, entries: tuple[TableEntry, ...]) -> None:
    """Every table and column of the dump exists in the database.

    :raises BackupError: naming what is missing.
    """
    tables = {table.name: table for table in live_tables(connection)}
    missing = []
    for entry in entries:
        table = tables.get(entry.name)
        if table is None:
            missing.append(f"table {entry.name}")
            continue
        missing += [
            f"column {entry.name}.{name}"
            for name in entry.columns
            if name not in table.columns
        ]
    if missing:
        raise BackupError(
            "The backup does not fit this database's schema; it lacks "
            + ", ".join(missing)
            + "."
        )


def empty_tables(connection: Connection) -> None:
    """Delete every row of every table (``alembic_version`` aside)."""
    tables = live_tables(connection)
    if not tables:
        return
    if connection.dialect.name == "postgresql":
        names = ", ".join(_quoted(connection, table) for table in tables)
        connection.execute(text(f"TRUNCATE TABLE {names} RESTART IDENTITY"))
        return
    for table in reversed(tables):
        connection.execute(table.delete())


def _quoted(connection: Connection, table: Table) -> str:
    return connection.dialect.identifier_preparer.format_table(table)


def defer_constraints(connection: Connection) -> None:
    """Check foreign keys at commit, where the database allows it, so rows
    may arrive in any order within the transaction."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")


def load(connection: Connection, entries: list[tuple[TableEntry, Path]]) -> int:
    """Insert the dumped rows, parents first; returns the number of rows.

    :raises BackupError: a row the database refuses (too long for a column
        of PostgreSQL, for example), naming the table; or a table whose rows
        do not add up to the manifest's count.
    """
    tables = {table.name: table for table in live_tables(connection)}
    order = {name: position for position, name in enumerate(tables)}
    total = 0
    for entry, path in sorted(entries, key=lambda item: order[item[0].name]):
        statement = insert(_loader(tables[entry.name], entry))
        loaded = 0
        for batch in _batches(entry, path):
            try:
                connection.execute(statement, batch)
            except DBAPIError as error:
                raise BackupError(
                    f"Could not load table {entry.name}: {error.orig}"
                ) from error
            loaded += len(batch)
        if loaded != entry.rows:
            raise BackupError(
                f"Table {entry.name} has {loaded} rows in the dump, "
                f"but the manifest says {entry.rows}."
            )
        total += loaded
    return total


def _loader(table: Table, entry: TableEntry) -> Table:
    """``table`` with only the dumped columns, JSON ones writing ``None`` as
    SQL NULL (and :data:`JSON.NULL` as JSON ``null``)."""
    columns = []
    for name in entry.columns:
        column_type = table.columns[name].type
        if isinstance(column_type, JSON):
            json_type = copy.copy(column_type)
            json_type.none_as_null = True
            column_type = json_type
        columns.append(Column(name, column_type))
    return Table(table.name, MetaData(), *columns, schema=table.schema)


def _batches(entry: TableEntry, path: Path) -> Iterator[list[dict[str, Any]]]:
    json_columns = set(entry.json_columns)
    batch: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            values = json.loads(line)
            if len(values) != len(entry.columns):
                raise BackupError(
                    f"Row {number} of table {entry.name} has {len(values)} values "
                    f"for {len(entry.columns)} columns."
                )
            batch.append(
                {
                    name: decode_json(value) if name in json_columns else decode(value)
                    for name, value in zip(entry.columns, values, strict=True)
                }
            )
            if len(batch) >= BATCH:
                yield batch
                batch = []
    if batch:
        yield batch
