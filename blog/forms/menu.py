"""Settings → Menu: one row per item (Label, Link to, URL, Position,
Parent, Remove) and a few empty "Add item" rows, all saved by "Save Menu".
Works without JavaScript; ``static/js/menu-editor.js`` adds Move up/down.

Each row carries a hidden ``key`` that the Parent menus name, so a row keeps
its children whatever its position.
"""

from __future__ import annotations

from typing import Any, Self

from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
)
from wtforms.validators import Length, NumberRange, Optional

from blog.errors import FieldError
from blog.forms.common import BlogForm, SubForm, choice
from blog.site.menu import LABEL_MAX, MAX_ITEMS, URL_MAX, LinkKind, MenuItem
from blog.site.menu_editor import MenuRow, MenuTargets, link_value

#: Empty rows offered below the menu's items.
NEW_ROWS = 3
POSITION_MAX = 999


class MenuItemRow(SubForm):
    key = HiddenField()
    label = StringField("Label", validators=[Optional(), Length(max=LABEL_MAX)])
    link = SelectField("Link to", coerce=str, validate_choice=False)
    url = StringField("URL", validators=[Optional(), Length(max=URL_MAX)])
    position = IntegerField(
        "Position",
        validators=[
            Optional(),
            NumberRange(min=0, max=POSITION_MAX, message="A number from 0 to 999."),
        ],
    )
    parent = SelectField("Parent", coerce=str, validate_choice=False)
    remove = BooleanField("Remove")


class MenuForm(BlogForm):
    items = FieldList(
        FormField(MenuItemRow),
        "Menu items",
        min_entries=1,
        max_entries=MAX_ITEMS + NEW_ROWS,
    )

    @classmethod
    def for_items(cls, items: list[MenuItem]) -> Self:
        """The editor for ``items``, then the empty "Add item" rows."""
        rows: list[dict[str, Any]] = []
        for number, item in enumerate(items, start=1):
            key = str(len(rows) + 1)
            rows.append(_row(item, key, number))
            for child_number, child in enumerate(item.children, start=1):
                rows.append(_row(child, str(len(rows) + 1), child_number, key))
        rows += [{"key": f"new-{n}"} for n in range(1, NEW_ROWS + 1)]
        return cls(data={"items": rows})

    def offer(self, targets: MenuTargets) -> Self:
        """Fill every row's "Link to" and "Parent" menus. A parent is named
        by its row's label, or what the row links to."""
        names = {
            LinkKind.HOME.value: "Home",
            LinkKind.EVENTS.value: "Events",
            **{f"page:{id_}": title for id_, title in targets.pages.items()},
            **{f"category:{id_}": n for id_, n in targets.categories.items()},
        }
        links = [
            choice("", "Choose a link…"),
            choice(LinkKind.HOME.value, "Home page"),
            choice(LinkKind.EVENTS.value, "Events list"),
            choice(LinkKind.URL.value, "Custom URL"),
        ]
        links += [choice(f"page:{i}", f"Page: {t}") for i, t in targets.pages.items()]
        links += [
            choice(f"category:{i}", f"Category: {n}")
            for i, n in targets.categories.items()
        ]
        parents = [choice("", "(top level)")]
        for row in self.rows():
            key = row.key.data or ""
            if key and not key.startswith("new-"):
                name = row.label.data or names.get(row.link.data or "") or row.url.data
                parents.append(choice(key, name or f"Item {key}"))
        for row in self.rows():
            row.link.choices = links
            row.parent.choices = parents
        return self

    def rows(self) -> list[MenuItemRow]:
        return [entry.form for entry in self.items]

    def to_rows(self) -> list[MenuRow]:
        """What the editor sent, for the menu service (a key sent twice is
        made unique, so no row is lost)."""
        rows: list[MenuRow] = []
        seen: set[str] = set()
        for index, row in enumerate(self.rows(), start=1):
            key = row.key.data or ""
            if not key or key in seen:
                key = row.key.data = f"row-{index}"
            seen.add(key)
            rows.append(
                MenuRow(
                    key=key,
                    label=row.label.data or "",
                    link=row.link.data or "",
                    url=row.url.data or "",
                    position=row.position.data,
                    parent=row.parent.data or "",
                    remove=bool(row.remove.data),
                )
            )
        return rows

    def show(self, error: FieldError) -> None:
        """Put each of the service's messages next to its row's field."""
        by_key = {row.key.data: row for row in self.rows()}
        for name, message in error.errors.items():
            key, _, field = name.rpartition(":")
            row = by_key.get(key)
            target = row._fields.get(field) if row is not None else None
            if target is None:
                self.form_errors.append(message)
            else:
                target.errors = [*target.errors, message]


def _row(item: MenuItem, key: str, position: int, parent: str = "") -> dict[str, Any]:
    return {
        "key": key,
        "label": item.label,
        "link": link_value(item),
        "url": item.url,
        "position": position,
        "parent": parent,
    }
