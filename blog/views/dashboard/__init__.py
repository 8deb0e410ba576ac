"""The editors' dashboard at ``/dashboard/``: staff only.

Each area is a child blueprint (``dashboard.posts``, ``dashboard.events``,
``dashboard.comments``, ``dashboard.terms``, ``dashboard.settings``,
``dashboard.discussion``, ``dashboard.promo``, ``dashboard.users``,
``dashboard.profile``); the login guard here covers them all.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from blog.accounts import needs_setup
from blog.accounts.permissions import can_manage_users
from blog.accounts.sessions import touch
from blog.comments.moderation import pending_count
from blog.comments.permissions import can_moderate_some
from blog.posts.listing import recent_drafts, status_counts
from blog.posts.permissions import can_manage_terms
from blog.site import can_manage_settings
from blog.views.context import current_settings
from blog.views.dashboard import (
    comments,
    events,
    posts,
    profile,
    settings,
    terms,
    users,
)

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
for child in (
    posts.bp,
    events.bp,
    comments.bp,
    terms.bp,
    *settings.BLUEPRINTS,
    users.bp,
    profile.bp,
):
    bp.register_blueprint(child)


@bp.context_processor
def menus() -> dict[str, Any]:
    """What the logged-in person may do, for the menus (templates never
    compare role names); the pending count beside "Comments" (one query) and
    whether to warn that Akismet refused the key (from the cached settings)."""
    staff = current_user.is_authenticated
    moderate = staff and can_moderate_some(current_user)
    return {
        "can_moderate": moderate,
        "can_manage_terms": staff and can_manage_terms(current_user),
        "can_manage_settings": staff and can_manage_settings(current_user),
        "can_manage_users": staff and can_manage_users(current_user),
        "pending_comments": pending_count(current_user) if moderate else None,
        "akismet_key_warning": moderate
        and bool(current_settings().get("akismet_key_invalid")),
    }


@bp.before_request
def require_staff() -> ResponseReturnValue | None:
    if current_user.is_authenticated:
        touch(current_user, request.remote_addr or "")
        if (
            request.endpoint not in profile.SETUP_ENDPOINTS
            and profile.must_set_up_two_factor()
        ):
            # The setup page says why: the site requires it for this role.
            return redirect(url_for("dashboard.profile.two_factor"))
        return None
    if needs_setup():
        return redirect(url_for("auth.setup"))
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


@bp.get("/")
def home() -> ResponseReturnValue:
    return render_template(
        "dashboard/home.html",
        counts=status_counts(current_user),
        drafts=recent_drafts(current_user),
    )
