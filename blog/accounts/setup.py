"""The first run: WordPress's five-minute install, in one form."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from blog.accounts.users import create_user
from blog.errors import FieldError
from blog.extensions import db
from blog.models import Role, Setting, User, utcnow
from blog.site.settings import save_settings

#: Written once by the first set-up; its primary key makes a racing second set-up fail.
INSTALLED_KEY = "installed"


class SetupRefused(Exception):
    """The site already has users."""


def needs_setup() -> bool:
    """Whether the site has no user yet (every address leads to ``/setup``)."""
    return db.session.scalar(select(User.id).limit(1)) is None


def setup_site(site_title: str, username: str, email: str, password: str) -> User:
    """The site title and the first admin.

    Commits. Safe against two racing requests: the ``installed`` settings row
    can be inserted once only.

    :raises SetupRefused: a user already exists.
    :raises AccountError: bad username or email.
    :raises PasswordRejected: the password breaks the policy.
    """
    if not needs_setup():
        raise SetupRefused
    try:
        db.session.add(Setting(key=INSTALLED_KEY, value=utcnow().isoformat()))
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise SetupRefused from error
    try:
        user = create_user(username, email, password, Role.ADMIN)
        save_settings({"title": site_title.strip() or "My Blog"})
    except FieldError:
        db.session.rollback()  # the site stays uninstalled
        raise
    db.session.commit()
    return user
