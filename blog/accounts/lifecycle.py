"""What administrators (and ``flask --app blog users``) do to other people's
accounts: change their email or role, deactivate, reactivate, reset their
two-factor login, delete them.

Two rules hold everywhere:

- Nobody deactivates or deletes their own account from here.
- The last *active administrator* (an admin who is not deactivated and has
  chosen a password) cannot be demoted, deactivated or deleted, or nobody
  could manage the site any more. Checked with the active admins' rows
  locked (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's writing
  transactions are serialised by ``BEGIN IMMEDIATE``), so two
  administrators demoting each other at once cannot both succeed.

Every change is recorded (:mod:`blog.accounts.audit`) in the transaction
that makes it. ``actor`` is the administrator, or ``None`` for the command
line.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from blog.accounts import audit, sessions, tokens
from blog.accounts.directory import active_admin_condition
from blog.accounts.permissions import can_manage_users
from blog.accounts.profile import update_profile
from blog.accounts.twofactor import reset_two_factor
from blog.accounts.users import AccountError, available_email, parse_role
from blog.database import rowcount
from blog.errors import FieldError, require
from blog.extensions import db
from blog.models import Post, PostStatus, Role, TokenPurpose, User, utcnow

LAST_ADMIN = (
    "{name} is the site's only active administrator: make someone else an "
    "administrator first, or nobody could manage the site."
)
SELF = "You cannot {action} your own account."


class PostsFate(enum.StrEnum):
    """What happens to a deleted user's posts and events."""

    REASSIGN = "reassign"
    TRASH = "trash"


def require_manager(actor: User | None) -> None:
    """:raises PermissionDenied: ``actor`` is a person who may not manage
    users (``None``, the command line, may)."""
    require(actor is None or can_manage_users(actor))


def refuse_self(actor: User | None, user: User, action: str) -> None:
    """:raises AccountError: ``actor`` would ``action`` their own account."""
    if actor is not None and actor.id == user.id:
        raise AccountError(SELF.format(action=action), "")


def refuse_last_admin(user: User, active_admin_ids: list[int], field: str = "") -> None:
    """:raises AccountError: on ``field``, when ``user`` is the only one of
    ``active_admin_ids``."""
    if user.id in active_admin_ids and len(active_admin_ids) <= 1:
        raise AccountError(LAST_ADMIN.format(name=user.username), field)


def _lock_admins(user: User) -> list[int]:
    """Lock ``user``'s row and the active admins' rows until the
    transaction ends, reload them, and return the active admins' ids."""
    rows = db.session.scalars(
        select(User)
        .where(or_(User.id == user.id, active_admin_condition()))
        .order_by(User.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return [row.id for row in rows if row.role == Role.ADMIN and row.status == "active"]


@contextmanager
def _change() -> Iterator[None]:
    """Commit what the block did, or roll it all back (locks included).

    :raises AccountError: on ``email``, when a racing change took the
        address first (the unique index refused it).
    """
    try:
        yield
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AccountError("That email is already taken.", "email") from None
    except BaseException:
        db.session.rollback()
        raise


def update_user(
    user: User,
    *,
    actor: User,
    display_name: str,
    email: str,
    role: Role | str,
    bio: str,
    website: str,
) -> list[str]:
    """An administrator's edit of someone's account (commits); what changed.

    The public profile goes through :func:`update_profile`; a new email takes
    effect at once (and voids the links mailed to the old one), a new role
    is checked against the last-admin rule.

    :raises FieldError: naming the field at fault; nothing is saved.
    :raises PermissionDenied: the actor may not manage users.
    """
    require_manager(actor)
    with _change():
        new_email = available_email(email, user)
        new_role = parse_role(role)
        if new_role != user.role:
            active_admins = _lock_admins(user)  # reloads the user's row
            if new_role != user.role:
                refuse_last_admin(user, active_admins, "role")
        changed = update_profile(
            user, display_name=display_name, bio=bio, website=website, actor=actor
        )
        if new_email != user.email:
            _set_email(user, new_email, actor)
            changed.append("email")
        if new_role != user.role:
            _set_role(user, new_role, actor)
            changed.append("role")
    return changed


def _set_email(user: User, email: str, actor: User | None) -> None:
    old = user.email
    user.email = email
    # Links mailed to the old address (reset, invitation, email change) die.
    tokens.void_tokens(user, list(TokenPurpose))
    audit.record(user, "email_changed", f"{old} → {email}", actor=actor)


def _set_role(user: User, role: Role, actor: User | None) -> None:
    detail = f"{user.role.value} → {role.value}"
    user.role = role
    audit.record(user, "role_changed", detail, actor=actor)


def set_role(user: User, role: Role | str, *, actor: User | None) -> bool:
    """Give ``user`` another role (commits); whether it changed.

    :raises AccountError: an unknown role, or the last active admin's.
    :raises PermissionDenied: the actor may not manage users.
    """
    require_manager(actor)
    new_role = parse_role(role)
    with _change():
        active_admins = _lock_admins(user)
        if new_role == user.role:
            return False
        refuse_last_admin(user, active_admins, "role")
        _set_role(user, new_role, actor)
    return True


def deactivate_user(user: User, *, actor: User | None) -> bool:
    """Deactivate ``user`` (commits); whether they were active. They cannot
    log in, every session of theirs ends, their mailed links die; their
    posts stay published under their name.

    :raises AccountError: on oneself, or on the last active admin.
    :raises PermissionDenied: the actor may not manage users.
    """
    require_manager(actor)
    refuse_self(actor, user, "deactivate")
    with _change():
        refuse_last_admin(user, _lock_admins(user))
        if user.deactivated_at is not None:
            return False
        user.deactivated_at = utcnow()
        tokens.void_tokens(user, list(TokenPurpose))
        sessions.end_sessions(user, commit=False)
        audit.record(user, "deactivated", actor=actor)
    return True


def reactivate_user(user: User, *, actor: User | None) -> bool:
    """Let a deactivated user log in again (commits); whether they were
    deactivated. An invited user needs a new invitation (the old one died).

    :raises PermissionDenied: the actor may not manage users.
    """
    require_manager(actor)
    with _change():
        if user.deactivated_at is None:
            return False
        user.deactivated_at = None
        audit.record(user, "reactivated", actor=actor)
    return True


def reset_user_two_factor(user: User, *, actor: User | None) -> None:
    """Turn off ``user``'s two-factor login, for someone who lost their
    device and their recovery codes (commits; recorded).

    :raises AccountError: the user has no two-factor login.
    :raises PermissionDenied: the actor may not manage users.
    """
    require_manager(actor)
    if not user.two_factor_enabled:
        raise AccountError(f"{user.username} does not use two-factor login.", "")
    reset_two_factor(user, actor=actor)


def reassign_choices(user: User) -> list[User]:
    """Who may receive a deleted user's posts: every other account that is
    not deactivated, by display name."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.id != user.id, User.deactivated_at.is_(None))
            .order_by(User.display_name, User.id)
        )
    )


def delete_user(
    user: User,
    *,
    actor: User,
    fate: PostsFate | str,
    reassign_to: int | None = None,
) -> str:
    """Delete ``user`` (commits); what became of their posts, in words.

    Their posts and events go to another user, or to the trash (kept under
    ``actor``'s name, since every post has an author, so they can be
    restored). Their comments keep the name they were written under, their
    uploads stay; the record of changes keeps their username.

    :raises FieldError: on ``fate`` or ``reassign_to``; on oneself or the
        last active admin.
    :raises PermissionDenied: the actor may not manage users.
    """
    require_manager(actor)
    refuse_self(actor, user, "delete")
    with _change():
        refuse_last_admin(user, _lock_admins(user))
        try:
            fate = PostsFate(fate)
        except ValueError:
            raise FieldError("Choose what to do with their posts.", "fate") from None
        if fate == PostsFate.REASSIGN:
            heir = _heir(user, reassign_to)
            moved = _move_posts(user, heir)
            outcome = f"{_posts(moved)} attributed to {heir.username}"
        else:
            moved = _move_posts(user, actor, trash=True)
            outcome = f"{_posts(moved)} moved to the trash"
        audit.record(user, "deleted", outcome, actor=actor)
        db.session.flush()
        db.session.delete(user)
    return outcome


def _heir(user: User, heir_id: int | None) -> User:
    heir = db.session.get(User, heir_id) if heir_id is not None else None
    if heir is None or heir.id == user.id or heir.deactivated_at is not None:
        raise FieldError("Choose another, active user.", "reassign_to")
    return heir


def _move_posts(user: User, to: User, *, trash: bool = False) -> int:
    """Give every post and event of ``user`` to ``to`` (trashed, if asked)."""
    values: dict[str, object] = {"author_id": to.id}
    if trash:
        values["status"] = PostStatus.TRASH
    result = db.session.execute(
        update(Post)
        .where(Post.author_id == user.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result)


def _posts(count: int) -> str:
    return f"{count} post{'s' if count != 1 else ''}"
