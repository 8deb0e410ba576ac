"""The editors' dashboard at ``/dashboard/``: staff only.

Each area is a child blueprint (``dashboard.posts``, ``dashboard.events``,
``dashboard.comments``, ``dashboard.terms``, ``dashboard.settings``,
``dashboard.discussion``, ``dashboard.promo``, ``dashboard.pages``,
``dashboard.menu``, ``dashboard.users``,
``dashboard.profile``, ``dashboard.tools``); the login guard here covers them
all, and the side navigation is built in :mod:`.navigation`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from blog.accounts import needs_setup
from blog.accounts.sessions import touch
from blog.comments.moderation import pending_count
from blog.views.context import current_settings
from blog.views.dashboard import (
    comments,
    event_places,
    events,
    home,
    media,
    menu,
    navigation,
    pages,
    posts,
    profile,
    settings,
    terms,
    tools,
    users,
)

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
for child in (
    posts.bp,
    events.bp,
    event_places.bp,
    pages.bp,
    media.bp,
    comments.bp,
    terms.bp,
    *settings.BLUEPRINTS,
    menu.bp,
    users.bp,
    profile.bp,
    tools.bp,
):
    bp.register_blueprint(child)


@bp.context_processor
def menus() -> dict[str, Any]:
    """What the logged-in person may do, for the menus (templates never
    compare role names); the pending count beside "Comments" (one query) and
    whether to warn that Akismet refused the key (from the cached settings)."""
    staff = current_user.is_authenticated
    can = navigation.Abilities.of(current_user) if staff else navigation.Abilities()
    pending = pending_count(current_user) if can.moderate else None
    return {
        "can_moderate": can.moderate,
        "can_manage_terms": can.manage_terms,
        "can_manage_settings": can.manage_settings,
        "can_manage_users": can.manage_users,
        "pending_comments": pending,
        "dashboard_menu": navigation.build(
            can,
            request.endpoint,
            request.view_args,
            current_app.view_functions,
            {"pending": pending},
        )
        if staff
        else [],
        "akismet_key_warning": can.moderate
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


home.add_home_routes(bp)
