"""Pages a cache can keep: which views (``@cacheable``), for whom (anonymous
readers: no session, remember-me or comment-author cookie), and the hooks
that answer from the page cache, answer ``304``, and store what was made.

A cacheable page for an anonymous reader gets a weak ``ETag`` (content
version and time bucket), ``Last-Modified``, and
``Cache-Control: public, max-age=0, s-maxage=CACHE_SHARED_SECONDS``:
browsers ask again each time (a ``304`` when nothing changed), shared
caches such as nginx keep it a few seconds then ask the same way. Anyone
with one of those cookies gets the page made for them, as before, and it is
never stored.

The hit path is kept short for throughput: one ``SELECT`` of the content
version, one cache read, no user loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from flask import Flask, current_app, g, request, session
from flask.typing import ResponseReturnValue
from flask.wrappers import Response

from blog.comments.checks import form_token
from blog.models import utcnow
from blog.site import cache_version, page_cache
from blog.site.page_cache import StoredPage, Validators

ViewT = TypeVar("ViewT", bound=Callable[..., ResponseReturnValue])

#: The cookie that remembers a commenter's name (blog.views.comments).
COMMENT_AUTHOR_COOKIE = "comment_author"
_CACHEABLE = "page_cacheable"
_PAGE = "page_request"
_SERVED = "page_served_from_cache"
_TOKENS = "page_form_tokens"


def cacheable(view: ViewT) -> ViewT:
    """Mark a public view whose page is the same for every anonymous reader
    (no per-person content, no cookie set)."""
    setattr(view, _CACHEABLE, True)
    return view


@dataclass(frozen=True)
class PageRequest:
    """An anonymous request for a cacheable page: its validators and key."""

    marks: Validators
    key: str
    now: datetime


def anonymous_page() -> bool:
    """Whether this request is an anonymous reader's, for a cacheable page."""
    return g.get(_PAGE) is not None


def note_form_token(token: str, post_id: int) -> None:
    """The comment form's signed timestamp went into the page: a stored copy
    gets a fresh one on each response."""
    g.setdefault(_TOKENS, []).append((token, post_id))


def register(app: Flask) -> None:
    """The session events that bump the version, the cache, and the hooks.

    Register before the other ``after_request`` hooks: Flask runs those in
    reverse, so :func:`_finish` sees the headers they set.
    """
    cache_version.register()
    page_cache.configure(app)
    app.before_request(_serve)
    app.after_request(_finish)


def _anonymous() -> bool:
    config = current_app.config
    cookies = request.cookies
    names = (
        config["SESSION_COOKIE_NAME"],
        config.get("REMEMBER_COOKIE_NAME", "remember_token"),
        COMMENT_AUTHOR_COOKIE,
    )
    return not any(name in cookies for name in names) and (
        "Authorization" not in request.headers
    )


def _cacheable_view() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, _CACHEABLE, False))


def _serve() -> ResponseReturnValue | None:
    """Before the view: ``304``, or the stored page, or nothing (render)."""
    if request.method not in ("GET", "HEAD") or not _cacheable_view():
        return None
    if not _anonymous():
        return None
    now = utcnow()
    marks = page_cache.validators(cache_version.current(now), now)
    url = f"{request.scheme}://{request.host}{request.full_path}"
    page = PageRequest(marks, page_cache.key(marks, url), now)
    setattr(g, _PAGE, page)
    if _unmodified(marks):
        return _not_modified(marks)
    if not page_cache.enabled():
        return None
    stored = page_cache.load(page.key)
    if stored is None:
        return None
    setattr(g, _SERVED, True)
    return _replay(stored)


def _unmodified(marks: Validators) -> bool:
    """The reader's copy is current (``If-None-Match`` wins when both are sent)."""
    if request.if_none_match:
        return request.if_none_match.contains_weak(marks.etag)
    since = request.if_modified_since
    return since is not None and since >= marks.last_modified


def _not_modified(marks: Validators) -> Response:
    response = current_app.response_class(status=304)
    _mark(response, marks)
    return response


def _replay(stored: StoredPage) -> Response:
    """The stored page, with fresh comment-form timestamps."""
    body = stored.body
    secret = current_app.config["SECRET_KEY"]
    for token, post_id in stored.form_tokens:
        body = body.replace(token.encode(), form_token(secret, post_id).encode())
    return current_app.response_class(body, status=200, headers=list(stored.headers))


def _mark(response: Response, marks: Validators) -> None:
    """The validators and the public ``Cache-Control`` (unless the view chose
    its own)."""
    response.set_etag(marks.etag, weak=True)
    response.last_modified = marks.last_modified
    if "Cache-Control" not in response.headers:
        shared = int(current_app.config["CACHE_SHARED_SECONDS"])
        response.headers["Cache-Control"] = f"public, max-age=0, s-maxage={shared}"
    response.vary.add("Cookie")


def _finish(response: Response) -> Response:
    """After the view: mark a page fit for every reader, and store it."""
    page: PageRequest | None = g.get(_PAGE)
    if page is None:
        if _cacheable_view() and "Cache-Control" not in response.headers:
            # Made for someone with a cookie (a session that has ended, a
            # message waiting to be shown): theirs alone, like a staff page.
            response.headers["Cache-Control"] = "private, no-store"
        return response
    if g.get(_SERVED) or response.status_code != 200:
        return response
    if not _public(response):
        return response
    _mark(response, page.marks)
    if page_cache.enabled() and not (
        response.is_streamed or response.direct_passthrough
    ):
        page_cache.save(page.key, _stored(response), page.now)
    return response


def _public(response: Response) -> bool:
    """Made the same for everyone: no cookie set, nothing marked private."""
    if "Set-Cookie" in response.headers or session.modified:
        return False
    control = response.cache_control
    return not (control.private or control.no_store or control.no_cache)


def _stored(response: Response) -> StoredPage:
    headers = tuple(
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in page_cache.UNSTORED_HEADERS
    )
    tokens: list[tuple[str, int]] = g.get(_TOKENS, [])
    return StoredPage(response.get_data(), headers, tuple(tokens))
