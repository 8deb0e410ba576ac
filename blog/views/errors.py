"""Friendly error pages; the 500 handler rolls the session back; a 404 at
an old address (Tools → Redirects) answers with a 301 to the new one.

Unhandled exceptions reach the ``HTTPException`` handler as an
``InternalServerError`` after Flask has logged them (and propagate in tests).
"""

from __future__ import annotations

from flask import Flask, g, redirect, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from blog.errors import PermissionDenied
from blog.extensions import db
from blog.models import utcnow
from blog.site.redirects import find_target
from blog.views.context import public_url
from blog.views.sharing import error_meta

TITLES = {
    400: "Bad request",
    403: "You cannot do that",
    404: "Page not found",
    405: "Not allowed",
    410: "Gone",
    413: "Too large",
    429: "Slow down",
    500: "Something went wrong",
}
#: Browsers keep a 301 for as long as they are told, forever if told
#: nothing: an hour, so that an admin's correction in Tools → Redirects
#: reaches readers the same day (WordPress sends its redirects uncached).
REDIRECT_CACHE_CONTROL = "public, max-age=3600"
_LOOKED_UP = "old_address_looked_up"


def old_address() -> Response | None:
    """A 301 to where this GET request's address now lives, or ``None``.
    Looked up once a request (one query): the home page's ``/?p=123`` that
    found nothing ends in a 404, which does not look again."""
    if request.method not in ("GET", "HEAD") or g.get(_LOOKED_UP):
        return None
    g.setdefault(_LOOKED_UP, True)
    target = find_target(request.path, request.args, utcnow(), public_url)
    if target is None:
        return None
    response = redirect(target, 301)
    response.headers["Cache-Control"] = REDIRECT_CACHE_CONTROL
    return response


def http_error(error: HTTPException) -> ResponseReturnValue:
    """Our page for every HTTP error; a server error rolls the session back."""
    code = error.code or 500
    if code >= 500:
        db.session.rollback()
    elif code == 404 and (moved := old_address()) is not None:
        return moved
    title = TITLES.get(code, error.name)
    page = render_template(
        "errors/error.html",
        code=code,
        title=title,
        description=error.description if code in (400, 413, 429) else None,
        meta=error_meta(title),
    )
    return page, code


def permission_denied(_error: PermissionDenied) -> ResponseReturnValue:
    """A service refused the actor: 403, and nothing of the request is kept."""
    db.session.rollback()
    page = render_template(
        "errors/error.html", code=403, title=TITLES[403], meta=error_meta(TITLES[403])
    )
    return page, 403


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(PermissionDenied, permission_denied)
