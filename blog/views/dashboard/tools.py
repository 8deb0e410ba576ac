"""Tools (admins): the jobs an administrator runs on the server, from the
command line, and how; and the screens for moving sites: Import
(``dashboard.tools.importing``), Export (``dashboard.tools.exporting``) and
the old addresses kept as Redirects (``dashboard.tools.redirects``)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from blog.site import can_manage_settings
from blog.views.dashboard import (
    tools_exporting,
    tools_importing,
    tools_privacy,
    tools_redirects,
)
from blog.views.dashboard.access import abort_unless

bp = Blueprint("tools", __name__, url_prefix="/tools")
for child in (
    tools_importing.bp,
    tools_exporting.bp,
    tools_redirects.bp,
    tools_privacy.bp,
):
    bp.register_blueprint(child)


@bp.before_request
def require_admin() -> None:
    abort_unless(can_manage_settings(current_user))


@bp.get("/")
def index() -> ResponseReturnValue:
    return render_template("dashboard/tools/index.html")
