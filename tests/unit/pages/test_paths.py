"""blog.pages.paths: a page's address and the words its slug may not take."""

from __future__ import annotations

import pytest

from blog.models import Post, PostKind
from blog.pages.paths import (
    RESERVED,
    is_reserved,
    page_path,
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
