"""Keeps ``events.last_ends_at`` true on every flush, whoever writes the
event (the editor, a revision restored, the importer, the demo site): the
listings find what is still to come by it, so a row that forgot it would
vanish from them or never leave them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, UOWTransaction

from blog.database import listen_to_sessions
from blog.events.recurrence import series_end
from blog.models import Event, EventOccurrenceChange


def register() -> None:
    """Listen to every Flask-SQLAlchemy session (once per process)."""
    listen_to_sessions(("before_flush", _before_flush))


def _before_flush(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    touched: set[Event] = set()
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, Event) and instance not in session.deleted:
            touched.add(instance)
        elif isinstance(instance, EventOccurrenceChange):
            owner = session.get(Event, instance.event_id) if instance.event_id else None
            if owner is not None and owner not in session.deleted:
                touched.add(owner)
    with session.no_autoflush:
        for event in touched:
            if None in (event.starts_at, event.ends_at):
                continue  # the database will refuse it; nothing to compute
            end = series_end(event)
            if event.last_ends_at != end:
                event.last_ends_at = end
