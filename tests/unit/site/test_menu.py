"""blog.site.menu: the menu stored as JSON and read back defensively, and
turned into links."""

from __future__ import annotations

from blog.site.menu import LinkKind, MenuItem, resolve, stored_menu


def test_the_menu_round_trips_through_json():
    items = [
        MenuItem(
            LinkKind.PAGE,
            "About us",
            target_id=1,
            children=(MenuItem(LinkKind.URL, "Map", url="https://example.org/map"),),
        ),
        MenuItem(LinkKind.EVENTS),
    ]
    stored = {"menu": {"items": [item.to_json() for item in items]}}
    assert stored_menu(stored) == items


def test_nothing_stored_means_the_default_menu():
    assert stored_menu({"menu": None}) is None
    assert stored_menu({}) is None
    assert stored_menu({"menu": "garbage"}) is None


def test_malformed_stored_items_are_skipped():
    stored = {
        "menu": {
            "items": [
                {"link": "events"},
                {"link": "nowhere"},
                "text",
                {"link": "page", "id": "1"},
                {
                    "link": "home",
                    "children": [{"link": "events", "children": [{"link": "home"}]}],
                },
            ]
        }
    }
    items = stored_menu(stored)
    assert items == [
        MenuItem(LinkKind.EVENTS),
        MenuItem(LinkKind.PAGE),
        MenuItem(LinkKind.HOME, children=(MenuItem(LinkKind.EVENTS),)),
    ]


def _link_for(kind: LinkKind, parts: tuple[str, ...]) -> str:
    return "/" + "/".join((kind.value, *parts)) + "/"


def test_fixed_places_and_addresses_resolve_without_a_query():
    links = resolve(
        [
            MenuItem(LinkKind.HOME),
            MenuItem(LinkKind.EVENTS, "What's on"),
            MenuItem(LinkKind.URL, "Shop", url="https://shop.example.org/"),
            # A stored address the editor would refuse never reaches a reader.
            MenuItem(LinkKind.URL, "Bad", url="javascript:alert(1)"),
        ],
        _link_for,
    )
    assert [(link.label, link.url) for link in links] == [
        ("Home", "/home/"),
        ("What's on", "/events/"),
        ("Shop", "https://shop.example.org/"),
    ]
