"""The content version: one number that goes up with every change a public
page can show, in the same transaction as the change.

Cached pages are keyed by it and their ``ETag`` carries it, so a reader
sees an approved comment, a published post or a new setting on the very
next request. It lives in the database (``cache_state``), so every worker
and every server agrees on it.

Changes are found by SQLAlchemy session events rather than by calls in
each service, so that a new feature cannot forget one: ``after_flush``
notes whether a flushed row can show on a public page, ``do_orm_execute``
notes bulk ``UPDATE``/``DELETE``/``INSERT`` statements, and
``before_commit`` runs one ``UPSERT`` of the version when something was
noted. Rows that never show publicly (sessions, login throttles, audit
logs, the outbox, autosaves, ...) are listed in :data:`PRIVATE_TABLES`; a
comment counts only when it is, or was, approved, a post only when it is,
or was, published (scheduled included).

Some pages change by the clock alone: a scheduled post comes due, an event
starts or ends. Each bump records the next such time (``next_due``); the
first read past it bumps the version (:func:`current`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import has_request_context
from sqlalchemy import Connection, TextClause, func, inspect, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.sql.selectable import ScalarSelect

from blog.database import listen_to_sessions, write_intent
from blog.extensions import db
from blog.models import (
    CacheState,
    Comment,
    CommentStatus,
    Event,
    EventOccurrenceChange,
    Post,
    PostKind,
    PostStatus,
    Repeat,
    utcnow,
)

#: Tables whose rows never show on a public page: writing them bumps nothing.
PRIVATE_TABLES = frozenset(
    {
        "account_events",
        "account_tokens",
        "cache_state",
        "circuit_breakers",
        "comment_log_entries",
        "comment_subscriptions",
        "login_throttles",
        "media_uses",
        "outbox_messages",
        "post_autosaves",
        "post_editors",
        "post_revisions",
        "privacy_log_entries",
        "privacy_requests",
        "recovery_codes",
        "spam_daily_counts",
        "user_sessions",
    }
)

#: Columns of public tables that no public page shows: a row whose changes
#: are all among these bumps nothing (a login, Akismet's verdict, a sent
#: notification).
PRIVATE_COLUMNS: dict[str, frozenset[str]] = {
    # (Emails are not private here: pages show avatars drawn from them.)
    "users": frozenset(
        {
            "keyboard_shortcuts",
            "password_hash",
            "last_login_at",
            "password_changed_at",
            "totp_secret",
            "totp_last_step",
        }
    ),
    "comments": frozenset(
        {
            "announced_at",
            "author_ip",
            "author_user_agent",
            "spam_check",
            "content_hash",
            "token",
            "submitted",
            "notification_pending",
        }
    ),
}

#: Models shown only in one status: a change counts when the row is, or
#: was, in it.
SHOWN_STATUS: dict[type[Any], str] = {
    Comment: CommentStatus.APPROVED,
    Post: PostStatus.PUBLISHED,
}

_CHANGED = "blog_public_content_changed"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ContentVersion:
    """What ``cache_state`` says: the version, when it last changed, and the
    next time pages change by the clock alone."""

    version: int
    changed_at: datetime
    next_due: datetime | None = None

    def due(self, now: datetime) -> bool:
        return self.next_due is not None and self.next_due <= now


# Reading ----------------------------------------------------------------------

_table = CacheState.__table__
_READ = select(_table.c.version, _table.c.changed_at, _table.c.next_due).where(
    _table.c.id == 1
)


def read(connection: Connection) -> ContentVersion | None:
    """The stored state (``None`` when the row is missing); one ``SELECT``."""
    row = connection.execute(_READ).first()
    if row is None:
        return None
    return ContentVersion(row[0], row[1] or _EPOCH, row[2])


#: The same ``SELECT`` for a pooled DBAPI connection (see :func:`peek`).
_PEEK_SQL = "SELECT version, changed_at, next_due FROM cache_state WHERE id = 1"


def peek() -> ContentVersion | None:
    """The stored state, read on a pooled DBAPI connection of its own.

    The page cache's hit path does nothing else with the database, and
    going through the ORM session (a transaction, its events, closing it)
    cost a sixth of a cached response (``make bench-profile``). A single
    ``SELECT`` in autocommit reads the latest committed version.
    """
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        try:
            cursor.execute(_PEEK_SQL)
            row = cursor.fetchone()
        finally:
            cursor.close()
    finally:
        raw.close()  # back to the pool (which rolls back whatever was open)
    if row is None:
        return None
    return ContentVersion(int(row[0]), _utc(row[1]) or _EPOCH, _utc(row[2]))


def _utc(value: datetime | str | None) -> datetime | None:
    """A stored naive UTC time (SQLite gives text) as an aware one."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC)


def current(now: datetime | None = None) -> ContentVersion:
    """The version pages are cached under now.

    Usually one ``SELECT`` (:func:`peek`). Past ``next_due`` (a scheduled post has come
    due) it first bumps the version, optimistically: of several readers
    arriving together, one bump wins and the others read its result. The
    session's transaction is ended first (on SQLite a reading transaction
    cannot start writing once another has written), so call it before the
    request has used its session (:mod:`blog.views.caching` does, in a
    ``before_request`` hook).
    """
    now = now or utcnow()
    state = peek()
    if state is not None and not state.due(now):
        return state
    db.session.rollback()
    with _writing():
        connection = db.session.connection()
        if state is None:
            bump(connection, now)
        else:
            connection.execute(
                update(CacheState)
                .where(CacheState.id == 1, CacheState.version == state.version)
                .values(
                    version=CacheState.version + 1,
                    changed_at=now,
                    next_due=next_due(connection, now),
                )
            )
        db.session.commit()
    return read(db.session.connection()) or ContentVersion(0, _EPOCH)


@contextmanager
def _writing() -> Iterator[None]:
    with write_intent() if has_request_context() else nullcontext():
        yield


# Bumping ----------------------------------------------------------------------


def next_due(connection: Connection, now: datetime) -> datetime | None:
    """The next time a public page changes with no write: the earliest
    future publication of a scheduled post (of any kind), start or end of
    an event. One ``SELECT`` of index seeks."""
    candidates: list[ScalarSelect[Any]] = [
        select(func.min(Post.published_at))
        .where(
            Post.kind == kind,
            Post.status == PostStatus.PUBLISHED,
            Post.published_at > now,
        )
        .scalar_subquery()
        for kind in PostKind
    ]
    candidates += [
        select(func.min(Event.starts_at))
        .where(Event.starts_at > now)
        .scalar_subquery(),
        select(func.min(Event.ends_at)).where(Event.ends_at > now).scalar_subquery(),
    ]
    row = connection.execute(select(*candidates)).one()
    times = [moment for moment in row if moment is not None]
    times += _series_changes(connection, now)
    return min(times) if times else None


def _series_changes(connection: Connection, now: datetime) -> list[datetime]:
    """The next start or end of each repeating event still running: their
    later dates are computed (:mod:`blog.events.recurrence`), not stored, so
    no index knows them. One query for the series, one for their changes."""
    from blog.events import recurrence  # the events package imports this one

    rows = connection.execute(
        select(Event.__table__).where(
            Event.repeat != Repeat.NONE,
            or_(Event.last_ends_at.is_(None), Event.last_ends_at > now),
        )
    ).mappings()
    series = {row["post_id"]: Event(**row) for row in rows}
    if not series:
        return []
    for event in series.values():
        event.changes = []
    changes = connection.execute(
        select(EventOccurrenceChange.__table__).where(
            EventOccurrenceChange.event_id.in_(series)
        )
    ).mappings()
    for change in changes:
        series[change["event_id"]].changes.append(EventOccurrenceChange(**change))
    found = []
    for post_id, event in series.items():
        moment = recurrence.next_change(Post(id=post_id, event=event), now)
        if moment is not None:
            found.append(moment)
    return found


def bump(connection: Connection, now: datetime | None = None) -> None:
    """Add one to the version (creating the row if it is missing) and record
    the next due time, in ``connection``'s transaction."""
    now = now or utcnow()
    values = {"changed_at": now, "next_due": next_due(connection, now)}
    dialect = connection.dialect.name
    if dialect not in ("sqlite", "postgresql"):  # pragma: no cover
        connection.execute(
            update(CacheState)
            .where(CacheState.id == 1)
            .values(version=CacheState.version + 1, **values)
        )
        return
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(CacheState).values(id=1, version=1, **values)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[CacheState.id],
            set_={"version": _table.c.version + 1, **values},
        )
    )


def restart(connection: Connection, above: int) -> None:
    """After a restore: a version above both the restored one and ``above``
    (the one before), so no page cached before the restore is served."""
    state = read(connection)
    bump(connection)
    floor = max(above, state.version if state else 0) + 1
    connection.execute(
        update(CacheState)
        .where(CacheState.id == 1, CacheState.version < floor)
        .values(version=floor)
    )


def mark_changed(session: Session | None = None) -> None:
    """Bump the version when ``session`` commits (for writes the events
    cannot see, such as SQL run on the session's connection)."""
    (session or db.session()).info[_CHANGED] = True


# Session events -----------------------------------------------------------------


def register() -> None:
    """Listen to every Flask-SQLAlchemy session (once per process)."""
    listen_to_sessions(
        ("after_flush", _after_flush),
        ("do_orm_execute", _on_execute),
        ("before_commit", _before_commit),
        ("after_commit", _forget),
        ("after_rollback", _forget),
    )


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    if session.info.get(_CHANGED):
        return
    rows = (
        [(row, "new") for row in session.new]
        + [(row, "dirty") for row in session.dirty]
        + [(row, "deleted") for row in session.deleted]
    )
    if any(_shows(row, change) for row, change in rows):
        session.info[_CHANGED] = True


def _shows(row: Any, change: str) -> bool:
    """Whether this flushed change can alter a public page."""
    table = getattr(row, "__tablename__", None)
    if table is None or table in PRIVATE_TABLES:
        return False
    shown = SHOWN_STATUS.get(type(row))
    if shown is not None:
        return _shown_row_changed(row, change, shown)
    if change == "dirty":
        return bool(_changed_public_attributes(row))
    return True


def _shown_row_changed(row: Any, change: str, shown: str) -> bool:
    """A post or comment counts only in its public status: one appears,
    changes or leaves (a draft's save, a pending comment's spam check
    change nothing readers see)."""
    was, now = _statuses(row)
    if change == "new":
        return now == shown
    if change == "deleted":
        return was in (shown, None)
    if None not in (was, now) and shown not in (was, now):
        return False
    return bool(_changed_public_attributes(row))


def _statuses(row: Any) -> tuple[str | None, str | None]:
    """The row's status before this flush and after (``None``: unknown, such
    as an expired attribute, which counts as public)."""
    history = inspect(row).attrs.status.history
    after = history.added[0] if history.added else None
    before = history.deleted[0] if history.deleted else None
    if history.unchanged:
        before = after = history.unchanged[0]
    return before, after


def _changed_public_attributes(row: Any) -> list[str]:
    """Mapped attributes changed on ``row`` that a public page may show."""
    state = inspect(row)
    hidden = PRIVATE_COLUMNS.get(row.__tablename__, frozenset())
    return [
        key
        for key in state.mapper.attrs.keys()
        if key not in hidden and state.attrs[key].history.has_changes()
    ]


def _on_execute(execute_state: ORMExecuteState) -> None:
    """Bulk statements through the session (``update(Post)...``)."""
    session = execute_state.session
    if session.info.get(_CHANGED):
        return
    statement = execute_state.statement
    if execute_state.is_update or execute_state.is_delete or execute_state.is_insert:
        table = getattr(getattr(statement, "table", None), "name", None)
        if table not in PRIVATE_TABLES:
            session.info[_CHANGED] = True
    elif isinstance(statement, TextClause):
        if statement.text.lstrip().upper().startswith(_WRITES):
            session.info[_CHANGED] = True


def _before_commit(session: Session) -> None:
    session.flush()  # commit flushes after this hook: see the last changes now
    if session.info.pop(_CHANGED, False):
        bump(session.connection())


def _forget(session: Session) -> None:
    session.info.pop(_CHANGED, None)
