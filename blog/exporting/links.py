"""Addresses in an export: every post's public address and every upload's,
absolute on the site's address (``SITE_URL``), and the WordPress-style ids
(``/?p=ID``) that stay the same when a slug changes.

Built from the app's own URL rules through a bound
:class:`werkzeug.routing.MapAdapter`, so that a command (no request) and the
dashboard (a request on whatever host) write the same addresses, and an
export never pushes a request context of its own.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any
from urllib.parse import urlsplit

from werkzeug.routing import Map

from blog import dates
from blog.feeds.links import absolute_html, post_guid
from blog.models import Post, PostKind
from blog.pages.paths import page_route, page_segments


class Addresses:
    """The public addresses of one site, at ``site_url``."""

    def __init__(self, url_map: Map, site_url: str, zone: tzinfo) -> None:
        self.site_url = site_url.rstrip("/")
        parts = urlsplit(self.site_url)
        self.zone = zone
        self._adapter = url_map.bind(
            parts.netloc or "localhost",
            script_name=parts.path or "/",
            url_scheme=parts.scheme or "http",
        )

    def _build(self, endpoint: str, **values: Any) -> str:
        return self._adapter.build(endpoint, values, force_external=True)

    def post(self, post: Post) -> str:
        """Where readers find ``post`` (once visible): an article's dated
        permalink, ``/events/slug/``, a page's ``/parent/slug/``; an article
        with no date yet has only its ``/?p=ID``, as in WordPress."""
        if post.kind == PostKind.EVENT:
            return self._build("events.detail", slug=post.slug)
        if post.kind == PostKind.PAGE:
            endpoint, values = page_route(page_segments(post))
            return self._build(endpoint, **values)
        if post.published_at is None:
            return self.guid(post)
        local = dates.to_zone(post.published_at, self.zone)
        return self._build(
            "public.article",
            year=local.year,
            month=f"{local.month:02d}",
            slug=post.slug,
        )

    def guid(self, post: Post) -> str:
        """WordPress's id for a post: ``/?p=ID``, ``/?page_id=ID`` for a page."""
        if post.kind == PostKind.PAGE:
            return f"{self.site_url}/?page_id={post.id}"
        return post_guid(self.site_url, post.id)

    def attachment_page(self, wp_id: int) -> str:
        """An attachment's page in WordPress (``/?attachment_id=ID``)."""
        return f"{self.site_url}/?attachment_id={wp_id}"

    def media(self, filename: str) -> str:
        """An upload's address (``/media/<filename>``)."""
        return self._build("media.file", filename=filename)

    def absolute_html(self, html: str, base: str) -> str:
        """Stored HTML with its ``/media/...`` and other site paths made
        absolute, so that it reads the same on another site (WordPress's
        importer rewrites attachment addresses it finds in bodies)."""
        return absolute_html(html, site_url=self.site_url, base=base)
