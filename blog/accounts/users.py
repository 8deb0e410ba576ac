"""Creating user accounts: usernames, emails, roles and author slugs.

The checks here are shared by every way an account is made or changed
(the first-run set-up, ``users create``, an administrator's invitation or
edit): one rule for what a username, an email address, a display name and a
role may be.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute

from blog import rendering
from blog.accounts import passwords
from blog.errors import FieldError
from blog.extensions import db
from blog.models import Role, User
from blog.posts.slugs import slugify, unique_slug
from blog.validation import clean_text, email_address, name_line, strip_invisible

USERNAME_MAX = 60
DISPLAY_NAME_MAX = 100

#: What each role reads as on screens (WordPress's names).
ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "Administrator",
    Role.EDITOR: "Editor",
    Role.AUTHOR: "Author",
    Role.CONTRIBUTOR: "Contributor",
}


class AccountError(FieldError):
    """Bad account data; ``field`` names the form field it belongs to."""


def clean_username(username: str) -> str:
    """The username as stored (surrounding spaces removed).

    :raises AccountError: on ``username``, when it is empty, too long, or
        holds spaces, "@" or invisible characters.
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
    return username


def parse_role(role: Role | str) -> Role:
    """``role`` as a :class:`Role`.

    :raises AccountError: on ``role``, for an unknown role.
    """
    try:
        return Role(role)
    except ValueError as error:
        raise AccountError(f"Unknown role {role!r}.", "role") from error


def clean_email(email: str) -> str:
    """A valid address, normalized.

    :raises AccountError: on ``email``.
    """
    try:
        return email_address(email)
    except FieldError as error:
        raise AccountError(str(error), "email") from error


def available_email(email: str, user: User | None = None) -> str:
    """A valid address, normalized, that no account but ``user`` uses
    (compared case-insensitively).

    :raises AccountError: on ``email``, when it is malformed or taken.
    """
    email = clean_email(email)
    if _taken(User.email, email, user):
        raise AccountError("That email is already taken.", "email")
    return email


def clean_display_name(display_name: str | None, username: str) -> str:
    """The name shown on posts (the username when none is given).

    :raises AccountError: on ``display_name``.
    """
    try:
        return name_line(
            display_name or username, "display_name", max_length=DISPLAY_NAME_MAX
        )
    except FieldError as error:
        raise AccountError(str(error), "display_name") from error


def login_matches(login: str) -> ColumnElement[bool]:
    """The user a login form's text names: an email (it has "@") or a
    username, in any letter case. Usernames cannot contain "@" and emails
    are unique whatever their case, so it matches one account at most."""
    column = func.lower(User.email) if "@" in login else func.lower(User.username)
    return column == login.lower()


def email_taken(email: str, user: User | None = None) -> bool:
    """Whether an account other than ``user`` has ``email``, in any case."""
    return _taken(User.email, email, user)


def find_user(username: str) -> User | None:
    """The user with this username, in any letter case."""
    name = username.strip()
    if not name or len(name) > USERNAME_MAX:
        return None
    return db.session.scalar(
        select(User).where(func.lower(User.username) == name.lower())
    )


def create_user(
    username: str,
    email: str,
    password: str | None,
    role: Role | str,
    display_name: str | None = None,
    bio: str = "",
) -> User:
    """Add a user (the caller commits). A ``password`` of ``None`` makes an
    invited user, who chooses one from the invitation's link.

    :raises AccountError: bad or taken username/email, unknown role, bad
        display name.
    :raises passwords.PasswordRejected: the password breaks the policy.
    """
    username = clean_username(username)
    role = parse_role(role)
    email = clean_email(email)
    if password is not None:
        passwords.check_policy(password)
    if _taken(User.username, username):
        raise AccountError("That username is already taken.", "username")
    if _taken(User.email, email):
        raise AccountError("That email is already taken.", "email")
    display_name = clean_display_name(display_name, username)
    user = User(
        username=username,
        email=email,
        display_name=display_name,
        slug=unique_slug(slugify(display_name, DISPLAY_NAME_MAX), _author_slug_taken),
        bio=clean_text(bio).strip(),
        bio_html=render_bio(clean_text(bio).strip()),
        role=role,
        password_hash=None if password is None else passwords.hash_password(password),
    )
    db.session.add(user)
    db.session.flush()
    return user


def _taken(
    column: InstrumentedAttribute[str], value: str, user: User | None = None
) -> bool:
    """Whether an account other than ``user`` has ``value`` in ``column``
    (``User.username`` or ``User.email``), in any letter case."""
    query = select(User.id).where(func.lower(column) == value.lower())
    if user is not None:
        query = query.where(User.id != user.id)
    return db.session.scalar(query.limit(1)) is not None


def _author_slug_taken(slug: str) -> bool:
    return db.session.scalar(select(User.id).where(User.slug == slug)) is not None


def render_bio(source: str) -> str:
    """The bio's HTML.

    :raises FieldError: on ``bio``, when it is too long or malformed.
    """
    if not source.strip():
        return ""
    try:
        return rendering.render_comment(source)
    except rendering.ContentRejected as error:
        raise FieldError(str(error).replace("Your comment", "The bio"), "bio") from None
