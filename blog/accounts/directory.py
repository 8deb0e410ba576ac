"""The list of accounts that administrators see (``/dashboard/users/``) and
``flask --app blog users list`` prints: filtered by role and status,
searched, paginated, each user with their posts count.

A page costs the same number of queries whatever the number of users: one
to count the matches, one for the page's users with their posts counts (a
grouped subquery joined in).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, select

from blog.accounts import audit
from blog.accounts.permissions import can_manage_users
from blog.database import contains
from blog.errors import require
from blog.extensions import db
from blog.models import AccountEvent, Post, Role, User, utcnow

#: The statuses the list can be filtered by (:attr:`User.status`).
STATUSES = ("active", "invited", "deactivated")
PER_PAGE = 20


@dataclass(frozen=True)
class UserRow:
    """One line of the list: the user, and how many of their posts and
    events readers can see (published, with their date come)."""

    user: User
    posts: int


@dataclass(frozen=True)
class UserFilters:
    """What the list is narrowed to; an unknown role or status means all."""

    role: str = ""
    status: str = ""
    search: str = ""

    @property
    def chosen_role(self) -> Role | None:
        return Role(self.role) if self.role in set(Role) else None

    @property
    def chosen_status(self) -> str:
        return self.status if self.status in STATUSES else ""


@dataclass(frozen=True)
class UserPage:
    """One page of the list, shaped like Flask-SQLAlchemy's pagination so
    that the ``pager`` macro shows it."""

    items: list[UserRow]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def status_condition(status: str) -> ColumnElement[bool]:
    """The users in ``status`` ("active", "invited" or "deactivated"), as a
    query's condition (the SQL form of :attr:`User.status`)."""
    if status == "deactivated":
        return User.deactivated_at.is_not(None)
    if status == "invited":
        return and_(User.deactivated_at.is_(None), User.password_hash.is_(None))
    return and_(User.deactivated_at.is_(None), User.password_hash.is_not(None))


def active_admin_condition() -> ColumnElement[bool]:
    """The active administrators, as a query's condition."""
    return and_(User.role == Role.ADMIN, status_condition("active"))


def is_last_active_admin(user: User) -> bool:
    """Whether ``user`` is the only active administrator (a read, for the
    pages' warnings; :mod:`blog.accounts.lifecycle` checks again under lock)."""
    query = select(User.id).where(active_admin_condition()).limit(2)
    return list(db.session.scalars(query)) == [user.id]


def _conditions(filters: UserFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if (role := filters.chosen_role) is not None:
        conditions.append(User.role == role)
    if status := filters.chosen_status:
        conditions.append(status_condition(status))
    if search := filters.search.strip():
        conditions.append(
            contains(search, User.username, User.display_name, User.email)
        )
    return conditions


def _rows_query(filters: UserFilters, now: datetime) -> Select[User, int]:
    """The matching users by username, each with their posts count."""
    counts = (
        select(Post.author_id, func.count().label("posts"))
        .where(Post.visible_at(now))
        .group_by(Post.author_id)
        .subquery()
    )
    return (
        select(User, func.coalesce(counts.c.posts, 0))
        .outerjoin(counts, counts.c.author_id == User.id)
        .where(*_conditions(filters))
        .order_by(func.lower(User.username), User.id)
    )


def user_page(
    actor: User | None,
    filters: UserFilters,
    page: int = 1,
    per_page: int = PER_PAGE,
    now: datetime | None = None,
) -> UserPage:
    """The page of matching users (the last page when ``page`` is past it).

    :param actor: ``None`` for the command line.
    :raises PermissionDenied: the actor may not manage users.
    """
    require(actor is None or can_manage_users(actor))
    now = now or utcnow()
    total = db.session.scalar(
        select(func.count()).select_from(User).where(*_conditions(filters))
    )
    total = int(total or 0)
    page = max(1, min(page, -(-total // per_page) or 1))
    rows = db.session.execute(
        _rows_query(filters, now).limit(per_page).offset((page - 1) * per_page)
    )
    items = [UserRow(user, int(posts)) for user, posts in rows]
    return UserPage(items=items, page=page, per_page=per_page, total=total)


@dataclass(frozen=True)
class UserDetails:
    """What a user's page shows besides the edit form."""

    user: User
    posts: int
    history: list[AccountEvent]
    #: The only active administrator: not to be demoted, deactivated, deleted.
    last_admin: bool
    #: The administrator looking at their own account.
    is_self: bool


def user_details(actor: User, user: User, now: datetime | None = None) -> UserDetails:
    """``user``'s posts count, record of changes (newest first) and what
    may not be done to them (three queries).

    :raises PermissionDenied: the actor may not manage users.
    """
    require(can_manage_users(actor))
    posts = db.session.scalar(
        select(func.count())
        .select_from(Post)
        .where(Post.author_id == user.id, Post.visible_at(now or utcnow()))
    )
    return UserDetails(
        user=user,
        posts=int(posts or 0),
        history=audit.history(user),
        last_admin=is_last_active_admin(user),
        is_self=actor.id == user.id,
    )


def all_users(actor: User | None, filters: UserFilters) -> list[UserRow]:
    """Every matching user, for the command line's table (one query).

    :raises PermissionDenied: the actor may not manage users.
    """
    require(actor is None or can_manage_users(actor))
    rows = db.session.execute(_rows_query(filters, utcnow()))
    return [UserRow(user, int(posts)) for user, posts in rows]
