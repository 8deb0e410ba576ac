"""Flask-Login wiring: sessions carry the user's session version."""

from __future__ import annotations

from flask import Flask

from blog.extensions import db, login_manager
from blog.models import User


def configure_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)


def load_user(session_id: str) -> User | None:
    """Load ``"ID:VERSION"``; a stale version means the session has ended."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user
