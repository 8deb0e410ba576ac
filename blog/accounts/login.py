"""Flask-Login wiring: the session cookie carries a server-side session key."""

from __future__ import annotations

from flask import Flask

from blog.accounts.sessions import load_session_user
from blog.extensions import login_manager
from blog.models import User


def configure_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)


def load_user(session_key: str) -> User | None:
    """The user of a live session; an ended or expired one logs out."""
    return load_session_user(session_key)
