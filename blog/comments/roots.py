"""``comments.root_id``: the top-level comment each approved reply is shown
under, kept right on every flush so that a page of a thread is read from an
index (:mod:`blog.comments.threads`) instead of from all the post's comments.

Readers see approved comments only. An approved comment whose parent is
approved is shown in its parent's thread; any other approved comment (no
parent, or a parent that is pending, spam, in the trash or deleted) starts
a thread of its own and has no ``root_id``, as has every comment readers do
not see. So ``root_id`` changes when a comment is added approved, when it
or an ancestor enters or leaves the approved status, when its parent
changes, or when an approved ancestor is deleted.

SQLAlchemy session events find these changes whatever service made them:
``before_flush`` notes the replies of approved comments about to be
deleted, ``after_flush`` recomputes the sub-threads of every comment whose
status or parent changed (one recursive query, and an ``UPDATE`` per new
value). Rows written without the ORM (bulk loads, restores of a backup)
carry their own ``root_id``; migration 0012 computed it for older data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, inspect, select, update
from sqlalchemy.orm import Session, UOWTransaction, aliased
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from blog.database import listen_to_sessions
from blog.models import Comment, CommentStatus

_ORPHANS = "comment_roots_orphans"
_WATCHED = ("status", "parent_id", "post_id")


def register() -> None:
    """Listen to every Flask-SQLAlchemy session (once per process)."""
    listen_to_sessions(("before_flush", _before_flush), ("after_flush", _after_flush))


def _before_flush(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    """The replies of approved comments about to be deleted: the database
    sets their ``parent_id`` to NULL, after which nothing leads to them."""
    doomed = [
        c.id
        for c in session.deleted
        if isinstance(c, Comment) and _was_approved(c) and c.id is not None
    ]
    if doomed:
        with session.no_autoflush:
            replies = session.scalars(
                select(Comment.id).where(Comment.parent_id.in_(doomed))
            )
            session.info.setdefault(_ORPHANS, set()).update(replies)


def _was_approved(comment: Comment) -> bool:
    history = inspect(comment).attrs.status.history
    before = [*history.unchanged, *history.deleted]
    return CommentStatus.APPROVED in before or comment.status == CommentStatus.APPROVED


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    changed: set[int] = set(session.info.pop(_ORPHANS, ()))
    for comment in session.new:
        if isinstance(comment, Comment) and comment.status == CommentStatus.APPROVED:
            changed.add(comment.id)
    for comment in session.dirty:
        if isinstance(comment, Comment) and _moved(comment):
            changed.add(comment.id)
    deleted = {c.id for c in session.deleted if isinstance(c, Comment)}
    if changed - deleted:
        updated = recompute(session.connection(), changed - deleted)
        _refresh_loaded(session, updated)


def _moved(comment: Comment) -> bool:
    state = inspect(comment)
    return any(state.attrs[name].history.has_changes() for name in _WATCHED)


@dataclass
class _Row:
    id: int
    parent_id: int | None
    approved: bool
    root_id: int | None


def recompute(connection: Connection, ids: Iterable[int]) -> dict[int, int | None]:
    """Set ``root_id`` right for these comments and everything below them;
    the values that changed, by comment id."""
    rows = _subtrees(connection, list(ids))
    outside = {r.parent_id for r in rows.values() if r.parent_id not in rows} - {None}
    parents = {
        row.id: _Row(row.id, None, row.status == CommentStatus.APPROVED, row.root_id)
        for row in connection.execute(
            select(Comment.id, Comment.status, Comment.root_id).where(
                Comment.id.in_(outside)
            )
        )
    }
    roots: dict[int, int | None] = {}
    for start_row in rows.values():
        chain: list[_Row] = []  # from this comment up to one already known
        seen: set[int] = set()  # a cycle stops the walk
        row: _Row | None = start_row
        while row is not None and row.id not in roots and row.id not in seen:
            chain.append(row)
            seen.add(row.id)
            row = rows.get(row.parent_id) if row.parent_id is not None else None
        for row in reversed(chain):  # parents first
            roots[row.id] = _root(row, rows, parents, roots)
    changes = {r.id: roots[r.id] for r in rows.values() if roots[r.id] != r.root_id}
    by_value: dict[int | None, list[int]] = {}
    for comment_id, value in changes.items():
        by_value.setdefault(value, []).append(comment_id)
    for value, members in by_value.items():
        connection.execute(
            update(Comment).where(Comment.id.in_(members)).values(root_id=value)
        )
    return changes


def _root(
    row: _Row,
    rows: dict[int, _Row],
    parents: dict[int, _Row],
    roots: dict[int, int | None],
) -> int | None:
    """The thread ``row`` shows in, its parent's being known."""
    if not row.approved or row.parent_id is None:
        return None
    parent = rows.get(row.parent_id) or parents.get(row.parent_id)
    if parent is None or not parent.approved:
        return None
    parent_root = roots.get(parent.id) if parent.id in rows else parent.root_id
    return parent_root if parent_root is not None else parent.id


def _subtrees(connection: Connection, ids: list[int]) -> dict[int, _Row]:
    """These comments and all their replies, at any depth (one query)."""
    columns = (Comment.id, Comment.parent_id, Comment.status, Comment.root_id)
    tree = select(*columns).where(Comment.id.in_(ids)).cte("tree", recursive=True)
    below = aliased(Comment, name="below")
    tree = tree.union(
        select(below.id, below.parent_id, below.status, below.root_id).join(
            tree, below.parent_id == tree.c.id
        )
    )
    return {
        row.id: _Row(
            row.id, row.parent_id, row.status == CommentStatus.APPROVED, row.root_id
        )
        for row in connection.execute(select(tree))
    }


def _refresh_loaded(session: Session, changes: dict[int, int | None]) -> None:
    """Loaded comments show their new ``root_id`` (without being changed)."""
    for comment_id, value in changes.items():
        loaded = session.identity_map.get(identity_key(Comment, comment_id))
        if loaded is not None:
            set_committed_value(loaded, "root_id", value)
