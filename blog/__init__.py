"""A blog and events publishing engine.

``create_app`` builds the Flask application; ``flask --app blog run`` serves it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from blog import config as config_module

PACKAGE_DIR = Path(__file__).resolve().parent
REPOSITORY_DIR = PACKAGE_DIR.parent


def resource_dir(name: str) -> Path:
    """Find ``templates``, ``static`` or ``migrations``.

    Inside the package first (where a built wheel puts them), then at the
    repository root (a checkout or an editable install).
    """
    for candidate in (PACKAGE_DIR / name, REPOSITORY_DIR / name):
        if candidate.is_dir():
            return candidate
    raise RuntimeError(f"cannot find the {name!r} folder beside the blog package")


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application.

    :param test_config: settings applied last, over every other source.
    :raises RuntimeError: in production without a real ``SECRET_KEY``.
    """
    app = Flask(
        __name__,
        instance_path=os.environ.get("BLOG_INSTANCE_PATH") or None,
        instance_relative_config=True,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
    )
    app.config.from_object(config_module.DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("BLOG")
    if test_config is not None:
        app.config.from_mapping(test_config)

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            f"sqlite:///{Path(app.instance_path) / 'blog.sqlite3'}"
        )
    config_module.apply_secret_key(app)
    config_module.apply_production_defaults(app)
    config_module.warn_retired_keys(app)
    trusted_proxies = int(app.config["PROXY_FIX_X_FOR"])
    if trusted_proxies > 0:
        # Flask documents replacing wsgi_app with middleware; mypy sees a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=trusted_proxies, x_proto=trusted_proxies
        )

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_request_hooks(app)
    return app


def register_extensions(app: Flask) -> None:
    from blog import models  # noqa: F401  (registers the tables)
    from blog.accounts.login import configure_login
    from blog.comments import roots as comment_roots
    from blog.database import register_engine_events
    from blog.events import series as event_series
    from blog.extensions import csrf, db, limiter, migrate
    from blog.search import register as register_search

    db.init_app(app)
    register_engine_events(app)
    comment_roots.register()
    event_series.register()
    register_search()  # the search index, kept on every flush
    csrf.init_app(app)
    limiter.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(resource_dir("migrations")),
        render_as_batch=True,
        compare_type=True,
    )
    configure_login(app)


def register_blueprints(app: Flask) -> None:
    from blog.views import (
        arguments,
        auth,
        avatars,
        comments,
        dashboard,
        event_places,
        events,
        feeds,
        media,
        pages,
        password,
        privacy,
        public,
        search,
        sitemaps,
        subscriptions,
    )

    arguments.register(app)  # before any rule is added
    app.register_blueprint(auth.bp)
    app.register_blueprint(password.bp)
    app.register_blueprint(comments.bp)
    app.register_blueprint(subscriptions.bp)
    app.register_blueprint(avatars.bp)
    app.register_blueprint(privacy.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(event_places.bp)  # before /events/<slug>/<day>/
    app.register_blueprint(events.bp)
    app.register_blueprint(media.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(sitemaps.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(pages.bp)  # /<slug>/: every fixed address wins over it


def register_errorhandlers(app: Flask) -> None:
    from blog.views.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from blog.cli import register

    register(app)


def register_request_hooks(app: Flask) -> None:
    from blog.mail import background
    from blog.views import context, hooks

    context.register(app)
    hooks.register(app)
    background.register(app)  # mail queued by a request: sent after its response
