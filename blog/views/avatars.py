"""Avatars made on this server: ``/avatars/<hash>.svg``, drawn from a keyed
hash of a commenter's email, and staff profile pictures."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("avatars", __name__, url_prefix="/avatars")
