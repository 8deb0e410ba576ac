"""Accounts: creating users, first-run set-up, and throttled authentication."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError

from blog import passwords
from blog.extensions import db
from blog.models import LoginFailure, Role, Setting, User, utcnow
from blog.site_settings import save_settings
from blog.slugs import slugify, unique_slug

#: Written once by the first set-up; its primary key makes a racing second set-up fail.
INSTALLED_KEY = "installed"


class AccountError(ValueError):
    """Bad account data; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class SetupRefused(Exception):
    """The site already has users."""


class LoginThrottled(Exception):
    """Too many recent failures for this account or address."""


@dataclass(frozen=True)
class ThrottleLimits:
    per_account: int = 5
    per_ip: int = 20
    window: timedelta = timedelta(minutes=15)


def normalize_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise AccountError(str(error), "email") from error


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
        or len(username) > 60
        or "@" in username
        or any(c.isspace() for c in username)
    ):
        raise AccountError("Use 1 to 60 characters, without spaces or “@”.", "username")
    try:
        role = Role(role)
    except ValueError as error:
        raise AccountError(f"Unknown role {role!r}.", "role") from error
    email = normalize_email(email)
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
    display_name = (display_name or username).strip()[:100]
    user = User(
        username=username,
        email=email,
        display_name=display_name,
        slug=unique_slug(slugify(display_name, 100), _author_slug_taken),
        bio=bio,
        role=role,
        password_hash=passwords.hash_password(password),
    )
    db.session.add(user)
    db.session.flush()
    return user


def _author_slug_taken(slug: str) -> bool:
    return db.session.scalar(select(User.id).where(User.slug == slug)) is not None


def needs_setup() -> bool:
    return db.session.scalar(select(User.id).limit(1)) is None


def setup_site(site_title: str, username: str, email: str, password: str) -> User:
    """WordPress's five-minute install: the site title and the first admin.

    Commits. Safe against two racing requests: the ``installed`` settings row
    can be inserted once only.

    :raises SetupRefused: a user already exists.
    """
    if not needs_setup():
        raise SetupRefused
    try:
        db.session.add(Setting(key=INSTALLED_KEY, value=utcnow().isoformat()))
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise SetupRefused from error
    user = create_user(username, email, password, Role.ADMIN)
    save_settings({"title": site_title.strip() or "My Blog"})
    db.session.commit()
    return user


def authenticate(
    login: str, password: str, ip: str, limits: ThrottleLimits | None = None
) -> User | None:
    """Check a login; record failures; commit.

    Unknown users and wrong passwords take the same time and give the same
    answer (``None``).

    :raises LoginThrottled: too many recent failures for the account or IP.
    """
    limits = limits or ThrottleLimits()
    login = login.strip()
    account_scope, ip_scope = f"account:{login.lower()}", f"ip:{ip}"
    since = utcnow() - limits.window
    if (
        _failures(account_scope, since) >= limits.per_account
        or _failures(ip_scope, since) >= limits.per_ip
    ):
        raise LoginThrottled
    # Usernames cannot contain "@" and emails are unique whatever their case,
    # so a login matches one account at most.
    column = func.lower(User.email) if "@" in login else func.lower(User.username)
    found = db.session.execute(
        select(User.id, User.password_hash).where(column == login.lower())
    ).first()
    # End the read before the slow hash check, so a login never holds
    # SQLite's write lock (taken by BEGIN IMMEDIATE on POST) while hashing.
    db.session.rollback()
    if not passwords.verify_password(found.password_hash if found else None, password):
        db.session.add_all(
            [LoginFailure(scope=account_scope), LoginFailure(scope=ip_scope)]
        )
        db.session.commit()
        return None
    user = db.session.get(User, found.id)
    assert user is not None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    db.session.execute(delete(LoginFailure).where(LoginFailure.scope == account_scope))
    db.session.execute(delete(LoginFailure).where(LoginFailure.failed_at < since))
    db.session.commit()
    return user


def _failures(scope: str, since) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(
        select(func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.scope == scope, LoginFailure.failed_at >= since)
    )


def end_all_sessions(user: User) -> None:
    """Log the user out everywhere (the caller commits)."""
    user.session_version += 1


def change_password(user: User, current: str, new: str) -> None:
    """Change a password and end every other session (commits).

    :raises AccountError: the current password is wrong.
    """
    if not passwords.verify_password(user.password_hash, current):
        raise AccountError("That is not your current password.", "current_password")
    passwords.check_policy(new)
    user.password_hash = passwords.hash_password(new)
    end_all_sessions(user)
    db.session.commit()
