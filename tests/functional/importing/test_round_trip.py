"""A site exported to WordPress's format and imported into an empty site
comes back the same: posts (articles, pages, events) with their statuses,
Markdown and terms, comments by status and thread, terms with parents,
users, and the library's images."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from blog import create_app
from blog.accounts.users import create_user
from blog.events import repetition_data
from blog.extensions import db
from blog.models import Comment, Media, Post, Term, User, utcnow
from tests.functional.importing.helpers import run_import
from tests.functional.test_export import Site, site, wxr_of

__all__ = ["site"]  # the exporter's test site, used as a fixture here


@pytest.fixture
def empty_site(tmp_path: Path) -> Iterator[Flask]:
    """A second, empty site (SQLite in its own folder, whatever the first uses)."""
    folder = tmp_path / "second"
    os.environ["BLOG_INSTANCE_PATH"] = str(folder / "instance")
    try:
        second = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "second-site-secret-key",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'blog.sqlite3'}",
                "SITE_URL": "http://localhost",
                "AKISMET_API_KEY": "",
                "MAIL_SERVER": "",
                "RATELIMIT_ENABLED": False,
            }
        )
    finally:
        del os.environ["BLOG_INSTANCE_PATH"]
    folder.mkdir(exist_ok=True)
    with second.app_context():
        db.create_all()
        # Set up by its owner, who is also the exported site's admin.
        create_user("ada", "ada@example.org", "a-long-password-1", "admin", "Ada Admin")
        db.session.commit()
    yield second
    with second.app_context():
        db.session.remove()
        db.engine.dispose()


def _posts() -> set[tuple[Any, ...]]:
    now = utcnow()
    return {
        (
            p.kind.value,
            p.title,
            p.slug,
            p.status.value,
            p.is_visible(now),
            p.published_at.replace(microsecond=0) if p.published_at else None,
            p.body_source,
            p.excerpt_source,
            p.sticky,
            p.author.username,
            p.parent.slug if p.parent else None,
            p.menu_order,
            tuple(sorted((t.taxonomy.value, t.name) for t in p.terms)),
            p.featured_image_alt,
            p.featured_image is not None,
        )
        for p in db.session.scalars(select(Post))
    }


def _events() -> set[tuple[Any, ...]]:
    return {
        (
            p.title,
            p.event.starts_at,
            p.event.ends_at,
            p.event.timezone,
            p.event.venue_name,
            p.event.room,
            p.event.contact_email,
            tuple((x.role.value, x.name, x.affiliation) for x in p.event.people),
            tuple((s.name, s.url) for s in p.event.sponsors),
            json.dumps(repetition_data.to_data(p.event), sort_keys=True),
            p.event.last_ends_at,
        )
        for p in db.session.scalars(select(Post).where(Post.kind == "event"))
        if p.event is not None
    }


def _comments() -> set[tuple[Any, ...]]:
    comments = db.session.scalars(select(Comment)).all()
    bodies = {c.id: c.body_source for c in comments}
    return {
        (
            c.post.title,
            c.status.value,
            c.kind.value,
            c.author_name,
            c.author_email,
            c.body_source,
            bodies.get(c.parent_id) if c.parent_id else None,
            c.user.username if c.user else None,
            c.submitted_at.replace(microsecond=0),
        )
        for c in comments
    }


def _terms() -> set[tuple[Any, ...]]:
    return {
        (
            t.taxonomy.value,
            t.name,
            t.slug,
            t.description,
            t.parent.slug if t.parent else None,
        )
        for t in db.session.scalars(select(Term))
    }


def _users() -> set[tuple[str, str, str]]:
    return {
        (u.username, u.email, u.display_name) for u in db.session.scalars(select(User))
    }


def _census() -> dict[str, Any]:
    return {
        "posts": _posts(),
        "events": _events(),
        "comments": _comments(),
        "terms": _terms(),
        "users": _users(),
        "images": sorted(
            (m.alt_text, m.width, m.height) for m in db.session.scalars(select(Media))
        ),
    }


def test_export_then_import_into_an_empty_site_gives_the_same_site(
    app: Flask, site: Site, empty_site: Flask, tmp_path: Path
) -> None:
    export = tmp_path / "export.xml"
    export.write_text(wxr_of(app), encoding="utf-8")
    with app.app_context():
        before = _census()
    uploads = Path(app.instance_path) / "uploads"

    summary = run_import(empty_site, path=export, uploads_dir=uploads)

    assert not summary.failures, summary.failures
    assert not summary.missing_files
    with empty_site.app_context():
        after = _census()
    for part in before:
        assert after[part] == before[part], part
    # Seconds only: WXR dates have no fractions. Everything else is exact.
    assert len(after["comments"]) == 6
    assert after["events"]
