"""The site menu: an ordered list of links, nested one level, edited by
admins in Settings → Menu and shown at the top of every public page.

An item links to the home page, the events list, a page, a category, or
any ``http(s)`` address (or a path on this site). Pages and categories are
stored by id and turned into addresses when shown, so the menu follows a
renamed page; an item whose page or category is gone, or not visible to
readers, is left out (its sub-items take its place).

The menu is stored as JSON under the ``menu`` site setting, so reading it
costs nothing beyond the settings every request loads; turning its pages
and categories into links costs one query (:func:`resolve`), whatever the
number of items. Before anyone saves a menu the setting is empty and the
default menu is shown: Events, then every category that holds a visible
article, as the site always had (:func:`default_menu`, one query).

The editor's rules (rows checked, saved, reset) are in
:mod:`blog.site.menu_editor`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, String, cast, literal, null, select, union_all
from sqlalchemy.orm import aliased

from blog.extensions import db
from blog.models import Post, PostKind, Taxonomy, Term, utcnow
from blog.pages.paths import page_segments_by_id
from blog.posts import reading
from blog.posts.taxonomy import carried_by
from blog.validation import http_url_or_empty

SETTING = "menu"
LABEL_MAX = 100
URL_MAX = 500
#: Items a menu may hold, sub-items included.
MAX_ITEMS = 100


class LinkKind(enum.StrEnum):
    HOME = "home"
    EVENTS = "events"
    PAGE = "page"
    CATEGORY = "category"
    URL = "url"


#: Labels of the items that link to a fixed place, when left empty.
FIXED_LABELS = {LinkKind.HOME: "Home", LinkKind.EVENTS: "Events"}


@dataclass(frozen=True)
class MenuItem:
    """One stored item. ``label`` empty: the page's title or the category's
    name (so it follows a rename), or the fixed place's own label."""

    link: LinkKind
    label: str = ""
    target_id: int | None = None
    url: str = ""
    children: tuple[MenuItem, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"link": self.link.value, "label": self.label}
        if self.target_id is not None:
            data["id"] = self.target_id
        if self.url:
            data["url"] = self.url
        if self.children:
            data["children"] = [child.to_json() for child in self.children]
        return data

    @classmethod
    def from_json(cls, data: object, *, depth: int = 0) -> MenuItem | None:
        """The item ``data`` holds, or ``None`` for anything malformed."""
        if not isinstance(data, dict):
            return None
        try:
            link = LinkKind(str(data.get("link")))
        except ValueError:
            return None
        target = data.get("id")
        children = data.get("children") if depth == 0 else None
        kids = [cls.from_json(c, depth=1) for c in children or ()]
        return cls(
            link=link,
            label=str(data.get("label") or ""),
            target_id=target if isinstance(target, int) else None,
            url=str(data.get("url") or ""),
            children=tuple(kid for kid in kids if kid is not None),
        )


@dataclass(frozen=True)
class MenuLink:
    """An item as readers get it: its label, its address, its sub-items."""

    label: str
    url: str
    children: tuple[MenuLink, ...] = ()


#: Builds an address: ``(LinkKind.PAGE, ("about", "team"))`` -> ``/about/team/``;
#: categories get ``(slug,)``, the home page and the events list ``()``.
LinkFor = Callable[[LinkKind, tuple[str, ...]], str]


def stored_menu(settings: Mapping[str, Any]) -> list[MenuItem] | None:
    """The saved menu, or ``None`` before one is saved (the default applies)."""
    value = settings.get(SETTING)
    if not isinstance(value, dict) or not isinstance(value.get("items"), list):
        return None
    items = (MenuItem.from_json(data) for data in value["items"])
    return [item for item in items if item is not None]


def site_menu(settings: Mapping[str, Any], link_for: LinkFor) -> list[MenuLink]:
    """What the public pages show: the saved menu, or the default one."""
    items = stored_menu(settings)
    if items is None:
        return default_menu(link_for)
    return resolve(items, link_for)


def default_menu(link_for: LinkFor) -> list[MenuLink]:
    """Events, then the categories that hold a visible article (one query)."""
    categories = reading.navigation_categories()
    return [MenuLink("Events", link_for(LinkKind.EVENTS, ()))] + [
        MenuLink(term.name, link_for(LinkKind.CATEGORY, (term.slug,)))
        for term in categories
    ]


def default_items() -> list[MenuItem]:
    """The default menu as items, for the editor to start from (one query)."""
    return [MenuItem(LinkKind.EVENTS)] + [
        MenuItem(LinkKind.CATEGORY, target_id=term.id)
        for term in reading.navigation_categories()
    ]


@dataclass(frozen=True)
class _Target:
    name: str
    parts: tuple[str, ...]


def resolve(items: Sequence[MenuItem], link_for: LinkFor) -> list[MenuLink]:
    """Turn stored items into links, in one query for all their pages and
    categories; items whose target readers cannot see are left out, and
    their sub-items take their place."""
    targets = _visible_targets(items)

    def link(item: MenuItem) -> MenuLink | None:
        if item.link in FIXED_LABELS:
            return MenuLink(
                item.label or FIXED_LABELS[item.link], link_for(item.link, ())
            )
        if item.link == LinkKind.URL:
            url = _checked_url(item.url)
            return MenuLink(item.label, url) if url and item.label else None
        target = targets.get((item.link, item.target_id))
        if target is None:
            return None
        return MenuLink(item.label or target.name, link_for(item.link, target.parts))

    links: list[MenuLink] = []
    for item in items:
        children = tuple(
            child for child in map(link, item.children) if child is not None
        )
        parent = link(item)
        if parent is None:
            links.extend(children)
        else:
            links.append(MenuLink(parent.label, parent.url, children))
    return links


def _checked_url(url: str) -> str:
    """A stored address as the editor would accept it, or ``""`` (a menu
    restored from elsewhere is checked again before any reader gets it)."""
    return http_url_or_empty(url, max_length=URL_MAX, allow_path=True)


def _visible_targets(
    items: Sequence[MenuItem],
) -> dict[tuple[LinkKind, int | None], _Target]:
    """The visible pages and categories ``items`` name, by kind and id."""
    every = [*items, *(child for item in items for child in item.children)]
    wanted = {
        kind: {i.target_id for i in every if i.link == kind and i.target_id}
        for kind in (LinkKind.PAGE, LinkKind.CATEGORY)
    }
    parts = []
    if wanted[LinkKind.PAGE]:
        parent = aliased(Post)
        parts.append(
            select(
                literal(LinkKind.PAGE.value, String).label("link"),
                Post.id.label("id"),
                Post.title.label("name"),
                Post.slug.label("slug"),
                parent.slug.label("parent_slug"),
                parent.parent_id.label("grandparent_id"),
            )
            .select_from(Post)
            .outerjoin(parent, parent.id == Post.parent_id)
            .where(
                Post.kind == PostKind.PAGE,
                Post.id.in_(wanted[LinkKind.PAGE]),
                Post.visible_at(utcnow()),
            )
        )
    if wanted[LinkKind.CATEGORY]:
        parts.append(
            select(
                literal(LinkKind.CATEGORY.value, String).label("link"),
                Term.id.label("id"),
                Term.name.label("name"),
                Term.slug.label("slug"),
                cast(null(), String).label("parent_slug"),
                cast(null(), Integer).label("grandparent_id"),
            ).where(
                Term.taxonomy == Taxonomy.CATEGORY,
                Term.id.in_(wanted[LinkKind.CATEGORY]),
                carried_by(reading.visible_ids()),
            )
        )
    if not parts:
        return {}
    query = parts[0] if len(parts) == 1 else union_all(*parts)
    found: dict[tuple[LinkKind, int | None], _Target] = {}
    deeper: list[int] = []  # pages below a subpage: one more query, for them all
    for row in db.session.execute(query):
        path = (row.parent_slug, row.slug) if row.parent_slug else (row.slug,)
        found[(LinkKind(row.link), row.id)] = _Target(row.name, path)
        if row.grandparent_id is not None:
            deeper.append(row.id)
    if deeper:
        for page_id, segments in page_segments_by_id(deeper).items():
            name = found[(LinkKind.PAGE, page_id)].name
            found[(LinkKind.PAGE, page_id)] = _Target(name, segments)
    return found
