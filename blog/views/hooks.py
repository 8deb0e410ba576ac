"""Headers on every response: security headers, and no caching of the
dashboard and account pages, nor of any page a logged-in person sees (it
carries their name and a CSRF token). Public pages for anonymous readers
get their validators and public ``Cache-Control`` from
:mod:`blog.views.caching`."""

from __future__ import annotations

from typing import TypeVar

from flask import Flask, request
from flask.wrappers import Response
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from blog.views import caching

AnyResponse = TypeVar("AnyResponse", bound=BaseResponse)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' https:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)


def register(app: Flask) -> None:
    caching.register(app)  # first: its after_request hook runs last

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault(
            "Referrer-Policy", "strict-origin-when-cross-origin"
        )
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        if app.config["ENV"] == "production":
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        # request.blueprints lists nested names too ("dashboard.posts", "dashboard").
        if {"dashboard", "auth", "password"} & set(request.blueprints):
            response.headers.setdefault("Cache-Control", "no-store")
        elif request.blueprint not in ("media", "avatars") and _personal(response):
            response.headers["Cache-Control"] = "private, no-store"
        return response


def _personal(response: Response) -> bool:
    """Whether the page was made for a logged-in person (static files and
    uploads are the same for everyone)."""
    if request.endpoint == "static" or caching.anonymous_page():
        return False  # an anonymous reader's page: no user to load
    return bool(current_user.is_authenticated)


def secret_link_page(response: AnyResponse) -> AnyResponse:
    """For pages whose address holds a secret (a reset, confirmation or
    unsubscribe link): no ``Referer`` with the secret, no copy in any
    cache, no search index. Blueprints register it as ``after_request``."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
