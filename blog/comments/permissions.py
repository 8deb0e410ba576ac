"""Who moderates which comments: editors and admins every comment, authors
those on their own posts. One rule, in Python for a loaded comment and in
SQL (:func:`moderated_by`) for the moderation lists."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, select, true

from blog.models import EDITOR_ROLES, Comment, Post, Role, User


def staff_member(user: Any) -> User | None:
    """The logged-in account (``current_user`` or a ``User``), or ``None``
    for an anonymous reader."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    staff: User = user
    return staff


def is_moderator_of(user: Any, post: Post) -> bool:
    """Moderators of a post's comments skip the flood rule and are approved."""
    staff = staff_member(user)
    if staff is None:
        return False
    return staff.role in EDITOR_ROLES or (
        staff.role == Role.AUTHOR and post.author_id == staff.id
    )


def can_moderate(user: Any, comment: Comment) -> bool:
    return is_moderator_of(user, comment.post)


def can_moderate_all(user: Any) -> bool:
    staff = staff_member(user)
    return staff is not None and staff.role in EDITOR_ROLES


def can_moderate_some(user: Any) -> bool:
    """Whether the user sees the comments area of the dashboard at all."""
    staff = staff_member(user)
    return staff is not None and staff.role in EDITOR_ROLES | {Role.AUTHOR}


def moderated_by(actor: User) -> ColumnElement[bool]:
    """The comments ``actor`` moderates, as a query's condition."""
    if can_moderate_all(actor):
        return true()
    return Comment.post_id.in_(select(Post.id).where(Post.author_id == actor.id))
