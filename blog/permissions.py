"""Who may do what. Services call these; views never decide on their own.

The roles follow WordPress: contributors write drafts for review, authors
publish their own posts, editors publish and moderate everything, admins
also run the site (settings, users).
"""

from __future__ import annotations

from flask import abort

from blog.models import Comment, Post, PostStatus, Role, User

STAFF_ROLES = frozenset(Role)
EDITING_ROLES = frozenset({Role.ADMIN, Role.EDITOR})


class PermissionDenied(Exception):
    """The actor may not do this."""


def is_staff(user: User | None) -> bool:
    return user is not None and user.role in STAFF_ROLES


def can_edit_post(user: User, post: Post) -> bool:
    if user.role in EDITING_ROLES:
        return True
    if post.author_id != user.id:
        return False
    if user.role == Role.AUTHOR:
        return True
    # Contributors may edit their own posts until they are published.
    return post.status != PostStatus.PUBLISHED


def can_publish(user: User, post: Post | None = None) -> bool:
    if user.role in EDITING_ROLES:
        return True
    if user.role == Role.AUTHOR:
        return post is None or post.author_id == user.id
    return False


def can_manage_terms(user: User) -> bool:
    return user.role in EDITING_ROLES


def can_manage_settings(user: User) -> bool:
    return user.role == Role.ADMIN


def can_see_all_posts(user: User) -> bool:
    return user.role in EDITING_ROLES


def can_moderate(user: User | None, comment: Comment) -> bool:
    """Editors and admins moderate every comment; authors those on their posts."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role in EDITING_ROLES:
        return True
    return user.role == Role.AUTHOR and comment.post.author_id == user.id


def can_moderate_some(user: User | None) -> bool:
    """Whether the user sees the comments area of the dashboard at all."""
    return user is not None and user.role in EDITING_ROLES | {Role.AUTHOR}


def can_moderate_all(user: User | None) -> bool:
    return user is not None and user.role in EDITING_ROLES


def is_moderator_of(user: User | None, post: Post) -> bool:
    """Moderators of a post's comments skip the flood rule and are approved."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.role in EDITING_ROLES or (
        user.role == Role.AUTHOR and post.author_id == user.id
    )


def require(allowed: bool) -> None:
    """Raise :class:`PermissionDenied` unless ``allowed``."""
    if not allowed:
        raise PermissionDenied


def abort_unless(allowed: bool) -> None:
    """For views: 403 unless ``allowed``."""
    if not allowed:
        abort(403)
