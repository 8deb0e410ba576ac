"""blog.site.menu_editor: the editor's rows checked and turned into a menu."""

from __future__ import annotations

import pytest

from blog.site.menu import LinkKind, MenuItem
from blog.site.menu_editor import MenuError, MenuRow, MenuTargets, build_menu

TARGETS = MenuTargets(pages={1: "About", 2: "Team"}, categories={7: "Gardening"})


def _errors(rows: list[MenuRow]) -> dict[str, str]:
    with pytest.raises(MenuError) as caught:
        build_menu(rows, TARGETS)
    return caught.value.errors


def test_rows_become_items_in_position_order():
    items = build_menu(
        [
            MenuRow("1", link="events", position=2),
            MenuRow("2", link="page:1", position=1),
            MenuRow("3", label="Garden", link="category:7", position=3),
            MenuRow("4", label="Elsewhere", link="url", url="https://example.org/x"),
        ],
        TARGETS,
    )
    assert items == [
        MenuItem(LinkKind.PAGE, target_id=1),
        MenuItem(LinkKind.EVENTS),
        MenuItem(LinkKind.CATEGORY, "Garden", target_id=7),
        MenuItem(LinkKind.URL, "Elsewhere", url="https://example.org/x"),
    ]


def test_a_row_nests_under_a_top_level_row():
    items = build_menu(
        [
            MenuRow("1", link="page:1", position=1),
            MenuRow("2", link="page:2", position=2, parent="1"),
            MenuRow("3", label="Home", link="home", position=1, parent="1"),
        ],
        TARGETS,
    )
    assert items == [
        MenuItem(
            LinkKind.PAGE,
            target_id=1,
            children=(
                MenuItem(LinkKind.HOME, "Home"),
                MenuItem(LinkKind.PAGE, target_id=2),
            ),
        )
    ]


def test_removed_and_unused_rows_are_dropped_and_orphans_move_up():
    items = build_menu(
        [
            MenuRow("1", link="page:1", remove=True),
            MenuRow("2", link="page:2", parent="1"),
            MenuRow("new-1"),
            MenuRow("new-2", link=""),
        ],
        TARGETS,
    )
    assert items == [MenuItem(LinkKind.PAGE, target_id=2)]


def test_menus_nest_one_level():
    errors = _errors(
        [
            MenuRow("1", link="page:1"),
            MenuRow("2", link="page:2", parent="1"),
            MenuRow("3", link="events", parent="2"),
        ]
    )
    assert errors == {
        "3:parent": "Menus nest one level: choose an item at the top level."
    }


def test_an_item_cannot_be_its_own_parent_nor_name_a_missing_one():
    errors = _errors(
        [
            MenuRow("1", link="page:1", parent="1"),
            MenuRow("2", link="events", parent="9"),
        ]
    )
    assert errors == {
        "1:parent": "An item cannot be its own parent.",
        "2:parent": "Choose an item of this menu.",
    }


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/",
        "ftp://example.org/",
        "example.org",
    ],
)
def test_only_web_addresses_are_taken(url):
    errors = _errors([MenuRow("1", label="Bad", link="url", url=url)])
    assert set(errors) == {"1:url"}


def test_a_custom_link_needs_an_address_and_a_label():
    errors = _errors([MenuRow("1", link="url")])
    assert errors == {
        "1:url": "Give the address, starting with https://",
        "1:label": "Give the link a label.",
    }


def test_a_path_on_this_site_is_a_fine_address():
    items = build_menu(
        [MenuRow("1", label="Privacy", link="url", url="/privacy/")], TARGETS
    )
    assert items[0].url == "/privacy/"


def test_targets_must_exist():
    errors = _errors(
        [
            MenuRow("1", link="page:99"),
            MenuRow("2", link="category:1"),
            MenuRow("3", link="page:x"),
            MenuRow("4", link="nowhere"),
        ]
    )
    assert errors == {
        "1:link": "That page no longer exists.",
        "2:link": "That category no longer exists.",
        "3:link": "That page no longer exists.",
        "4:link": "Choose what the item links to.",
    }


def test_labels_are_one_line_and_bounded():
    errors = _errors(
        [
            MenuRow("1", label="Two\nlines", link="events"),
            MenuRow("2", label="x" * 101, link="events"),
        ]
    )
    assert set(errors) == {"1:label", "2:label"}


def test_labels_lose_invisible_characters():
    items = build_menu([MenuRow("1", label="\u202eAbout", link="page:1")], TARGETS)
    assert items[0].label == "About"
