"""``/dashboard/profile/``: every user's own account (name, email, bio,
password, sessions, two-factor login)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("profile", __name__, url_prefix="/profile")


@bp.get("/")
def edit() -> str:
    """Placeholder until the profile screen lands."""
    return "Profile"
