"""The person's side of a personal data request: the confirmation link
sent to their address, and the download of their export."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/privacy/requests")
