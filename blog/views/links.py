"""Public addresses of posts of every kind, in one place."""

from __future__ import annotations

from typing import Any

from flask import url_for

from blog.models import Post, PostKind
from blog.presentation import zone_of
from blog.views.hooks import current_settings


def article_url(post: Post, **kwargs: Any) -> str:
    """``/YYYY/MM/slug/``, dated in the site's time zone."""
    assert post.published_at is not None
    local = post.published_at.astimezone(zone_of(current_settings()))
    return url_for(
        "public.article",
        year=local.year,
        month=f"{local.month:02d}",
        slug=post.slug,
        **kwargs,
    )


def public_url(post: Post, **kwargs: Any) -> str:
    """A post's public address: an article's dated permalink or ``/events/slug/``."""
    if post.kind == PostKind.EVENT:
        return url_for("events.detail", slug=post.slug, **kwargs)
    return article_url(post, **kwargs)
