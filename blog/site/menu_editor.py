"""Settings → Menu's rules: the editor's rows checked and turned into the
site menu (:mod:`blog.site.menu`), then stored; or the default menu back.

Every row's problems are found at once and keyed ``"<row key>:<field>"``,
so the editor shows each message next to its field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from blog.errors import FieldError, require
from blog.extensions import db
from blog.models import Post, PostKind, PostStatus, Taxonomy, Term, User
from blog.site.menu import (
    LABEL_MAX,
    MAX_ITEMS,
    SETTING,
    URL_MAX,
    LinkKind,
    MenuItem,
)
from blog.site.settings import can_manage_settings, change_settings
from blog.validation import http_url, name_line


class MenuError(FieldError):
    """The menu is refused; each error is keyed ``"<row key>:<field>"``
    (``"3:url"``), or ``""`` for the menu as a whole. Nothing is saved."""


@dataclass(frozen=True)
class MenuRow:
    """One row of the menu editor, as typed.

    :param key: the row's name in the editor, which ``parent`` refers to.
    :param link: ``home``, ``events``, ``url``, ``page:<id>``,
        ``category:<id>``, or ``""`` on an unused "Add item" row.
    """

    key: str
    label: str = ""
    link: str = ""
    url: str = ""
    position: int | None = None
    parent: str = ""
    remove: bool = False

    @property
    def blank(self) -> bool:
        return not (self.link or self.label.strip() or self.url.strip())


@dataclass(frozen=True)
class MenuTargets:
    """What items may link to: pages (not in the trash) and categories, by
    id with their titles and names, in the order the editor offers them."""

    pages: dict[int, str] = field(default_factory=dict)
    categories: dict[int, str] = field(default_factory=dict)


def menu_targets() -> MenuTargets:
    """Every page not in the trash and every category (two queries)."""
    pages = db.session.execute(
        select(Post.id, Post.title)
        .where(Post.kind == PostKind.PAGE, Post.status != PostStatus.TRASH)
        .order_by(Post.menu_order, Post.title, Post.id)
    )
    categories = db.session.execute(
        select(Term.id, Term.name)
        .where(Term.taxonomy == Taxonomy.CATEGORY)
        .order_by(Term.name)
    )
    return MenuTargets(
        {id_: title for id_, title in pages}, {id_: name for id_, name in categories}
    )


def link_value(item: MenuItem) -> str:
    """The editor's "Link to" value for ``item`` (``page:12``, ``events``)."""
    if item.link in (LinkKind.PAGE, LinkKind.CATEGORY):
        return f"{item.link.value}:{item.target_id}"
    return item.link.value


def build_menu(rows: Sequence[MenuRow], targets: MenuTargets) -> list[MenuItem]:
    """The menu the editor's rows describe, checked.

    Removed and unused rows are dropped; rows are ordered by Position (ties
    keep the editor's order); a row under a removed one moves to the top.

    :raises MenuError: every row's problems at once.
    """
    errors: dict[str, str] = {}
    kept = [row for row in rows if not row.remove and not row.blank]
    keys = {row.key for row in kept}
    removed = {row.key for row in rows if row.remove or row.blank}
    if len(kept) > MAX_ITEMS:
        errors[""] = f"A menu holds at most {MAX_ITEMS} items."
    items: dict[str, MenuItem] = {}
    parents: dict[str, str] = {}
    for row in kept:
        try:
            items[row.key] = _item(row, targets)
        except FieldError as error:
            errors.update(error.errors)
        parent = row.parent if row.parent not in removed else ""
        if parent:
            parents[row.key] = parent
    for key, parent in parents.items():
        if parent == key:
            errors[f"{key}:parent"] = "An item cannot be its own parent."
        elif parent not in keys:
            errors[f"{key}:parent"] = "Choose an item of this menu."
        elif parent in parents:
            errors[f"{key}:parent"] = (
                "Menus nest one level: choose an item at the top level."
            )
    if errors:
        raise MenuError(errors=errors)
    order = {row.key: (_position(row), index) for index, row in enumerate(kept)}
    tops = sorted((k for k in items if k not in parents), key=order.__getitem__)
    return [
        MenuItem(
            items[top].link,
            items[top].label,
            items[top].target_id,
            items[top].url,
            tuple(
                items[child]
                for child in sorted(
                    (k for k, p in parents.items() if p == top),
                    key=order.__getitem__,
                )
            ),
        )
        for top in tops
    ]


def _position(row: MenuRow) -> int:
    return row.position if row.position is not None else 1_000_000


def _item(row: MenuRow, targets: MenuTargets) -> MenuItem:
    """One row as an item. :raises FieldError: keyed ``"<key>:<field>"``."""
    errors: dict[str, str] = {}
    label = ""
    try:
        label = name_line(row.label, f"{row.key}:label", max_length=LABEL_MAX)
    except FieldError as error:
        errors.update(error.errors)
    kind_text, _, id_text = row.link.partition(":")
    try:
        kind = LinkKind(kind_text)
    except ValueError:
        errors[f"{row.key}:link"] = "Choose what the item links to."
        raise FieldError(errors=errors) from None
    target_id: int | None = None
    url = ""
    if kind in (LinkKind.PAGE, LinkKind.CATEGORY):
        offered = targets.pages if kind == LinkKind.PAGE else targets.categories
        target_id = int(id_text) if id_text.isascii() and id_text.isdigit() else None
        if target_id not in offered:
            errors[f"{row.key}:link"] = f"That {kind.value} no longer exists."
    elif kind == LinkKind.URL:
        try:
            url = http_url(
                row.url, f"{row.key}:url", max_length=URL_MAX, allow_path=True
            )
        except FieldError as error:
            errors.update(error.errors)
        else:
            if not url:
                errors[f"{row.key}:url"] = "Give the address, starting with https://"
        if not label and f"{row.key}:label" not in errors:
            errors[f"{row.key}:label"] = "Give the link a label."
    if errors:
        raise FieldError(errors=errors)
    return MenuItem(kind, label, target_id, url)


def save_menu(actor: User, rows: Sequence[MenuRow]) -> list[MenuItem]:
    """Settings → Menu → "Save Menu" (commits).

    :raises PermissionDenied: only admins change the site's settings.
    :raises MenuError: nothing is saved.
    """
    require(can_manage_settings(actor))
    items = build_menu(rows, menu_targets())
    change_settings(actor, {SETTING: {"items": [item.to_json() for item in items]}})
    return items


def reset_menu(actor: User) -> None:
    """ "Use the default menu": forget the saved one (commits).

    :raises PermissionDenied: only admins change the site's settings.
    """
    require(can_manage_settings(actor))
    change_settings(actor, {SETTING: None})
