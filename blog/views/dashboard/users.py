"""``/dashboard/users/``: every account, for admins (list, invite, edit,
deactivate, delete)."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from blog.accounts.permissions import can_manage_users
from blog.views.dashboard.access import abort_unless

bp = Blueprint("users", __name__, url_prefix="/users")


@bp.before_request
def require_admin() -> None:
    abort_unless(can_manage_users(current_user))


@bp.get("/")
def index() -> str:
    """Placeholder until the users screen lands."""
    return "Users"
