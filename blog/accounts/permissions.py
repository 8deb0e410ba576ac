"""Who may manage accounts. Everyone manages their own profile; only
admins see and change other people's accounts (WordPress's
``list_users``, ``create_users``, ``edit_users``, ``promote_users``)."""

from __future__ import annotations

from blog.models import EDITOR_ROLES, Role, User


def can_manage_users(user: User) -> bool:
    """See every account, invite, edit, deactivate and delete users."""
    return user.role == Role.ADMIN


def two_factor_required_for(user: User, required_by_site: bool) -> bool:
    """Whether the site's "require two-factor login" setting applies to
    ``user`` (it covers the roles that publish everyone's posts)."""
    return required_by_site and user.role in EDITOR_ROLES
