"""Fixtures for events (``make_event``, ``make_series``, ``event_input``)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from PIL import Image

from blog import events
from blog.extensions import db
from blog.media import ImageInput, Uploads
from blog.models import (
    Event,
    EventOccurrenceChange,
    MonthlyBy,
    OccurrenceChange,
    Post,
    Repeat,
    Role,
    User,
    utcnow,
)
from blog.posts import publishing


def png_bytes(size: tuple[int, int] = (40, 30), colour: str = "teal") -> bytes:
    """A small real PNG, for uploads."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def event_input(
    title: str = "Talking across borders",
    body: str = "A panel on *dialogue* when official talks stall.",
    *,
    start: str = "2030-03-14 16:00",
    end: str | None = "2030-03-14 17:30",
    timezone: str = "America/New_York",
    all_day: bool = False,
    categories: str = "",
    slug: str = "",
    publish_at: datetime | None = None,
    image: ImageInput | None = None,
    **fields: Any,
) -> events.EventInput:
    """Plain data for :func:`blog.events.save_event`, with local dates as text."""
    start_at = datetime.fromisoformat(start)
    end_at = datetime.fromisoformat(end) if end else None
    return events.EventInput(
        post=publishing.PostInput(
            title=title,
            body=body,
            slug=slug,
            categories=categories,
            publish_at=publish_at,
            image=image or ImageInput(),
        ),
        start_date=start_at.date(),
        start_time=None if all_day else start_at.time(),
        end_date=end_at.date() if end_at else None,
        end_time=None if all_day or end_at is None else end_at.time(),
        timezone=timezone,
        all_day=all_day,
        **fields,
    )


@pytest.fixture
def make_event(app: Flask, make_user: Callable[..., User]) -> Callable[..., Post]:
    """Save an event through the real service; returns the detached post.

    ``people`` and ``sponsors`` take lists of ``PersonInput``/``SponsorInput``;
    other keywords go to :func:`event_input`.
    """

    def make(
        title: str = "Talking across borders",
        *,
        author: User | None = None,
        publish: bool = True,
        **fields: Any,
    ) -> Post:
        author = author or make_user(Role.ADMIN)
        if publish:
            fields.setdefault("publish_at", utcnow() - timedelta(days=1))
        with app.app_context():
            actor = db.session.get(User, author.id)
            post = events.save_event(
                actor,
                event_input(title, **fields),
                action=publishing.SaveAction.PUBLISH
                if publish
                else publishing.SaveAction.DRAFT,
                uploads=Uploads.of(app),
            )
            db.session.refresh(post)
            _ = post.terms, post.author, post.featured_image
            _ = post.event.people, post.event.sponsors, post.event.post
            db.session.expunge_all()
        return post

    return make


@pytest.fixture
def make_series(app: Flask, make_event: Callable[..., Post]) -> Callable[..., Post]:
    """A repeating event: saved by ``make_event`` (its first date), then its
    repeat columns and date changes written directly.

    ``changes`` holds ``(date, "skipped" | "cancelled")`` or
    ``(date, "moved", starts_at, ends_at)`` (UTC) for dates the rule gives.
    Other keywords go to ``make_event``.
    """

    def make(
        title: str = "Weekly seminar",
        *,
        repeat: str = "weekly",
        interval: int = 1,
        weekdays: str = "",
        monthly_by: str = "day",
        until: date | None = None,
        count: int | None = None,
        changes: Iterable[tuple[Any, ...]] = (),
        **fields: Any,
    ) -> Post:
        post = make_event(title, **fields)
        with app.app_context():
            event = db.session.get(Event, post.id)
            assert event is not None
            event.repeat = Repeat(repeat)
            event.repeat_interval = interval
            event.repeat_weekdays = weekdays
            event.repeat_monthly_by = MonthlyBy(monthly_by)
            event.repeat_until = until
            event.repeat_count = count
            for day, kind, *moved in changes:
                starts_at, ends_at = moved or (None, None)
                event.changes.append(
                    EventOccurrenceChange(
                        occurrence_date=day,
                        change=OccurrenceChange(kind),
                        starts_at=starts_at,
                        ends_at=ends_at,
                    )
                )
            db.session.commit()
            stored = db.session.get(Post, post.id)
            assert stored is not None and stored.event is not None
            _ = stored.terms, stored.author, stored.featured_image
            _ = stored.event.people, stored.event.sponsors, stored.event.changes
            db.session.expunge_all()
        return stored

    return make
