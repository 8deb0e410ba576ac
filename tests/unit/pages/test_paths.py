"""blog.pages.paths: a page's address and the words its slug may not take."""

from __future__ import annotations

import pytest
from flask import url_for
from werkzeug.exceptions import NotFound

from blog.models import Post, PostKind
from blog.pages.paths import (
    MAX_DEPTH,
    RESERVED,
    is_reserved,
    page_path,
    page_route,
    page_segments,
    reserved_message,
    reserved_words,
    routed_words,
)

#: What it checks cannot differ between SQLite and PostgreSQL.
pytestmark = pytest.mark.engine_independent


def _page(slug: str, parent: Post | None = None) -> Post:
    return Post(kind=PostKind.PAGE, title=slug.title(), slug=slug, parent=parent)


def test_a_top_level_page_lives_at_its_slug():
    assert page_path(_page("about")) == "/about/"


def test_a_subpage_lives_under_its_parent():
    assert page_path(_page("team", parent=_page("about"))) == "/about/team/"


def test_a_page_lives_under_all_its_ancestors():
    level1 = _page("level-1")
    level3 = _page("level-3", parent=_page("level-2", parent=level1))
    assert page_path(level3) == "/level-1/level-2/level-3/"
    assert page_segments(level3) == ("level-1", "level-2", "level-3")


def test_an_address_has_at_most_max_depth_parts():
    """A page stored deeper than the editor allows (or in a loop no service
    would store) keeps its nearest ancestors, so its address still routes."""
    page = _page("p1")
    for n in range(2, MAX_DEPTH + 3):
        page = _page(f"p{n}", parent=page)
    assert page_segments(page) == ("p3", "p4", "p5", "p6", "p7")
    first = _page("first")
    second = _page("second", parent=first)
    first.parent = second
    assert page_path(second) == "/second/first/second/first/second/"


def test_the_route_that_builds_each_depth():
    assert page_route(("about",)) == ("pages.page", {"slug": "about"})
    assert page_route(("about", "team")) == (
        "pages.subpage",
        {"parent": "about", "slug": "team"},
    )
    assert page_route(("a", "b", "c", "d")) == (
        "pages.subpage",
        {"level1": "a", "level2": "b", "parent": "c", "slug": "d"},
    )


def test_every_depth_is_routed_and_built(app):
    with app.test_request_context():
        for depth in range(1, MAX_DEPTH + 1):
            parts = tuple(f"part-{n}" for n in range(1, depth + 1))
            endpoint, values = page_route(parts)
            address = url_for(endpoint, **values)
            assert address == "/" + "/".join(parts) + "/"
            adapter = app.url_map.bind("localhost")
            assert adapter.match(address) == (endpoint, values)


@pytest.mark.parametrize(
    ("address", "endpoint"),
    [
        ("/2024/05/hello/", "public.article"),
        ("/2024/05/", "public.month_archive"),
        ("/events/talk/", "events.detail"),
        ("/category/news/feed/", "feeds.category"),
        ("/a/b/c/d/e/", "pages.subpage"),
        ("/2008/09/03/hello/", None),  # WordPress's dated address: a redirect
        ("/news/2008/hello/", None),  # no page part is all digits
        ("/a/b/c/d/e/f/", None),  # deeper than pages go
        ("/dashboard/a/b/", None),
        ("/a/robots.txt/c/", None),
    ],
)
def test_page_rules_never_shadow_the_sites_other_addresses(app, address, endpoint):
    adapter = app.url_map.bind("localhost")
    if endpoint is None:
        with pytest.raises(NotFound):
            adapter.match(address)
    else:
        assert adapter.match(address)[0] == endpoint


def test_every_fixed_first_part_the_app_routes_is_reserved(app):
    routed = routed_words(app.url_map)
    for word in (
        "dashboard",
        "login",
        "logout",
        "setup",
        "password",
        "events",
        "category",
        "tag",
        "author",
        "media",
        "static",
        "comments",
        "privacy",
    ):
        assert word in routed, word
    # Rules that start with a converter (archives, pages) reserve nothing.
    assert not any("<" in word for word in routed)


def test_addresses_still_to_come_are_reserved_too(app):
    words = reserved_words(app.url_map)
    assert RESERVED <= words
    for word in ("feed", "search", "sitemap.xml", "robots.txt", "page", "wp-admin"):
        assert word in words


@pytest.mark.parametrize(
    "slug",
    [
        "dashboard",
        "events",
        "feed",
        "search",
        "page",
        "wp-admin",
        "wp-anything",
        "2024",
        "1",
    ],
)
def test_reserved_slugs(app, slug):
    assert is_reserved(slug, reserved_words(app.url_map))


@pytest.mark.parametrize(
    "slug", ["about", "events-2", "2024-report", "contact", "pages"]
)
def test_ordinary_slugs(app, slug):
    assert not is_reserved(slug, reserved_words(app.url_map))


def test_the_messages_say_why_and_what_to_do():
    assert reserved_message("events") == (
        "The address /events/ belongs to the site itself. Choose another slug."
    )
    assert "year's archive (/2024/)" in reserved_message("2024")
    assert "2024-report" in reserved_message("2024")
