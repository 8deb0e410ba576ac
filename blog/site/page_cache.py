"""The application's page cache: finished public pages, kept per content
version, for anonymous readers.

A page is stored under the content version (:mod:`blog.site.cache_version`)
it was made at, and the time bucket (``CACHE_PAGE_SECONDS`` long) it was
made in. Any change to what pages show bumps the version, so the next
request looks under a new key and never finds a stale page; the bucket
bounds how long the few time-dependent bits of a page (a date stamp in a
calendar file, "comments close after N days") can lag.

Flask-Caching keeps the pages: in the worker's memory (``SimpleCache``) by
default, in Redis when ``CACHE_REDIS_URL`` is set, so that several workers
and servers share one copy. A cache that fails (Redis down) is skipped: the
page is made as if nothing were cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app
from flask_caching import Cache

from blog.site.cache_version import ContentVersion

cache = Cache()

#: Headers a stored page does not keep (made again for each response).
UNSTORED_HEADERS = frozenset({"content-length", "date", "set-cookie"})


@dataclass(frozen=True)
class StoredPage:
    """A finished 200 response, as stored."""

    body: bytes
    headers: tuple[tuple[str, str], ...]
    #: The comment forms' signed timestamps in ``body``, with their post ids:
    #: each response gets fresh ones (:func:`blog.comments.checks.form_token`).
    form_tokens: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Validators:
    """What the page at a content version and time bucket is known by."""

    version: int
    bucket: int
    last_modified: datetime

    @property
    def etag(self) -> str:
        """The (weak) entity tag's value, without ``W/`` and quotes."""
        return f"{self.version}-{self.bucket}"


def configure(app: Flask) -> None:
    """Bind the cache to ``app``: Redis when ``CACHE_REDIS_URL`` is set."""
    redis_url = str(app.config.get("CACHE_REDIS_URL") or "")
    config: dict[str, Any] = {
        "CACHE_TYPE": "SimpleCache",
        "CACHE_DEFAULT_TIMEOUT": int(app.config["CACHE_PAGE_SECONDS"]),
        "CACHE_KEY_PREFIX": str(app.config.get("CACHE_KEY_PREFIX") or "blog-page:"),
    }
    if redis_url:
        config["CACHE_TYPE"] = "RedisCache"
        # A slow or absent Redis must not hold a reader up for long.
        config["CACHE_OPTIONS"] = {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}
    cache.init_app(app, config=config)


def enabled() -> bool:
    return bool(current_app.config["CACHE_PAGES"])


def page_seconds() -> int:
    return max(1, int(current_app.config["CACHE_PAGE_SECONDS"]))


def validators(state: ContentVersion, now: datetime) -> Validators:
    """The validators of every page at ``state`` and ``now``.

    ``Last-Modified`` is the later of the last change and the start of the
    time bucket (whole seconds, as HTTP dates are): a page older than the
    bucket may lag its time-dependent bits, so it is not "unmodified".
    """
    seconds = page_seconds()
    bucket = int(now.timestamp()) // seconds
    started = datetime.fromtimestamp(bucket * seconds, UTC)
    changed = state.changed_at.replace(microsecond=0)
    return Validators(state.version, bucket, max(changed, started))


def key(marks: Validators, url: str) -> str:
    """The cache key of ``url`` (scheme, host, path and query) at ``marks``."""
    return f"{marks.version}:{marks.bucket}:{url}"


def load(page_key: str) -> StoredPage | None:
    """The stored page, or ``None`` (also when the cache cannot answer)."""
    try:
        page = cache.get(page_key)
    except Exception:  # noqa: BLE001 - a broken cache must not break reading
        current_app.logger.warning("Page cache unavailable", exc_info=True)
        return None
    return page if isinstance(page, StoredPage) else None


def save(page_key: str, page: StoredPage, now: datetime) -> None:
    """Keep ``page`` until its time bucket ends."""
    seconds = page_seconds()
    left = seconds - int(now.timestamp()) % seconds
    try:
        cache.set(page_key, page, timeout=left + 1)
    except Exception:  # noqa: BLE001 - a broken cache must not break reading
        current_app.logger.warning("Page cache unavailable", exc_info=True)
