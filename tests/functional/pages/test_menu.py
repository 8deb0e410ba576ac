"""Settings → Menu: the site menu edited by admins, shown on every public
page; the default menu is the one the site always had."""

from __future__ import annotations

import html as html_module
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import Role, Setting, Term, User
from blog.site.menu_editor import MenuRow, save_menu

MENU = "/dashboard/settings/menu/"


class _Nav(HTMLParser):
    """The links of the site menu as (label, address, depth)."""

    def __init__(self) -> None:
        super().__init__()
        self.in_nav = False
        self.depth = -1
        self.href: str | None = None
        self.text = ""
        self.links: list[tuple[str, str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "nav" and found.get("aria-label") == "Main":
            self.in_nav = True
        elif self.in_nav and tag == "ul":
            self.depth += 1
        elif self.in_nav and tag == "a":
            self.href, self.text = found.get("href"), ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self.in_nav = False
        elif self.in_nav and tag == "ul":
            self.depth -= 1
        elif self.in_nav and tag == "a" and self.href is not None:
            self.links.append((self.text.strip(), self.href, self.depth))
            self.href = None

    def handle_data(self, data: str) -> None:
        if self.href is not None:
            self.text += data


def nav(client, path: str = "/") -> list[tuple[str, str, int]]:  # type: ignore[no-untyped-def]
    response = client.get(path)
    parser = _Nav()
    parser.feed(response.get_data(as_text=True))
    return parser.links


def rows(*items: dict[str, Any]) -> dict[str, str]:
    """The editor's fields for ``items`` (key, label, link, url, position, parent)."""
    data: dict[str, str] = {}
    for index, item in enumerate(items):
        for name in ("key", "label", "link", "url", "position", "parent"):
            data[f"items-{index}-{name}"] = str(item.get(name, ""))
        if item.get("remove"):
            data[f"items-{index}-remove"] = "y"
    return data


def errors_of(html: str) -> dict[str, str]:
    return {
        field: html_module.unescape(message)
        for field, message in re.findall(
            r'<p class="error" id="([\w-]+)-error">([^<]*)</p>', html
        )
    }


@pytest.fixture
def admin(make_user, auth):  # type: ignore[no-untyped-def]
    user = make_user(Role.ADMIN, "ada")
    auth.login("ada")
    return user


def test_the_default_menu_is_todays(client, make_post, make_user, auth):
    make_post("Visible", categories="Gardening, Bees")
    make_post("Hidden draft", categories="Unseen", publish=False)
    expected = [
        ("Events", "/events/", 0),
        ("Bees", "/category/bees/", 0),
        ("Gardening", "/category/gardening/", 0),
    ]
    assert nav(client) == expected
    # The same menu on every public page, the error page too.
    for path in ("/events/", "/privacy/", "/no-such-page/"):
        assert nav(client, path) == expected, path
    # The editor starts from it.
    make_user(Role.ADMIN, "ada")
    auth.login("ada")
    html = client.get(MENU).get_data(as_text=True)
    assert "The site shows the default menu" in html
    chosen = re.findall(r'<option selected value="([^"]+)"', html)
    assert chosen[0] == "events" and len(chosen) == 3
    assert all(value.startswith("category:") for value in chosen[1:])


def test_an_admin_builds_a_nested_menu(client, app, admin, make_page, make_post):
    about = make_page("About")
    team = make_page("Team", parent=about)
    draft = make_page("Draft page", publish=False)
    response = client.post(
        MENU,
        data=rows(
            {"key": "new-1", "link": f"page:{about.id}", "position": 2},
            {"key": "new-2", "link": "events", "label": "What's on", "position": 1},
            {
                "key": "new-3",
                "label": "Shop",
                "link": "url",
                "url": "https://shop.example.org/",
            },
        ),
        follow_redirects=True,
    )
    assert "Menu saved." in response.get_data(as_text=True)
    assert nav(client) == [
        ("What's on", "/events/", 0),
        ("About", "/about/", 0),
        ("Shop", "https://shop.example.org/", 0),
    ]
    # Nest Team under About, add a draft page (left out until published),
    # move Shop first, remove "What's on".
    client.post(
        MENU,
        data=rows(
            {
                "key": "1",
                "link": "events",
                "label": "What's on",
                "position": 1,
                "remove": True,
            },
            {"key": "2", "link": f"page:{about.id}", "position": 2},
            {
                "key": "3",
                "label": "Shop",
                "link": "url",
                "url": "https://shop.example.org/",
                "position": 0,
            },
            {"key": "new-1", "link": f"page:{team.id}", "parent": "2", "position": 1},
            {"key": "new-2", "link": f"page:{draft.id}", "parent": "2", "position": 2},
        ),
    )
    assert nav(client) == [
        ("Shop", "https://shop.example.org/", 0),
        ("About", "/about/", 0),
        ("Team", "/about/team/", 1),
    ]
    html = client.get("/about/team/").get_data(as_text=True)
    assert '<a href="/about/team/" aria-current="page">Team</a>' in html
    # The editor shows the saved menu, nested.
    html = client.get(MENU).get_data(as_text=True)
    assert html.count('class=" menu-child"') == 2


def test_bad_addresses_are_refused_next_to_their_field(client, app, admin):
    response = client.post(
        MENU,
        data=rows(
            {"key": "1", "link": "events"},
            {"key": "2", "label": "Click", "link": "url", "url": "javascript:alert(1)"},
            {"key": "3", "label": "Files", "link": "url", "url": "ftp://example.org/"},
            {"key": "4", "link": "url"},
        ),
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    errors = errors_of(html)
    assert errors["items-1-url"] == "Give a full address starting with https://"
    assert errors["items-2-url"] == "Give a full address starting with https://"
    assert errors["items-3-url"] == "Give the address, starting with https://"
    assert errors["items-3-label"] == "Give the link a label."
    assert 'value="javascript:alert(1)"' in html  # kept to fix
    with app.app_context():
        assert db.session.get(Setting, "menu") is None  # nothing saved
    assert "javascript:" not in client.get("/").get_data(as_text=True)


def test_menu_links_follow_a_renamed_page(client, app, admin, make_page):
    about = make_page("About")
    client.post(MENU, data=rows({"key": "1", "link": f"page:{about.id}"}))
    assert nav(client) == [("About", "/about/", 0)]
    client.post(
        f"/dashboard/pages/{about.id}/edit",
        data={"title": "About us", "slug": "about-us", "body": "x", "action": "update"},
    )
    assert nav(client) == [("About us", "/about-us/", 0)]


def test_a_page_gone_from_the_site_leaves_the_menu(client, app, admin, make_page):
    about = make_page("About")
    team = make_page("Team", parent=about)
    client.post(
        MENU,
        data=rows(
            {"key": "1", "link": f"page:{about.id}"},
            {"key": "2", "link": f"page:{team.id}", "parent": "1"},
        ),
    )
    client.post(f"/dashboard/pages/{about.id}/trash")
    # Its sub-item takes its place.
    assert nav(client) == [("Team", "/about/team/", 0)]


def test_only_admins_edit_the_menu(client, app, make_user, auth):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    assert client.get(MENU).status_code == 403
    assert client.post(MENU, data=rows({"key": "1", "link": "home"})).status_code == 403
    assert client.post(MENU + "reset").status_code == 403


def test_the_default_menu_comes_back(client, app, admin, make_post):
    make_post("Visible", categories="Gardening")
    client.post(MENU, data=rows({"key": "1", "link": "home", "label": "Start"}))
    assert nav(client) == [("Start", "/", 0)]
    response = client.post(MENU + "reset", follow_redirects=True)
    assert "The site shows the default menu again." in response.get_data(as_text=True)
    assert nav(client) == [
        ("Events", "/events/", 0),
        ("Gardening", "/category/gardening/", 0),
    ]


def test_a_menu_of_any_size_costs_the_same_queries(
    client, app, make_user, make_page, make_post, count_queries
):
    app.config["CACHE_PAGES"] = False  # the cost of making the pages
    admin = make_user(Role.ADMIN, "ada")
    make_post("Visible", categories="Gardening")
    first = make_page("First")

    def save(page_ids: list[int], category: bool) -> None:
        with app.app_context():
            menu = [
                MenuRow(str(n), link=f"page:{id_}") for n, id_ in enumerate(page_ids)
            ]
            if category:
                term = db.session.scalar(select(Term.id))
                menu.append(MenuRow("c", link=f"category:{term}"))
                menu += [
                    MenuRow(f"c{n}", link=f"page:{page_ids[0]}", parent="c")
                    for n in range(3)
                ]
            save_menu(db.session.get(User, admin.id), menu)

    def queries(path: str) -> int:
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        return counter.count

    save([first.id], category=False)
    small = {path: queries(path) for path in ("/", "/first/")}
    pages = [make_page(f"Page {n}") for n in range(12)]
    save([first.id] + [p.id for p in pages], category=True)
    assert len(nav(client)) == 13 + 1 + 3
    assert {path: queries(path) for path in ("/", "/first/")} == small
    # And the default menu costs no more than a saved one.
    with app.app_context():
        db.session.delete(db.session.get(Setting, "menu"))
        db.session.commit()
    assert queries("/") == small["/"]


def test_previews_show_the_menu(client, admin):
    client.post(
        MENU,
        data=rows(
            {
                "key": "1",
                "label": "Shop",
                "link": "url",
                "url": "https://shop.example.org/",
            }
        ),
    )
    for path in ("/dashboard/pages/new", "/dashboard/posts/new"):
        response = client.post(
            path, data={"title": "Draft", "body": "Words.", "action": "preview"}
        )
        parser = _Nav()
        parser.feed(response.get_data(as_text=True))
        assert parser.links == [("Shop", "https://shop.example.org/", 0)], path
