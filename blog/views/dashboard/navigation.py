"""The dashboard's side navigation, defined once, grouped as WordPress's
admin menu is: Dashboard, Posts, Events, Pages, Media, Comments, Users,
Settings, Tools.

Each item names its endpoint, label and who may use it (a predicate over
:class:`Abilities`, which the permission functions of the features fill in:
templates never compare roles). An item whose endpoint is not registered is
left out, so the menu never links to a screen that does not exist.

:func:`build` turns the definition into what the layout shows, marking the
section and item of the screen being shown.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass
from typing import Any

from flask import url_for

from blog.accounts.permissions import can_manage_users
from blog.comments.permissions import can_moderate_some
from blog.events.places import can_manage_places
from blog.models import User
from blog.posts.permissions import can_manage_pages, can_manage_terms
from blog.site import can_manage_settings


@dataclass(frozen=True)
class Abilities:
    """What the logged-in person may use, from the features' own rules."""

    moderate: bool = False
    manage_terms: bool = False
    manage_places: bool = False
    manage_pages: bool = False
    manage_users: bool = False
    manage_settings: bool = False

    @classmethod
    def of(cls, user: User) -> Abilities:
        return cls(
            moderate=can_moderate_some(user),
            manage_terms=can_manage_terms(user),
            manage_places=can_manage_places(user),
            manage_pages=can_manage_pages(user),
            manage_users=can_manage_users(user),
            manage_settings=can_manage_settings(user),
        )


Predicate = Callable[[Abilities], bool]


def everyone(_: Abilities) -> bool:
    return True


@dataclass(frozen=True)
class Item:
    """One screen in the menu.

    ``covers`` names the other screens that belong to this item, as
    endpoints or as blueprint prefixes ending with a dot ("dashboard.posts."
    puts a post's editor and revisions under "All Posts"). ``args`` are the
    endpoint's arguments; a covered screen must carry the same ones.
    """

    label: str
    endpoint: str
    allowed: Predicate = everyone
    args: tuple[tuple[str, str], ...] = ()
    covers: tuple[str, ...] = ()

    def shows(self, endpoint: str, view_args: Mapping[str, Any]) -> bool:
        """Whether the screen at ``endpoint`` is this item's own."""
        return endpoint == self.endpoint and self._same_args(view_args)

    def holds(self, endpoint: str, view_args: Mapping[str, Any]) -> bool:
        """Whether the screen at ``endpoint`` belongs under this item."""
        covered = any(
            endpoint.startswith(name) if name.endswith(".") else endpoint == name
            for name in self.covers
        )
        return covered and self._same_args(view_args)

    def _same_args(self, view_args: Mapping[str, Any]) -> bool:
        return all(str(view_args.get(key)) == value for key, value in self.args)


@dataclass(frozen=True)
class Section:
    """A group of screens; its link leads to its first item the person may use."""

    label: str
    items: tuple[Item, ...]
    allowed: Predicate = everyone
    #: Which number the section shows beside its label ("pending" comments).
    count: str | None = None


def _terms(label: str, kind: str) -> Item:
    return Item(
        label,
        "dashboard.terms.index",
        lambda can: can.manage_terms,
        args=(("kind", kind),),
        covers=("dashboard.terms.",),
    )


def _places(label: str, kind: str) -> Item:
    return Item(
        label,
        f"dashboard.places.{kind}.index",
        lambda can: can.manage_places,
        covers=(f"dashboard.places.{kind}.",),
    )


MENU: tuple[Section, ...] = (
    Section("Dashboard", (Item("Dashboard", "dashboard.home"),)),
    Section(
        "Posts",
        (
            Item("All Posts", "dashboard.posts.index", covers=("dashboard.posts.",)),
            Item("Add New", "dashboard.posts.new"),
            _terms("Categories", "category"),
            _terms("Tags", "tag"),
        ),
    ),
    Section(
        "Events",
        (
            Item("All Events", "dashboard.events.index", covers=("dashboard.events.",)),
            Item("Add New", "dashboard.events.new"),
            _places("Venues", "venues"),
            _places("Organisers", "organisers"),
            _terms("Audiences", "audience"),
            _terms("Organising units", "unit"),
        ),
    ),
    Section(
        "Pages",
        (
            Item("All Pages", "dashboard.pages.index", covers=("dashboard.pages.",)),
            Item("Add New", "dashboard.pages.new"),
        ),
        lambda can: can.manage_pages,
    ),
    Section(
        "Media",
        (Item("Library", "dashboard.media.index", covers=("dashboard.media.",)),),
    ),
    Section(
        "Comments",
        (
            Item(
                "Comments", "dashboard.comments.index", covers=("dashboard.comments.",)
            ),
        ),
        lambda can: can.moderate,
        count="pending",
    ),
    Section(
        "Users",
        (
            Item("All Users", "dashboard.users.index", covers=("dashboard.users.",)),
            Item("Add New", "dashboard.users.new"),
            Item("Profile", "dashboard.profile.edit", covers=("dashboard.profile.",)),
        ),
        lambda can: can.manage_users,
    ),
    # Everyone else has just their own profile, as in WordPress.
    Section(
        "Profile",
        (Item("Profile", "dashboard.profile.edit", covers=("dashboard.profile.",)),),
        lambda can: not can.manage_users,
    ),
    Section(
        "Settings",
        (
            Item(
                "General", "dashboard.settings.general", covers=("dashboard.settings.",)
            ),
            Item("Reading", "dashboard.settings.reading"),
            Item(
                "Discussion",
                "dashboard.discussion.edit_discussion",
                covers=("dashboard.discussion.",),
            ),
            Item("Menu", "dashboard.menu.edit", covers=("dashboard.menu.",)),
            Item("Promo", "dashboard.promo.edit", covers=("dashboard.promo.",)),
        ),
        lambda can: can.manage_settings,
    ),
    Section(
        "Tools",
        (Item("Tools", "dashboard.tools.index", covers=("dashboard.tools.",)),),
        lambda can: can.manage_settings,
    ),
)


@dataclass(frozen=True)
class Link:
    """A menu link as the layout shows it.

    ``current``: the screen shown is this link's or belongs under it (a
    visible mark); ``page``: the link leads to the very screen shown
    (``aria-current="page"``).
    """

    label: str
    url: str
    current: bool = False
    page: bool = False


@dataclass(frozen=True)
class ShownSection:
    link: Link
    #: The section's screens, shown under its link while it is current;
    #: empty for a section that is one screen (Dashboard, Comments, Tools).
    items: tuple[Link, ...]
    count: int | None = None


def build(
    abilities: Abilities,
    endpoint: str | None,
    view_args: Mapping[str, Any] | None,
    registered: Container[str],
    counts: Mapping[str, int | None] | None = None,
    menu: tuple[Section, ...] = MENU,
) -> list[ShownSection]:
    """The sections and items ``abilities`` allow whose screens exist
    (``registered`` endpoints), the shown screen (``endpoint`` with its
    ``view_args``) marked. Needs an application context (for the URLs)."""
    endpoint, view_args, counts = endpoint or "", view_args or {}, counts or {}
    shown = []
    for section in menu:
        if not section.allowed(abilities):
            continue
        items = [
            item
            for item in section.items
            if item.endpoint in registered and item.allowed(abilities)
        ]
        if not items:
            continue
        current = _current(items, endpoint, view_args)
        links = tuple(
            Link(
                item.label,
                _url(item),
                current=item is current,
                page=item is current and item.shows(endpoint, view_args),
            )
            for item in items
        )
        one_screen = len(section.items) == 1 and items[0].label == section.label
        top = links[0]
        shown.append(
            ShownSection(
                Link(
                    section.label,
                    top.url,
                    current=current is not None,
                    page=one_screen and top.page,
                ),
                () if one_screen else links,
                counts.get(section.count) if section.count else None,
            )
        )
    return shown


def _current(
    items: list[Item], endpoint: str, view_args: Mapping[str, Any]
) -> Item | None:
    """The item whose screen is shown, else the one it belongs under."""
    for item in items:
        if item.shows(endpoint, view_args):
            return item
    for item in items:
        if item.holds(endpoint, view_args):
            return item
    return None


def _url(item: Item) -> str:
    values: dict[str, Any] = dict(item.args)
    return url_for(item.endpoint, **values)
