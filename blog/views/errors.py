"""Friendly error pages; the 500 handler rolls the session back.

Unhandled exceptions reach the ``HTTPException`` handler as an
``InternalServerError`` after Flask has logged them (and propagate in tests).
"""

from __future__ import annotations

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from blog.errors import PermissionDenied
from blog.extensions import db
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


def http_error(error: HTTPException) -> ResponseReturnValue:
    """Our page for every HTTP error; a server error rolls the session back."""
    code = error.code or 500
    if code >= 500:
        db.session.rollback()
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
