"""Venues and organisers in the dashboard: lists, edit, new, delete."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("places", __name__, url_prefix="/events")
