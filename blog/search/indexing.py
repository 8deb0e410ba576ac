"""Keeping ``search_documents`` right: on every flush that changes what a
post is found by, in the same transaction, and all at once on demand
(``flask --app blog search reindex``, migration 0013).

Changes are found by SQLAlchemy session events, as
:mod:`blog.site.cache_version` finds them, so that every service (articles,
pages, events, imports) is covered without calling anything:
``after_flush`` re-reads each new post and each post whose title, body,
excerpt or terms changed; ``before_flush`` notes the posts of a category or
tag being renamed or deleted. Publishing, unpublishing and the trash change
no document: readers' searches filter by visibility when they run. A
deleted post's document goes with it (``ON DELETE CASCADE``). Bulk SQL
that rewrites posts' text is not seen: ``search reindex`` catches up.

The SQL here names its tables and columns itself (rather than through the
models), so that migration 0013 can run it whatever the models become.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    String,
    Text,
    column,
    delete,
    func,
    insert,
    inspect,
    select,
    table,
)
from sqlalchemy.orm import Session, UOWTransaction

from blog.database import listen_to_sessions
from blog.models import Event, EventPerson, EventSponsor, Post, SearchDocument, Term
from blog.search import schema
from blog.search.text import document_text, without_sentinels

#: Posts read and written per statement.
BATCH = 500
#: A post's attributes its document is made of.
_INDEXED = ("title", "body_html", "excerpt_html", "excerpt_source", "terms")
_PENDING = "search_pending_posts"

_posts = table(
    "posts",
    column("id", Integer),
    column("title", String),
    column("body_html", Text),
    column("excerpt_html", Text),
    column("excerpt_source", Text),
)
_post_terms = table(
    "post_terms", column("post_id", Integer), column("term_id", Integer)
)
_terms = table("terms", column("id", Integer), column("name", String))
_events = table(
    "events",
    column("post_id", Integer),
    column("venue_name", String),
    column("room", String),
    column("venue_address", String),
)
_people = table(
    "event_people",
    column("event_id", Integer),
    column("name", String),
    column("affiliation", String),
)
_sponsors = table("event_sponsors", column("event_id", Integer), column("name", String))
_documents = table(
    "search_documents",
    column("post_id", Integer),
    column("title", String),
    column("text", Text),
)


def reindex(connection: Connection, post_ids: Iterable[int]) -> int:
    """Write the documents of these posts from what the database holds now
    (a post that no longer exists loses its document); returns how many
    were written. Three statements a batch."""
    ids = sorted(set(post_ids))
    written = 0
    for start in range(0, len(ids), BATCH):
        written += _reindex_batch(connection, ids[start : start + BATCH])
    return written


def _reindex_batch(connection: Connection, ids: list[int]) -> int:
    names: dict[int, list[str]] = defaultdict(list)
    for post_id, name in connection.execute(
        select(_post_terms.c.post_id, _terms.c.name)
        .join(_terms, _terms.c.id == _post_terms.c.term_id)
        .where(_post_terms.c.post_id.in_(ids))
    ):
        names[post_id].append(name)
    for words in names.values():
        words.sort(key=str.casefold)
    for post_id, details in _event_details(connection, ids).items():
        names[post_id] += details
    rows = [
        {
            "post_id": post_id,
            "title": without_sentinels(title or ""),
            "text": document_text(
                body_html or "",
                (excerpt_html or "") if excerpt_source else "",
                names[post_id],
            ),
        }
        for post_id, title, body_html, excerpt_html, excerpt_source in (
            connection.execute(
                select(
                    _posts.c.id,
                    _posts.c.title,
                    _posts.c.body_html,
                    _posts.c.excerpt_html,
                    _posts.c.excerpt_source,
                ).where(_posts.c.id.in_(ids))
            )
        )
    ]
    connection.execute(delete(_documents).where(_documents.c.post_id.in_(ids)))
    if rows:
        connection.execute(insert(_documents), rows)
    return len(rows)


def _event_details(connection: Connection, ids: list[int]) -> dict[int, list[str]]:
    """What readers look an event up by besides its text: the venue, the
    speakers and moderators (with their affiliations), the co-sponsors."""
    details: dict[int, list[str]] = defaultdict(list)
    for post_id, *place in connection.execute(
        select(
            _events.c.post_id,
            _events.c.venue_name,
            _events.c.room,
            _events.c.venue_address,
        ).where(_events.c.post_id.in_(ids))
    ):
        details[post_id] += [part for part in place if part]
    for event_id, name, affiliation in connection.execute(
        select(_people.c.event_id, _people.c.name, _people.c.affiliation).where(
            _people.c.event_id.in_(ids)
        )
    ):
        details[event_id] += [part for part in (name, affiliation) if part]
    for event_id, name in connection.execute(
        select(_sponsors.c.event_id, _sponsors.c.name).where(
            _sponsors.c.event_id.in_(ids)
        )
    ):
        details[event_id].append(name)
    return details


def rebuild(connection: Connection) -> int:
    """Index every post again, from nothing; returns how many."""
    connection.execute(delete(_documents))
    total = 0
    last = 0
    while True:
        ids = list(
            connection.scalars(
                select(_posts.c.id)
                .where(_posts.c.id > last)
                .order_by(_posts.c.id)
                .limit(BATCH)
            )
        )
        if not ids:
            break
        total += _reindex_batch(connection, ids)
        last = ids[-1]
    if connection.dialect.name == "sqlite":  # merge the index's segments
        connection.exec_driver_sql(
            f"INSERT INTO {schema.FTS_TABLE}({schema.FTS_TABLE}) VALUES ('optimize')"
        )
    return total


def count(connection: Connection) -> int:
    """How many posts have a document."""
    return int(connection.scalar(select(func.count()).select_from(_documents)) or 0)


# Session events -----------------------------------------------------------------


def register() -> None:
    """Listen to every Flask-SQLAlchemy session, and make the index with the
    table in ``create_all`` (once per process)."""
    schema.attach(SearchDocument.__table__)  # type: ignore[arg-type]
    listen_to_sessions(("before_flush", _before_flush), ("after_flush", _after_flush))


def _before_flush(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    """The posts of categories and tags about to be renamed or deleted (once
    deleted, nothing says which posts carried them)."""
    term_ids = [
        term.id
        for term in (*session.dirty, *session.deleted)
        if isinstance(term, Term)
        and (term in session.deleted or inspect(term).attrs.name.history.has_changes())
    ]
    if term_ids:
        carried = session.connection().scalars(
            select(_post_terms.c.post_id).where(_post_terms.c.term_id.in_(term_ids))
        )
        session.info.setdefault(_PENDING, set()).update(carried)


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    changed: set[int] = set(session.info.pop(_PENDING, ()))
    changed.update(post.id for post in session.new if isinstance(post, Post))
    changed.update(
        post.id
        for post in session.dirty
        if isinstance(post, Post) and _text_changed(post)
    )
    changed.update(post.id for post in session.deleted if isinstance(post, Post))
    changed.update(_events_changed(session))
    if changed:
        reindex(session.connection(), changed)


def _events_changed(session: Session) -> set[int]:
    """The events whose place, people or sponsors were just written."""
    ids: set[int] = set()
    for row in (*session.new, *session.dirty, *session.deleted):
        if isinstance(row, Event):
            ids.add(row.post_id)
        elif isinstance(row, EventPerson | EventSponsor):
            ids.add(row.event_id)
    return ids


def _text_changed(post: Post) -> bool:
    state = inspect(post)
    return any(state.attrs[name].history.has_changes() for name in _INDEXED)
