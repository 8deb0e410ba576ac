"""Pages under pages: which parent a page may take, the Parent menu's
choices, and the dashboard's list in tree order.

Pages nest one level (``/about/team/``), like the menu: a parent is a
top-level page, and a page with subpages stays at the top. That also rules
out cycles; :func:`parent_problem` checks them anyway, so the rule holds if
deeper nesting is ever allowed.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select

from blog.errors import FieldError
from blog.extensions import db
from blog.models import Post, PostKind, PostStatus

#: The form field the parent's messages go to.
PARENT_FIELD = "parent_id"
#: How far up :func:`parent_problem` walks (a loop stored by some other way
#: than this module can never hold it forever).
MAX_DEPTH = 50


class PageError(FieldError):
    """A field of the page editor is refused; nothing is written."""


def parent_problem(
    page_id: int | None, parent: Post | None, *, has_children: bool = False
) -> str | None:
    """Why ``parent`` cannot be the parent of the page ``page_id`` (``None``
    for a new page), or ``None`` when it can.

    :param has_children: the page has subpages of its own.
    """
    if parent is None:
        return None
    if parent.kind != PostKind.PAGE or parent.status == PostStatus.TRASH:
        return "Choose one of the site's pages."
    if page_id is not None and parent.id == page_id:
        return "A page cannot be its own parent."
    ancestor: Post | None = parent
    for _ in range(MAX_DEPTH):
        if ancestor is None:
            break
        if page_id is not None and ancestor.id == page_id:
            return "A page cannot be placed under one of its own subpages."
        ancestor = ancestor.parent
    if parent.parent_id is not None:
        return "Pages nest one level: choose a top-level page as the parent."
    if has_children:
        return "This page has subpages, so it stays at the top level."
    return None


def choose_parent(page: Post, parent_id: int | None) -> Post | None:
    """The parent page ``parent_id`` names, checked for ``page``.

    :raises PageError: on the Parent field.
    """
    if parent_id is None:
        return None
    parent = db.session.get(Post, parent_id)
    if parent is None:
        raise PageError("Choose one of the site's pages.", PARENT_FIELD)
    page_id: int | None = page.id  # None for a page not saved yet
    problem = parent_problem(
        page_id, parent, has_children=page_id is not None and has_subpages(page_id)
    )
    if problem:
        raise PageError(problem, PARENT_FIELD)
    return parent


def has_subpages(page_id: int) -> bool:
    """Whether any page (trashed ones too) sits under ``page_id``."""
    query = select(Post.id).where(Post.kind == PostKind.PAGE, Post.parent_id == page_id)
    return db.session.scalar(query.limit(1)) is not None


def parent_choices(page: Post | None) -> list[tuple[int, str]]:
    """The pages the Parent menu offers ``page``: top-level pages that are
    not in the trash, by order and title; none for a page with subpages."""
    if page is not None and has_subpages(page.id):
        return []
    query = (
        select(Post.id, Post.title)
        .where(
            Post.kind == PostKind.PAGE,
            Post.parent_id.is_(None),
            Post.status != PostStatus.TRASH,
        )
        .order_by(Post.menu_order, Post.title, Post.id)
    )
    if page is not None:
        query = query.where(Post.id != page.id)
    return [(id_, title) for id_, title in db.session.execute(query)]


def _sort_key(page: Post) -> tuple[int, str, int]:
    return (page.menu_order, page.title.lower(), page.id)


def tree_order(pages: Sequence[Post]) -> list[tuple[Post, int]]:
    """``pages`` with their depth (0 or 1), each subpage right after its
    parent, siblings by order then title. A subpage whose parent is not in
    ``pages`` (another status) still sorts where its parent would."""

    def key(page: Post) -> tuple[tuple[int, str, int], int, tuple[int, str, int]]:
        if page.parent is None:
            return (_sort_key(page), 0, (0, "", 0))
        return (_sort_key(page.parent), 1, _sort_key(page))

    return [(page, 0 if page.parent is None else 1) for page in sorted(pages, key=key)]


def in_tree_order(query: Select[Post]) -> list[tuple[Post, int]]:
    """Run ``query`` (pages; their parents are joined) and order it as a tree."""
    return tree_order(list(db.session.scalars(query.order_by(None))))
