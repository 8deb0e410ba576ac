"""Who may write, publish and organise posts (articles and events alike).

The roles follow WordPress: contributors write drafts for review, authors
publish their own posts, editors and admins publish everything and manage
categories and tags. Static pages (About, Contact) are the editors' and
admins' alone, as WordPress's ``edit_pages``. Services call these; views only
pass their answers on.
"""

from __future__ import annotations

from blog.models import EDITOR_ROLES, Post, PostKind, PostStatus, Role, User


def can_edit_post(user: User, post: Post) -> bool:
    if post.kind == PostKind.PAGE:
        return can_manage_pages(user)
    if user.role in EDITOR_ROLES:
        return True
    if post.author_id != user.id:
        return False
    if user.role == Role.AUTHOR:
        return True
    # Contributors may edit their own posts until they are published.
    return post.status != PostStatus.PUBLISHED


def can_publish(user: User, post: Post | None = None) -> bool:
    """Publish (rather than submit for review) a new post, or this one."""
    if post is not None and post.kind == PostKind.PAGE:
        return can_manage_pages(user)
    if user.role in EDITOR_ROLES:
        return True
    if user.role == Role.AUTHOR:
        return post is None or post.author_id == user.id
    return False


def can_make_sticky(user: User) -> bool:
    """Stick an article to the top of the blog (as WordPress: editors)."""
    return user.role in EDITOR_ROLES


def can_manage_pages(user: User) -> bool:
    """Write, publish and trash static pages, anyone's (WordPress's
    ``edit_pages``: editors and admins; authors and contributors cannot)."""
    return user.role in EDITOR_ROLES


def can_manage_terms(user: User) -> bool:
    """Create, rename and delete categories, tags, audiences and units."""
    return user.role in EDITOR_ROLES


def can_see_all_posts(user: User) -> bool:
    """Everyone's posts in the dashboard (others see their own)."""
    return user.role in EDITOR_ROLES
