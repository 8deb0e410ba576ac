"""``/robots.txt``, and "Discourage search engines from indexing this site"
(Settings → Reading): robots.txt shuts everything, every public page and
response says noindex, the sitemap is withdrawn."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from blog.extensions import db
from blog.models import Role
from blog.site import save_settings
from tests.fixtures_comments import url_of

NOINDEX_META = '<meta name="robots" content="noindex, nofollow">'
ROBOTS_META = re.compile(r'<meta name="robots"[^>]*>')


def discourage(app: Flask, value: bool = True) -> None:
    with app.app_context():
        save_settings({"discourage_search_engines": value})
        db.session.commit()


def rules(text: str) -> list[tuple[str, str]]:
    """``(field, value)`` of each line, comments and blanks left out."""
    found = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            field, _, value = line.partition(":")
            found.append((field.strip().lower(), value.strip()))
    return found


def allowed(text: str, address: str) -> bool:
    """RFC 9309's reading for ``User-agent: *``: the longest matching rule
    wins, ``Allow`` on a tie; ``*`` is any run of characters, ``$`` the end."""
    best: tuple[int, bool] = (-1, True)
    for field, value in rules(text):
        if field not in ("allow", "disallow") or not value:
            continue
        pattern = re.escape(value).replace(r"\*", ".*")
        if pattern.endswith(r"\$"):
            pattern = pattern[:-2] + "$"
        if re.match(pattern, address):
            candidate = (len(value), field == "allow")
            best = max(best, candidate)
    return best[1]


@pytest.fixture
def robots(client) -> str:  # type: ignore[no-untyped-def]
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    return str(response.get_data(as_text=True))


def test_robots_txt_keeps_crawlers_to_the_public_site(robots, make_post):
    assert rules(robots)[0] == ("user-agent", "*")
    assert ("sitemap", "http://localhost/sitemap.xml") in rules(robots)
    for address in (
        "/",
        "/2026/11/hello/",
        "/category/news/",
        "/events/",
        "/about/",
        "/setup-guide/",  # a page whose slug starts like an account address
        "/login-help/",
        "/comments/feed/",
        "/privacy/",
        "/feed/",
    ):
        assert allowed(robots, address), address
    for address in (
        "/dashboard/",
        "/dashboard/posts/",
        "/login",
        "/login/two-factor",
        "/logout",
        "/setup",
        "/password/reset",
        "/password/reset/abc",
        "/comments/a-held-comment-token/",
        "/comments/post/3",
        "/search/?q=bees",
        "/?s=bees",
    ):
        assert not allowed(robots, address), address


def test_robots_txt_is_cacheable(client):
    first = client.get("/robots.txt")
    assert first.headers["Cache-Control"].startswith("public")
    again = client.get("/robots.txt", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_no_noindex_while_search_engines_are_welcome(client, make_post):
    post = make_post("Bees")
    for address in ("/", url_of(post), "/sitemap.xml", "/robots.txt"):
        response = client.get(address)
        assert response.status_code == 200
        assert "X-Robots-Tag" not in response.headers
        assert not ROBOTS_META.search(response.get_data(as_text=True))


def test_discouraged_robots_txt_names_no_sitemap(app, client):
    """The pages stay fetchable, so that crawlers read their noindex."""
    discourage(app)
    text = client.get("/robots.txt").get_data(as_text=True)
    assert ("disallow", "/") not in rules(text)
    assert "Sitemap" not in text
    assert allowed(text, "/") and not allowed(text, "/dashboard/")
    discourage(app, False)
    assert "Sitemap: " in client.get("/robots.txt").get_data(as_text=True)


def test_discouraged_sitemaps_are_withdrawn(app, client, make_post):
    make_post("Bees", tags="Honey")
    discourage(app)
    for address in ("/sitemap.xml", "/sitemap-articles-1.xml", "/sitemap-home-1.xml"):
        response = client.get(address)
        assert response.status_code == 404
        assert response.headers["X-Robots-Tag"] == "noindex, nofollow"


def test_discouraged_pages_say_noindex_once(
    app, client, make_user, make_post, make_page, make_event
):
    author = make_user(Role.AUTHOR, "ann")
    post = make_post("Bees", author=author, categories="Nature")
    page = make_page("About")
    event = make_event("Open house")
    discourage(app)
    for address in (
        "/",
        url_of(post),
        f"/{page.slug}/",
        f"/events/{event.slug}/",
        "/events/",
        "/category/nature/",
        "/author/ann/",
        "/privacy/",
        "/no-such-page/",  # the 404 page
    ):
        for attempt in ("made", "from the page cache"):
            response = client.get(address)
            html = response.get_data(as_text=True)
            assert ROBOTS_META.findall(html) == [NOINDEX_META], (address, attempt)
            assert response.headers.get("X-Robots-Tag") == "noindex, nofollow", (
                address,
                attempt,
            )
            if response.status_code == 200:
                assert response.headers["Cache-Control"].startswith("public"), address


def test_a_page_with_its_own_robots_rule_keeps_one_tag(
    app, client, make_post, post_comment
):
    """The held-comment page says noindex itself: one tag, not two."""
    post = make_post("Talks")
    location = post_comment(post, "First!").headers["Location"].split("#")[0]
    discourage(app)
    response = client.get(location)
    assert response.status_code == 200
    assert len(ROBOTS_META.findall(response.get_data(as_text=True))) == 1
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"


def test_a_preview_has_one_robots_tag(app, client, auth, make_user):
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    discourage(app)
    response = client.post(
        "/dashboard/posts/new",
        data={"title": "Preview me", "body": "Hi.", "action": "preview"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Preview me" in html and len(ROBOTS_META.findall(html)) == 1
