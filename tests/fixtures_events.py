"""Fixtures for events (``make_event``, ``event_input``)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from PIL import Image

from blog import events
from blog.extensions import db
from blog.media import ImageInput, Uploads
from blog.models import Post, Role, User, utcnow
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
