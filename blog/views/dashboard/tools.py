"""Tools (admins): the jobs an administrator runs on the server, from the
command line, and how. The screen only tells; it runs nothing."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from blog.site import can_manage_settings
from blog.views.dashboard.access import abort_unless

bp = Blueprint("tools", __name__, url_prefix="/tools")


@bp.before_request
def require_admin() -> None:
    abort_unless(can_manage_settings(current_user))


@bp.get("/")
def index() -> ResponseReturnValue:
    return render_template("dashboard/tools/index.html")
