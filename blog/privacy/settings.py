"""What the privacy tools need to know about the site, read once at the edge
(a view or a command) and passed in: where exports are kept, how to reach
the mail server, the public addresses the mail and the export give, and
the Discussion setting that says whether erasing removes comments' text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.routing import Map

from blog.exporting.links import Addresses
from blog.mail import MailConfig
from blog.models import Post
from blog.site.settings import site_zone

#: Under the instance folder, never under ``static/`` or the uploads: the
#: web server does not serve it; the app sends a file to whoever may have it.
EXPORT_FOLDER = "privacy-exports"


@dataclass(frozen=True)
class PrivacySettings:
    site_title: str
    #: ``SITE_URL`` without its trailing slash (``http://localhost`` if unset).
    site_url: str
    mail: MailConfig
    #: The instance folder; exports live in its ``privacy-exports/``.
    instance_path: Path
    #: The site's time zone (articles' dated permalinks, dates in mail).
    zone: tzinfo
    url_map: Map
    #: The Discussion setting ``privacy_erase_removes_text``.
    erase_removes_text: bool = False

    @classmethod
    def from_app(cls, app: Flask, site: Mapping[str, Any]) -> PrivacySettings:
        """From the app (configuration, URL rules) and the site settings."""
        return cls(
            site_title=" ".join(str(site.get("title") or "").split()),
            site_url=str(app.config.get("SITE_URL") or "http://localhost").rstrip("/"),
            mail=MailConfig.from_config(app.config),
            instance_path=Path(app.instance_path),
            zone=site_zone(site),
            url_map=app.url_map,
            erase_removes_text=bool(site.get("privacy_erase_removes_text")),
        )

    @property
    def export_folder(self) -> Path:
        return self.instance_path / EXPORT_FOLDER

    def link(self, endpoint: str, **values: Any) -> str:
        """An absolute address on ``SITE_URL`` (the same from a command as
        from a request on whatever host)."""
        parts = urlsplit(self.site_url)
        adapter = self.url_map.bind(
            parts.netloc or "localhost",
            script_name=parts.path or "/",
            url_scheme=parts.scheme or "http",
        )
        return adapter.build(endpoint, values, force_external=True)

    def post_url(self, post: Post) -> str:
        """Where readers find ``post`` (its ``/?p=ID`` while it has no date)."""
        return Addresses(self.url_map, self.site_url, self.zone).post(post)
