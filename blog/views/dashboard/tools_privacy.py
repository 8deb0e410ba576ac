"""Tools → Export Personal Data and Erase Personal Data
(``/dashboard/tools/privacy/``, admins)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/privacy")
