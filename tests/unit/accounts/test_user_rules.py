"""The rules of managing accounts, on their own: roles, usernames, the
last active administrator, nobody deactivating or deleting themselves, who
may manage users, and the list's filters and pages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from blog.accounts.directory import UserFilters, UserPage
from blog.accounts.lifecycle import (
    PostsFate,
    refuse_last_admin,
    refuse_self,
    require_manager,
)
from blog.accounts.users import AccountError, clean_username, parse_role
from blog.errors import PermissionDenied
from blog.models import Role, User


def person(user_id: int, role: Role = Role.ADMIN, **fields: object) -> User:
    fields.setdefault("password_hash", "x")
    return User(id=user_id, username=f"user{user_id}", role=role, **fields)


def test_roles_are_validated():
    assert parse_role("editor") is Role.EDITOR
    assert parse_role(Role.ADMIN) is Role.ADMIN
    for bad in ("king", "Admin", "", "admin "):
        with pytest.raises(AccountError) as refused:
            parse_role(bad)
        assert refused.value.field == "role"


def test_usernames():
    assert clean_username("  ada ") == "ada"
    for bad in ("", "two words", "a@b", "x" * 61, "zero\u200bwidth"):
        with pytest.raises(AccountError) as refused:
            clean_username(bad)
        assert refused.value.field == "username"


def test_the_last_active_admin_is_kept():
    boss = person(1)
    with pytest.raises(AccountError, match="only active administrator") as refused:
        refuse_last_admin(boss, [1], "role")
    assert refused.value.field == "role"
    refuse_last_admin(boss, [1, 2])  # another admin remains
    refuse_last_admin(person(3, Role.EDITOR), [1])  # not an admin at all
    refuse_last_admin(person(4), [1])  # an admin who is not active


def test_nobody_deactivates_or_deletes_themselves():
    boss, other = person(1), person(2)
    with pytest.raises(AccountError, match="cannot deactivate your own account"):
        refuse_self(boss, person(1), "deactivate")
    with pytest.raises(AccountError, match="cannot delete your own account"):
        refuse_self(boss, boss, "delete")
    refuse_self(boss, other, "deactivate")
    refuse_self(None, boss, "deactivate")  # the command line is nobody


def test_only_admins_manage_users():
    require_manager(person(1))
    require_manager(None)  # the command line
    for role in (Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR):
        with pytest.raises(PermissionDenied):
            require_manager(person(2, role))


def test_user_status():
    assert person(1).status == "active"
    assert person(2, password_hash=None).status == "invited"
    gone = person(3, deactivated_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert gone.status == "deactivated" and not gone.is_active


def test_unknown_filters_mean_all():
    assert UserFilters(role="editor").chosen_role is Role.EDITOR
    assert UserFilters(role="king").chosen_role is None
    assert UserFilters(status="invited").chosen_status == "invited"
    assert UserFilters(status="banned").chosen_status == ""
    assert PostsFate("trash") is PostsFate.TRASH


def test_pages():
    first = UserPage(items=[], page=1, per_page=20, total=41)
    assert (first.pages, first.has_prev, first.has_next, first.next_num) == (
        3,
        False,
        True,
        2,
    )
    last = UserPage(items=[], page=3, per_page=20, total=41)
    assert (last.has_next, last.prev_num) == (False, 2)
    assert UserPage(items=[], page=1, per_page=20, total=0).pages == 1


def test_a_new_users_bio_is_rendered_when_created(app):
    from blog.accounts.users import create_user
    from blog.extensions import db

    with app.app_context():
        user = create_user(
            "bea",
            "bea@example.org",
            "a long enough passphrase",
            Role.AUTHOR,
            bio="Keeps **bees**. <script>alert(1)</script>",
        )
        db.session.commit()
        assert "<strong>bees</strong>" in user.bio_html
        assert "<script" not in user.bio_html
