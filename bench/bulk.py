"""Rows in bulk into a database made by the migrations: ``executemany`` on
SQLite, ``COPY`` on PostgreSQL, with the secondary indexes (and unique
constraints) dropped during the load and rebuilt from their own definitions
afterwards, so that the indexes measured are the migrations' own."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, MetaData

DATABASE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DATETIME on SQLite


class Writer:
    """Bulk rows into one database, secondary indexes dropped meanwhile."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.metadata = MetaData()
        self.metadata.reflect(bind=engine)
        self.raw = engine.raw_connection()
        self.saved_indexes: list[str] = []

    def columns(self, table: str) -> list[str]:
        return [c.name for c in self.metadata.tables[table].columns]

    def check(self, table: str, row: dict[str, Any]) -> None:
        """Every NOT NULL column without a server default has a value."""
        missing = [
            c.name for c in self.metadata.tables[table].columns
            if not c.nullable and c.server_default is None and c.name not in row
            and not (c.primary_key and c.autoincrement is True)
        ]  # fmt: skip
        if missing:
            raise SystemExit(f"bigsite: no value for {table}.{', '.join(missing)}")

    def begin(self) -> None:
        cursor = self.raw.cursor()
        if self.dialect == "sqlite":
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-400000")
            cursor.execute("PRAGMA foreign_keys=OFF")
            self.raw.commit()
        else:
            cursor.execute("SET session_replication_role = replica")  # no FK triggers
            cursor.execute("SET maintenance_work_mem = '256MB'")
        for table in ("comments", "posts", "post_terms"):
            self.saved_indexes += self._drop_indexes(cursor, table)
        self.raw.commit()

    def _drop_indexes(self, cursor: Any, table: str) -> list[str]:
        if self.dialect == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type='index'"
                " AND tbl_name=? AND sql IS NOT NULL",
                (table,),
            )
            found = cursor.fetchall()
            for name, _ in found:
                cursor.execute(f'DROP INDEX "{name}"')
            return [sql for _, sql in found]
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(c.oid) FROM pg_constraint c"
            " JOIN pg_class t ON t.oid = c.conrelid"
            " WHERE t.relname = %s AND t.relnamespace = current_schema()::regnamespace"
            " AND c.contype = 'u'",
            (table,),
        )
        constraints = cursor.fetchall()
        for name, _ in constraints:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s"
            " AND schemaname = current_schema() AND indexname NOT LIKE 'pk_%%'",
            (table,),
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        return [
            *(sql for _, sql in indexes),
            *(
                f'ALTER TABLE "{table}" ADD CONSTRAINT "{n}" {d}'
                for n, d in constraints
            ),
        ]

    def insert(self, table: str, rows: Iterable[dict[str, Any]]) -> int:
        columns: list[str] | None = None
        count = 0
        for chunk in _chunks(rows, 20_000):
            if columns is None:
                self.check(table, chunk[0])
                known = set(self.columns(table))
                columns = [c for c in chunk[0] if c in known]
            values = [tuple(self._value(row[c]) for c in columns) for row in chunk]
            self._write(table, columns, values)
            count += len(values)
        return count

    def _value(self, value: Any) -> Any:
        if isinstance(value, datetime):
            naive = value.astimezone(UTC).replace(tzinfo=None)
            return naive.strftime(DATABASE_TIME) if self.dialect == "sqlite" else naive
        if isinstance(value, bool) and self.dialect == "sqlite":
            return int(value)
        return value

    def _write(
        self, table: str, columns: list[str], values: list[tuple[Any, ...]]
    ) -> None:
        names = ", ".join(f'"{c}"' for c in columns)
        cursor = self.raw.cursor()
        if self.dialect == "sqlite":
            marks = ", ".join("?" for _ in columns)
            cursor.executemany(
                f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values
            )
            return
        with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for value in values:
                copy.write_row(value)

    def finish(self) -> None:
        cursor = self.raw.cursor()
        for sql in self.saved_indexes:
            cursor.execute(sql)
        if self.dialect == "postgresql":
            for table in ("users", "terms", "posts", "comments"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f' (SELECT max(id) FROM "{table}"))'
                )
            cursor.execute("SET session_replication_role = DEFAULT")
        self.raw.commit()
        if self.dialect == "postgresql":
            self.raw.driver_connection.autocommit = True  # type: ignore[union-attr]
            self.raw.cursor().execute("VACUUM ANALYZE")
        else:
            cursor.execute("PRAGMA journal_mode=WAL")
        self.raw.close()


def _chunks(rows: Iterable[dict[str, Any]], n: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == n:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
