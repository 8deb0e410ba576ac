"""The database's own full-text index over ``search_documents``, which
differs by database and so is not in the models' metadata:

- SQLite: an FTS5 table (``search_fts``) whose content is
  ``search_documents`` itself (external content), kept by three triggers;
  tokenizer ``porter unicode61 remove_diacritics 2``: "meeting" finds
  "meet", "cafe" finds "café".
- PostgreSQL: a stored generated ``tsvector`` column (``document``: the
  title weighted A over the text weighted B, English stemming) with a GIN
  index.

``create_all`` makes them through DDL events on the table (tests), and
migration 0013 through :func:`install` (real sites). Comparisons of the
models with the database leave them out (:func:`include_object`), and so do
backups (:func:`is_index_table`): the database recomputes them from the
rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table

from blog.database import listen_once

#: The FTS5 table; SQLite adds its shadow tables (``search_fts_data``, ...).
FTS_TABLE = "search_fts"
#: PostgreSQL's generated ``tsvector`` column and its index.
VECTOR_COLUMN = "document"
VECTOR_INDEX = "ix_search_documents_document"
#: The text search configuration PostgreSQL stems with.
PG_CONFIG = "english"

_SQLITE_INSTALL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "title, text, content='search_documents', content_rowid='post_id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    # External content: the index follows the rows through these triggers
    # (a post's deletion cascades to its row, which fires the second).
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, title, text) "
    "VALUES (new.post_id, new.title, new.text); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text) "
    "VALUES ('delete', old.post_id, old.title, old.text); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text) "
    "VALUES ('delete', old.post_id, old.title, old.text); "
    f"INSERT INTO {FTS_TABLE}(rowid, title, text) "
    "VALUES (new.post_id, new.title, new.text); END",
    # Whatever rows are there already (a migration on an existing site).
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)
_SQLITE_UNINSTALL = (
    "DROP TRIGGER IF EXISTS search_documents_ai",
    "DROP TRIGGER IF EXISTS search_documents_ad",
    "DROP TRIGGER IF EXISTS search_documents_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)
_PG_VECTOR = (
    f"setweight(to_tsvector('{PG_CONFIG}'::regconfig, coalesce(title, '')), 'A') || "
    f"setweight(to_tsvector('{PG_CONFIG}'::regconfig, coalesce(text, '')), 'B')"
)
_PG_INSTALL = (
    f"ALTER TABLE search_documents ADD COLUMN {VECTOR_COLUMN} tsvector "
    f"GENERATED ALWAYS AS ({_PG_VECTOR}) STORED",
    f"CREATE INDEX {VECTOR_INDEX} ON search_documents USING gin ({VECTOR_COLUMN})",
)
_PG_UNINSTALL = (
    f"DROP INDEX IF EXISTS {VECTOR_INDEX}",
    f"ALTER TABLE search_documents DROP COLUMN IF EXISTS {VECTOR_COLUMN}",
)


class UnsupportedDatabase(RuntimeError):
    """The engine runs on SQLite and PostgreSQL only (DESIGN.md)."""


def install(connection: Connection) -> None:
    """Make the index over an existing ``search_documents`` table (and index
    the rows it holds)."""
    for statement in _statements(connection, _SQLITE_INSTALL, _PG_INSTALL):
        connection.exec_driver_sql(statement)


def uninstall(connection: Connection) -> None:
    """Drop the index (before ``search_documents`` is dropped: on SQLite
    the FTS5 table would otherwise outlive its content)."""
    for statement in _statements(connection, _SQLITE_UNINSTALL, _PG_UNINSTALL):
        connection.exec_driver_sql(statement)


def _statements(
    connection: Connection, sqlite: tuple[str, ...], postgresql: tuple[str, ...]
) -> tuple[str, ...]:
    name = connection.dialect.name
    if name == "sqlite":
        return sqlite
    if name == "postgresql":
        return postgresql
    raise UnsupportedDatabase(
        f"Full-text search needs SQLite or PostgreSQL; this database is {name}."
    )


def is_index_table(name: str) -> bool:
    """Whether ``name`` is the FTS5 table or one of its shadow tables."""
    return name == FTS_TABLE or name.startswith(f"{FTS_TABLE}_")


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic's ``include_object``: leave the index out of comparisons of
    the models with the database (it is made by :func:`install`)."""
    if type_ == "table":
        return not is_index_table(name or "")
    if type_ == "column":
        table = getattr(obj, "table", None)
        in_documents = getattr(table, "name", None) == "search_documents"
        return not (in_documents and name == VECTOR_COLUMN)
    if type_ == "index":
        return name != VECTOR_INDEX
    return True


def _after_create(table: Table, connection: Connection, **_: Any) -> None:
    install(connection)


def _before_drop(table: Table, connection: Connection, **_: Any) -> None:
    if connection.dialect.name == "sqlite":  # PostgreSQL's goes with the table
        uninstall(connection)


def attach(table: Table) -> None:
    """Make and drop the index with ``table`` (``create_all``/``drop_all``)."""
    listen_once(table, ("after_create", _after_create), ("before_drop", _before_drop))
