"""Creating user accounts: usernames, emails, roles and author slugs."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from blog.accounts import passwords
from blog.errors import FieldError
from blog.extensions import db
from blog.models import Role, User
from blog.posts.slugs import slugify, unique_slug
from blog.validation import clean_text, email_address, name_line, strip_invisible

USERNAME_MAX = 60
DISPLAY_NAME_MAX = 100


class AccountError(FieldError):
    """Bad account data; ``field`` names the form field it belongs to."""


def create_user(
    username: str,
    email: str,
    password: str,
    role: Role | str,
    display_name: str | None = None,
    bio: str = "",
) -> User:
    """Add a user (the caller commits).

    :raises AccountError: bad or taken username/email, unknown role.
    :raises passwords.PasswordRejected: the password breaks the policy.
    """
    username = username.strip()
    if (
        not username
        or len(username) > USERNAME_MAX
        or "@" in username
        or any(c.isspace() for c in username)
        or strip_invisible(username) != username
    ):
        raise AccountError(
            "Use 1 to 60 characters, without spaces, “@” or invisible characters.",
            "username",
        )
    try:
        role = Role(role)
    except ValueError as error:
        raise AccountError(f"Unknown role {role!r}.", "role") from error
    try:
        email = email_address(email)
    except FieldError as error:
        raise AccountError(str(error), "email") from error
    passwords.check_policy(password)
    clash = db.session.scalar(
        select(User).where(
            or_(
                func.lower(User.username) == username.lower(),
                func.lower(User.email) == email.lower(),
            )
        )
    )
    if clash is not None:
        field = "username" if clash.username.lower() == username.lower() else "email"
        raise AccountError(f"That {field} is already taken.", field)
    try:
        display_name = name_line(
            display_name or username, "display_name", max_length=DISPLAY_NAME_MAX
        )
    except FieldError as error:
        raise AccountError(str(error), "display_name") from error
    bio = clean_text(bio)
    user = User(
        username=username,
        email=email,
        display_name=display_name,
        slug=unique_slug(slugify(display_name, DISPLAY_NAME_MAX), _author_slug_taken),
        bio=bio,
        role=role,
        password_hash=passwords.hash_password(password),
    )
    db.session.add(user)
    db.session.flush()
    return user


def _author_slug_taken(slug: str) -> bool:
    return db.session.scalar(select(User.id).where(User.slug == slug)) is not None
