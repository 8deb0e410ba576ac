"""Per-request plumbing: security headers and what every template shows."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from flask.wrappers import Response
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from blog import presentation
from blog.extensions import db
from blog.site_settings import DEFAULTS, load_settings


def current_settings() -> dict[str, Any]:
    """Site settings, read once per request.

    Falls back to the defaults when the database cannot answer, so that the
    error page itself can still be shown.
    """
    if "site_settings" not in g:
        try:
            g.site_settings = load_settings()
        except SQLAlchemyError:
            db.session.rollback()
            current_app.logger.warning("Site settings unavailable; using defaults")
            g.site_settings = dict(DEFAULTS)
    return g.site_settings


#: Settings that templates never receive (only the forms that edit them do).
SECRET_SETTINGS = frozenset({"akismet_api_key"})

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
    @app.context_processor
    def site_context() -> dict[str, Any]:
        public = {
            k: v for k, v in current_settings().items() if k not in SECRET_SETTINGS
        }
        staff = has_request_context() and current_user.is_authenticated
        return {"site": public, "is_staff": staff}

    app.jinja_env.filters["localdate"] = presentation.local_date
    app.jinja_env.filters["localdatetime"] = presentation.local_datetime
    app.jinja_env.filters["isodate"] = presentation.iso_datetime
    app.jinja_env.globals["page_url"] = presentation.page_url
    app.jinja_env.globals["site_zone"] = lambda: presentation.zone_of(
        current_settings()
    )

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
        if {"dashboard", "auth"} & set(request.blueprints):
            response.headers.setdefault("Cache-Control", "no-store")
        return response
