"""Engine tuning (SQLite for several worker processes) and query helpers
that every feature shares."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

from flask import Flask, g, has_request_context, request
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import ColumnElement, CursorResult, Result, event, false, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import InstrumentedAttribute

#: Requests with these methods write nothing, so they never take the write
#: lock (unless inside :func:`write_intent`).
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_WRITE_INTENT = "sqlite_write_intent"


@contextmanager
def write_intent() -> Iterator[None]:
    """Begin transactions as writers inside a GET request (the few writes a
    read-only request makes, such as a session's last-seen time): on SQLite
    ``BEGIN IMMEDIATE`` waits for the write lock, where a reading
    transaction that then writes fails at once when another has written.
    Start it with no transaction open (commit first)."""
    had = g.get(_WRITE_INTENT, False)
    setattr(g, _WRITE_INTENT, True)
    try:
        yield
    finally:
        setattr(g, _WRITE_INTENT, had)


def configure_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout, ``BEGIN IMMEDIATE`` for writing transactions, and
    a ``lower()`` that folds every letter, as PostgreSQL's does.

    pysqlite's own transaction handling is switched off so that we choose the
    ``BEGIN`` statement: a transaction that will write takes the write lock
    up front (waiting up to the busy timeout) instead of failing with
    ``SQLITE_BUSY`` when it upgrades from reading to writing.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # SQLite's own lower() folds ASCII only; Python's (and PostgreSQL's)
        # fold every letter, and the code compares the two ("Étudiants").
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        reading = (
            has_request_context()
            and request.method in READ_ONLY_METHODS
            and not g.get(_WRITE_INTENT, False)
        )
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def listen_once(target: Any, *listeners: tuple[str, Callable[..., Any]]) -> None:
    """Listen to ``target``'s ``(event, listener)`` pairs, once per process
    however many apps are made (tests make many)."""
    for name, listener in listeners:
        if not event.contains(target, name, listener):
            event.listen(target, name, listener)


def listen_to_sessions(*listeners: tuple[str, Callable[..., Any]]) -> None:
    """Listen to every Flask-SQLAlchemy session (:func:`listen_once`)."""
    listen_once(FlaskSession, *listeners)


def register_engine_events(app: Flask) -> None:
    """Attach dialect-specific tuning once the engine exists."""
    from blog.extensions import db

    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            configure_sqlite(engine)


def like_pattern(words: str) -> str:
    """``%words%`` with ``%``, ``_`` and ``\\`` matched literally (escape ``\\``)."""
    escaped = words.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
    return f"%{escaped}%"


def contains(words: str, *columns: InstrumentedAttribute[str]) -> ColumnElement[bool]:
    """Any of ``columns`` contains ``words`` (case-insensitive, literally)."""
    pattern = like_pattern(words)
    clauses = [column.ilike(pattern, escape="\\") for column in columns]
    return or_(*clauses) if clauses else false()


def rowcount(result: Result[Any]) -> int:
    """Rows an ``UPDATE`` or ``DELETE`` changed."""
    return int(cast(CursorResult[Any], result).rowcount)


def upsert(model: type[Any]) -> postgresql.Insert | sqlite.Insert:
    """An ``INSERT`` into ``model``'s table that can say ``ON CONFLICT``, for
    the database in use (both dialects spell it the same way)."""
    from blog.extensions import db

    if db.session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)
