"""Fixtures for static pages (``make_page``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from blog.extensions import db
from blog.models import Post, Role, User
from blog.pages import PageInput, reserved_words, save_page
from blog.posts.publishing import SaveAction


@pytest.fixture
def make_page(app: Flask, make_user: Callable[..., User]) -> Callable[..., Post]:
    """Save a page through the real service; returns the detached page.

    ``parent`` takes a page made before; other keywords go to ``PageInput``.
    """

    def make(
        title: str = "About",
        body: str = "Who we are.",
        *,
        author: User | None = None,
        publish: bool = True,
        parent: Post | None = None,
        **fields: Any,
    ) -> Post:
        author = author or make_user(Role.EDITOR)
        with app.app_context():
            page = save_page(
                db.session.get(User, author.id),
                PageInput(
                    title=title,
                    body=body,
                    parent_id=parent.id if parent else None,
                    **fields,
                ),
                action=SaveAction.PUBLISH if publish else SaveAction.DRAFT,
                reserved=reserved_words(app.url_map),
            )
            db.session.refresh(page)
            _ = page.parent, page.author, page.featured_image
            db.session.expunge_all()
        return page

    return make
