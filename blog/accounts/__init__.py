"""Accounts: users and their roles, the first-run set-up, passwords, and
throttled logins wired into Flask-Login.

Who may do what is decided where the action lives (``blog.posts.permissions``,
``blog.comments.permissions``, ``blog.site.settings``); the role groups they
share are on the model (``blog.models.user``).
"""

from blog.accounts.authentication import (
    LoginThrottled,
    ThrottleLimits,
    authenticate,
)
from blog.accounts.passwords import PasswordRejected
from blog.accounts.sessions import end_all_sessions
from blog.accounts.setup import SetupRefused, needs_setup, setup_site
from blog.accounts.users import AccountError, create_user

__all__ = [
    "AccountError",
    "LoginThrottled",
    "PasswordRejected",
    "SetupRefused",
    "ThrottleLimits",
    "authenticate",
    "create_user",
    "end_all_sessions",
    "needs_setup",
    "setup_site",
]
