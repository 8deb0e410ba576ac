"""The editors' dashboard at ``/dashboard/``: staff only.

Each area is a child blueprint (``dashboard.posts``, ``dashboard.terms``,
``dashboard.settings``); the login guard here covers them all.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from blog import accounts, publishing
from blog.extensions import db
from blog.views.dashboard import comments, events, posts, promo, settings, terms

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
bp.register_blueprint(posts.bp)
bp.register_blueprint(terms.bp)
bp.register_blueprint(settings.bp)
bp.register_blueprint(events.bp)
bp.register_blueprint(promo.bp)
bp.register_blueprint(comments.bp)
bp.register_blueprint(comments.discussion_bp)
bp.context_processor(comments.nav_counts)


@bp.before_request
def require_staff():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return None
    if accounts.needs_setup():
        return redirect(url_for("auth.setup"))
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


@bp.get("/")
def home():  # type: ignore[no-untyped-def]
    drafts = publishing.dashboard_posts(current_user, status="draft").limit(5)
    return render_template(
        "dashboard/home.html",
        counts=publishing.status_counts(current_user),
        drafts=db.session.scalars(drafts).all(),
    )
