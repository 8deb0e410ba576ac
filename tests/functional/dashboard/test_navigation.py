"""The dashboard's side navigation (blog/views/dashboard/navigation.py) as the
pages show it: what each role sees, which entry is current, the pending
count beside Comments, the Menu button, and the Tools screen."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from flask import Flask

from blog.models import CommentStatus, Role
from blog.views.dashboard import navigation

#: What it checks cannot differ between SQLite and PostgreSQL.
pytestmark = pytest.mark.engine_independent

EVERY_SECTION = [
    "Dashboard",
    "Posts",
    "Events",
    "Pages",
    "Media",
    "Comments",
    "Users",
    "Settings",
    "Tools",
]


@dataclass
class Link:
    text: str
    href: str
    current: str | None  # the aria-current value
    marked: bool  # the "current" style on its list item


@dataclass
class Section:
    link: Link
    items: list[Link] = field(default_factory=list)


class _Nav(HTMLParser):
    """The sections and links of ``<nav id="dash-nav">``, and its Menu button."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[Section] = []
        self.toggle: dict[str, str | None] | None = None
        self._in_nav = self._in_submenu = False
        self._li_current: list[bool] = []
        self._link: Link | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        if tag == "button" and "menu-toggle" in classes:
            self.toggle = found
        if tag == "nav" and found.get("id") == "dash-nav":
            self._in_nav = True
        if not self._in_nav:
            return
        if tag == "li":
            self._li_current.append("current" in classes)
        elif tag == "ul" and "submenu" in classes:
            self._in_submenu = True
        elif tag == "a":
            marked = bool(self._li_current and self._li_current[-1])
            self._link = Link(
                "", found["href"] or "", found.get("aria-current"), marked
            )

    def handle_endtag(self, tag: str) -> None:
        if not self._in_nav:
            return
        if tag == "nav":
            self._in_nav = False
        elif tag == "li" and self._li_current:
            self._li_current.pop()
        elif tag == "ul" and self._in_submenu:
            self._in_submenu = False
        elif tag == "a" and self._link is not None:
            self._link.text = " ".join(self._link.text.split())
            if self._in_submenu:
                self.sections[-1].items.append(self._link)
            else:
                self.sections.append(Section(self._link))
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link.text += data


def nav_of(client, url: str) -> _Nav:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _Nav()
    parser.feed(response.get_data(as_text=True))
    return parser


def labels(nav: _Nav) -> list[str]:
    return [section.link.text.split(" ")[0] for section in nav.sections]


def section(nav: _Nav, label: str) -> Section:
    return next(s for s in nav.sections if s.link.text.split(" ")[0] == label)


def pages_marked_current(nav: _Nav) -> list[str]:
    links = [s.link for s in nav.sections] + [i for s in nav.sections for i in s.items]
    return [link.text for link in links if link.current == "page"]


def test_an_admin_sees_every_section_in_wordpress_order(client, make_user, auth):
    auth.login(make_user(Role.ADMIN))
    nav = nav_of(client, "/dashboard/")
    assert labels(nav) == EVERY_SECTION
    assert section(nav, "Dashboard").link.current == "page"
    # Only the current section is unfolded.
    assert all(not s.items for s in nav.sections)


@pytest.mark.parametrize(
    ("role", "sees", "never"),
    [
        (
            Role.CONTRIBUTOR,
            ["Dashboard", "Posts", "Events", "Profile"],
            ["Pages", "Comments", "Users", "Settings", "Tools"],
        ),
        (
            Role.AUTHOR,
            ["Dashboard", "Posts", "Events", "Comments", "Profile"],
            ["Pages", "Users", "Settings", "Tools"],
        ),
        (
            Role.EDITOR,
            ["Dashboard", "Posts", "Events", "Pages", "Comments", "Profile"],
            ["Users", "Settings", "Tools"],
        ),
    ],
)
def test_each_role_sees_only_what_it_may_use(
    client, make_user, auth, role, sees, never
):
    auth.login(make_user(role))
    nav = nav_of(client, "/dashboard/posts/")
    shown = labels(nav)
    assert [label for label in shown if label in sees] == sees
    assert not set(never) & set(shown)
    posts = [item.text for item in section(nav, "Posts").items]
    if role == Role.EDITOR:
        assert posts == ["All Posts", "Add New", "Categories", "Tags"]
    else:  # categories and tags are managed by editors
        assert posts == ["All Posts", "Add New"]


def test_an_admin_has_users_with_their_profile_and_every_settings_screen(
    client, make_user, auth
):
    auth.login(make_user(Role.ADMIN))
    users = section(nav_of(client, "/dashboard/users/"), "Users")
    assert [i.text for i in users.items] == ["All Users", "Add New", "Profile"]
    settings = section(nav_of(client, "/dashboard/settings/"), "Settings")
    assert [i.text for i in settings.items] == [
        "General",
        "Reading",
        "Discussion",
        "Menu",
        "Promo",
    ]


@pytest.mark.parametrize(
    ("url", "section_label", "item"),
    [
        ("/dashboard/posts/", "Posts", "All Posts"),
        ("/dashboard/posts/?status=draft", "Posts", "All Posts"),
        ("/dashboard/posts/new", "Posts", "Add New"),
        ("/dashboard/terms/category/", "Posts", "Categories"),
        ("/dashboard/terms/tag/", "Posts", "Tags"),
        ("/dashboard/events/new", "Events", "Add New"),
        ("/dashboard/terms/audience/", "Events", "Audiences"),
        ("/dashboard/users/new", "Users", "Add New"),
        ("/dashboard/profile/", "Users", "Profile"),
        ("/dashboard/settings/", "Settings", "General"),
        ("/dashboard/settings/discussion/", "Settings", "Discussion"),
        ("/dashboard/settings/promo/", "Settings", "Promo"),
    ],
)
def test_the_current_screen_is_marked(
    client, make_user, auth, url, section_label, item
):
    auth.login(make_user(Role.ADMIN))
    nav = nav_of(client, url)
    current = section(nav, section_label)
    assert current.link.current == "true" and current.link.marked
    assert pages_marked_current(nav) == [item]
    assert [i.text for i in current.items if i.marked] == [item]
    others = [s for s in nav.sections if s is not current]
    assert not any(s.link.current or s.link.marked or s.items for s in others)


def test_a_screen_under_an_item_marks_it_without_claiming_to_be_it(
    client, make_user, make_post, auth
):
    admin = make_user(Role.ADMIN)
    post = make_post("Rooftop hives", author=admin)
    auth.login(admin)
    nav = nav_of(client, f"/dashboard/posts/{post.id}/edit")
    posts = section(nav, "Posts")
    assert posts.link.current == "true"
    assert [i.text for i in posts.items if i.marked] == ["All Posts"]
    assert pages_marked_current(nav) == []


def test_one_screen_sections_are_the_page_themselves(client, make_user, auth):
    auth.login(make_user(Role.ADMIN))
    nav = nav_of(client, "/dashboard/comments/?status=spam")
    comments = section(nav, "Comments")
    assert comments.link.current == "page" and comments.items == []
    assert section(nav_of(client, "/dashboard/tools/"), "Tools").link.current == "page"


def test_comments_show_how_many_wait_for_the_moderator(
    client, make_user, make_post, make_comment, auth
):
    author = make_user(Role.AUTHOR)
    theirs = make_post("Their post", author=author)
    others = make_post("Someone else's post")
    make_comment(theirs, "Waiting one.", CommentStatus.PENDING)
    make_comment(theirs, "Waiting two.", CommentStatus.PENDING)
    make_comment(theirs, "Already shown.", CommentStatus.APPROVED)
    make_comment(others, "Not theirs to moderate.", CommentStatus.PENDING)

    auth.login(author)
    assert section(nav_of(client, "/dashboard/"), "Comments").link.text == (
        "Comments 2 pending"
    )
    auth.logout()
    auth.login(make_user(Role.EDITOR))
    assert section(nav_of(client, "/dashboard/"), "Comments").link.text == (
        "Comments 3 pending"
    )


def test_no_pending_comments_shows_no_count(client, make_user, auth):
    auth.login(make_user(Role.EDITOR))
    assert section(nav_of(client, "/dashboard/"), "Comments").link.text == "Comments"


def test_the_menu_button_controls_the_navigation_and_waits_for_javascript(
    client, make_user, auth
):
    auth.login(make_user(Role.AUTHOR, display_name="Tomás Lindqvist"))
    response = client.get("/dashboard/")
    nav = _Nav()
    nav.feed(response.get_data(as_text=True))
    assert nav.toggle is not None
    assert nav.toggle["aria-controls"] == "dash-nav"
    assert nav.toggle["aria-expanded"] == "false"
    assert (
        "hidden" in nav.toggle
    )  # shown by dashboard-nav.js; without it the nav stays open
    page = response.get_data(as_text=True)
    assert "dashboard-nav.js" in page and "css/dashboard.css" in page
    assert ">Log Out</button>" in page and "<bdi>Tomás Lindqvist</bdi>" in page


def test_screens_still_being_built_are_left_out(app: Flask):
    """An item whose endpoint is not registered is skipped, and a section
    left with nothing is not shown."""
    everything = navigation.Abilities(
        moderate=True,
        manage_terms=True,
        manage_pages=True,
        manage_users=True,
        manage_settings=True,
    )
    registered = set(app.view_functions) - {
        "dashboard.pages.index",
        "dashboard.pages.new",
        "dashboard.settings.reading",
    }
    with app.test_request_context("/dashboard/settings/"):
        shown = navigation.build(
            everything, "dashboard.settings.general", {}, registered
        )
    assert "Pages" not in [s.link.label for s in shown]
    settings = next(s for s in shown if s.link.label == "Settings")
    assert "Reading" not in [item.label for item in settings.items]
    assert settings.items[0].label == "General" and settings.items[0].page


def test_tools_are_for_administrators(client, make_user, auth):
    auth.login(make_user(Role.EDITOR))
    assert client.get("/dashboard/tools/").status_code == 403
    auth.logout()
    auth.login(make_user(Role.ADMIN))
    page = client.get("/dashboard/tools/").get_data(as_text=True)
    for command in (
        "flask --app blog backup [--output FILE]",
        "flask --app blog restore FILE [--force]",
        "flask --app blog render",
        "flask --app blog media clean",
        "flask --app blog users set-password USERNAME",
    ):
        assert command in page
