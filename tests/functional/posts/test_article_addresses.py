"""An article's address is built once per request and query arguments are
added to it (blog.views.context.article_url): every result must be what
``url_for`` itself gives."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask, url_for

from blog.extensions import db
from blog.models import Post
from blog.site.settings import save_settings
from blog.views.context import article_url, current_zone


def _url_for(post: Post, **kwargs: Any) -> str:
    assert post.published_at is not None
    local = post.published_at.astimezone(current_zone())
    return url_for(
        "public.article",
        year=local.year,
        month=f"{local.month:02d}",
        slug=post.slug,
        **kwargs,
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"replytocom": 5},
        {"cpage": 2},
        {"cpage": 3, "replytocom": 17},
        {"q": "a b&c=d/é?!"},
        {"cpage": None},
        {"replytocom": 4, "_anchor": "respond"},
        {"_external": True},
    ],
)
def test_same_address_as_url_for(
    app: Flask, make_post: Callable[..., Post], kwargs: dict[str, Any]
) -> None:
    post = make_post("Addresses & such")
    with app.test_request_context("/"):
        post = db.session.merge(post)
        assert article_url(post) == _url_for(post)  # remembered from here on
        assert article_url(post, **kwargs) == _url_for(post, **kwargs)


def test_a_changed_post_gets_its_new_address(
    app: Flask, make_post: Callable[..., Post]
) -> None:
    post = make_post("Before")
    with app.test_request_context("/"):
        post = db.session.merge(post)
        before = article_url(post, replytocom=1)
        post.slug = "after"
        assert post.published_at is not None
        post.published_at -= timedelta(days=40)
        after = article_url(post, replytocom=1)
        assert after != before
        assert after == _url_for(post, replytocom=1)
        db.session.rollback()


def test_the_site_zone_dates_the_address(
    app: Flask, make_post: Callable[..., Post]
) -> None:
    post = make_post("Midnight")
    with app.app_context():
        stored = db.session.get(Post, post.id)
        assert stored is not None
        stored.published_at = stored.published_at.replace(  # type: ignore[union-attr]
            day=1, hour=2, minute=0
        )
        save_settings({"timezone": "America/New_York"})
        db.session.commit()
    with app.test_request_context("/"):
        post = db.session.get(Post, post.id)  # type: ignore[assignment]
        assert post.published_at is not None
        month_before = (post.published_at.month - 2) % 12 + 1
        assert f"/{month_before:02d}/midnight/" in article_url(post)
        assert article_url(post) == _url_for(post)
