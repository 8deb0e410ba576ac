"""Forgotten passwords: ``/password/reset`` asks for a link by mail, and
``/password/reset/<token>`` (from the mail) sets a new password. Invitations
use the same page to choose a first password."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("password", __name__, url_prefix="/password")
