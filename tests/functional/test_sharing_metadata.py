"""What public pages say when shared or indexed: canonical addresses,
descriptions, OpenGraph and Twitter cards, JSON-LD, rel prev/next."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from blog.extensions import db
from blog.media import ImageInput, Uploads, store_image
from blog.models import Post, Role, User
from blog.site.settings import save_settings
from tests.fixtures_comments import url_of
from tests.fixtures_events import png_bytes

SITE = "https://blog.example.org"


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"SITE_URL": SITE + "/"}


class Head(HTMLParser):
    """A page's ``<link>``, ``<meta>`` and JSON-LD, as a browser reads them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[dict[str, str]] = []
        self.metas: list[dict[str, str]] = []
        self.json_ld: list[dict[str, Any]] = []
        self._script: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        attributes = {k: v or "" for k, v in attrs}
        if tag == "link":
            self.links.append(attributes)
        elif tag == "meta":
            self.metas.append(attributes)
        elif tag == "script" and attributes.get("type") == "application/ld+json":
            self._script = []

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "script" and self._script is not None:
            self.json_ld.append(json.loads("".join(self._script)))
            self._script = None

    def link(self, rel: str) -> list[str]:
        return [a["href"] for a in self.links if rel in a.get("rel", "").split()]

    def canonical(self) -> str | None:
        [*found] = self.link("canonical")
        assert len(found) <= 1, found
        return found[0] if found else None

    def values(self, key: str) -> list[str]:
        return [
            m["content"]
            for m in self.metas
            if key in (m.get("property"), m.get("name"))
        ]

    def value(self, key: str) -> str | None:
        found = self.values(key)
        assert len(found) <= 1, (key, found)
        return found[0] if found else None

    def schema(self, kind: str) -> dict[str, Any]:
        [data] = [d for d in self.json_ld if d.get("@type") == kind]
        return data


def head_of(client: FlaskClient, address: str, status: int = 200) -> Head:
    response = client.get(address)
    assert response.status_code == status, address
    return Head(response.get_data(as_text=True))


@pytest.fixture
def author(make_user: Callable[..., User]) -> User:
    return make_user(
        Role.AUTHOR, "wren", display_name="Wren Alvarez", bio="Walks *every* river."
    )


@pytest.fixture
def article(app: Flask, make_post: Callable[..., Post], author: User) -> Post:
    with app.app_context():
        save_settings({"title": "River Notes", "tagline": "Walks & talks"})
        media = store_image(io.BytesIO(png_bytes((1600, 900))), Uploads.of(app))
        db.session.commit()
        media_id = media.id
    return make_post(
        'Fish & "chips" by the river',
        body="Morning on the river path, before the rowers.\n\nMore.",
        author=author,
        categories="Walks, Rivers",
        tags="spring, water",
        image=ImageInput(media_id=media_id, alt="The river at dawn"),
    )


def test_an_article(client: FlaskClient, article: Post, author: User) -> None:
    head = head_of(client, url_of(article))
    url = SITE + url_of(article)
    assert head.canonical() == url
    described = "Morning on the river path, before the rowers."
    assert head.value("description") == described
    assert head.value("og:type") == "article"
    assert head.value("og:title") == 'Fish & "chips" by the river'
    assert head.value("og:url") == url
    assert head.value("og:description") == described
    assert head.value("og:site_name") == "River Notes"
    image = head.value("og:image")
    assert image and image.startswith(f"{SITE}/media/") and image.endswith(".png")
    assert head.value("og:image:width") == "1280"
    assert head.value("og:image:height") == "720"
    assert head.value("og:image:alt") == "The river at dawn"
    assert article.published_at is not None
    published = article.published_at.isoformat(timespec="seconds")
    assert head.value("article:published_time") == published
    assert head.value("article:modified_time")
    assert head.value("article:author") == f"{SITE}/author/wren/"
    assert head.value("article:section") == "Rivers"  # terms sort by name
    assert head.values("article:tag") == ["spring", "water"]
    assert head.value("twitter:card") == "summary_large_image"
    assert head.value("twitter:title") == 'Fish & "chips" by the river'
    assert head.value("twitter:description") == described
    assert head.value("twitter:image") == image
    assert head.value("twitter:image:alt") == "The river at dawn"

    posting = head.schema("BlogPosting")
    assert posting["headline"] == 'Fish & "chips" by the river'
    assert posting["author"] == {
        "@type": "Person",
        "name": "Wren Alvarez",
        "url": f"{SITE}/author/wren/",
    }
    assert posting["datePublished"] == published
    assert posting["dateModified"] == head.value("article:modified_time")
    assert posting["image"] == [image]
    assert posting["publisher"]["@type"] == "Organization"
    assert posting["publisher"]["name"] == "River Notes"
    assert posting["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    trail = head.schema("BreadcrumbList")["itemListElement"]
    assert [(i["position"], i["name"], i["item"]) for i in trail] == [
        (1, "Home", f"{SITE}/"),
        (2, "Rivers", f"{SITE}/category/rivers/"),
        (3, 'Fish & "chips" by the river', url),
    ]


def test_an_article_without_image_or_excerpt(
    client: FlaskClient, make_post: Callable[..., Post]
) -> None:
    words = " ".join(["river"] * 60)
    post = make_post("Plain", body=f"# Heading\n\n{words}", excerpt="")
    head = head_of(client, url_of(post))
    description = head.value("description") or ""
    assert description.startswith("river river") and description.endswith("…")
    assert len(description) <= 160
    assert head.value("twitter:card") == "summary"
    assert head.value("og:image") is None and head.value("twitter:image") is None
    assert head.value("article:section") is None and head.values("article:tag") == []
    trail = head.schema("BreadcrumbList")["itemListElement"]
    assert [i["name"] for i in trail] == ["Home", "Plain"]
    assert "image" not in head.schema("BlogPosting")


def test_the_excerpt_is_the_description(
    client: FlaskClient, make_post: Callable[..., Post]
) -> None:
    post = make_post("Short", body="Long body.", excerpt="The *gist* &amp; more.")
    head = head_of(client, url_of(post))
    assert head.value("description") == "The gist & more."


def test_an_event(client: FlaskClient, make_event: Callable[..., Post]) -> None:
    event = make_event(
        "Quiet channels",
        body="Can quiet talks open doors?",
        image=ImageInput(
            upload=io.BytesIO(png_bytes((800, 500))), filename="h.png", alt="The hall"
        ),
    )
    head = head_of(client, f"/events/{event.slug}/")
    url = f"{SITE}/events/{event.slug}/"
    assert head.canonical() == url
    assert head.value("og:type") == "website"
    assert head.value("og:title") == "Quiet channels"
    assert head.value("description") == "Can quiet talks open doors?"
    assert head.value("og:image:alt") == "The hall"
    assert head.value("og:image:width") == "800"
    assert head.value("twitter:card") == "summary_large_image"
    assert head.value("article:published_time") is None
    assert head.schema("Event")["url"] == url
    trail = head.schema("BreadcrumbList")["itemListElement"]
    assert [(i["name"], i["item"]) for i in trail] == [
        ("Home", f"{SITE}/"),
        ("Events", f"{SITE}/events/"),
        ("Quiet channels", url),
    ]


def test_a_page(client: FlaskClient, make_page: Callable[..., Post]) -> None:
    about = make_page("About", "Who we are.")
    team = make_page("Team", "The people.", parent=about)
    head = head_of(client, f"/{about.slug}/{team.slug}/")
    assert head.canonical() == f"{SITE}/{about.slug}/{team.slug}/"
    assert head.value("og:type") == "website"
    assert head.value("og:title") == "Team"
    assert head.value("description") == "The people."
    assert head.json_ld == []


@pytest.fixture
def archive(app: Flask, make_post: Callable[..., Post], author: User) -> list[Post]:
    with app.app_context():
        save_settings({"posts_per_page": 2, "tagline": "Walks & talks"})
        db.session.commit()
    return [
        make_post(f"Walk {n}", author=author, categories="Walks", days_ago=n + 1)
        for n in range(5)
    ]


def test_the_home_page(client: FlaskClient, archive: list[Post]) -> None:
    head = head_of(client, "/")
    assert head.canonical() == f"{SITE}/"
    assert head.value("og:type") == "website"
    assert head.value("og:title") == "My Blog"
    assert head.value("description") == "Walks & talks"
    assert head.value("twitter:card") == "summary"
    assert head.link("prev") == [] and head.link("next")
    assert head_of(client, "/?page=1").canonical() == f"{SITE}/"
    second = head_of(client, "/?page=2")
    assert second.canonical() == f"{SITE}/?page=2"
    assert second.link("prev") and second.link("next")


def test_an_archive_and_its_second_page(
    app: Flask, client: FlaskClient, archive: list[Post]
) -> None:
    with app.app_context():
        from blog.models import Term

        walks = db.session.query(Term).filter_by(slug="walks").one()
        walks.description = "Every walk, from the weir to the sea."
        db.session.commit()
    first = head_of(client, "/category/walks/")
    assert first.canonical() == f"{SITE}/category/walks/"
    assert first.value("og:title") == "Category: Walks"
    assert first.value("description") == "Every walk, from the weir to the sea."
    assert first.link("prev") == []
    [next_page] = first.link("next")
    assert next_page.startswith("/category/walks/?page=2")
    # the pager's own link carries a cursor; the canonical address does not
    second = head_of(client, next_page)
    assert "after=" in next_page or "before=" in next_page
    assert second.canonical() == f"{SITE}/category/walks/?page=2"
    assert second.link("prev") and second.link("next")
    last = head_of(client, "/category/walks/?page=3")
    assert last.canonical() == f"{SITE}/category/walks/?page=3"
    assert last.link("next") == [] and last.link("prev")


def test_an_author_archive_describes_the_author(
    client: FlaskClient, archive: list[Post]
) -> None:
    head = head_of(client, "/author/wren/")
    assert head.canonical() == f"{SITE}/author/wren/"
    assert head.value("description") == "Walks every river."


def test_events_listings(client: FlaskClient, make_event: Callable[..., Post]) -> None:
    make_event("Quiet channels")
    assert head_of(client, "/events/").canonical() == f"{SITE}/events/"
    filtered = head_of(client, "/events/?category=talks&utm_source=x&after=1.2")
    assert filtered.canonical() == f"{SITE}/events/?category=talks"
    assert head_of(client, "/events/past/").canonical() == f"{SITE}/events/past/"


def test_the_privacy_page(client: FlaskClient) -> None:
    head = head_of(client, "/privacy/")
    assert head.canonical() == f"{SITE}/privacy/"
    assert head.value("og:title") == "Privacy"


def test_an_error_page_has_no_canonical_address(client: FlaskClient) -> None:
    head = head_of(client, "/no/such/page/", 404)
    assert head.canonical() is None
    assert head.value("og:url") is None
    assert head.value("og:title") == "Page not found"
    assert head.value("description") == "Just another blog"


def test_search_pages_get_the_site_card_at_their_own_address(
    app: Flask, client: FlaskClient, make_post: Callable[..., Post]
) -> None:
    if not any(rule.rule == "/search/" for rule in app.url_map.iter_rules()):
        pytest.skip("no search page yet")
    make_post("A walk by the river")
    head = head_of(client, "/search/?q=river&utm_source=x")
    assert head.canonical() == f"{SITE}/search/?q=river"
    assert head.value("og:type") == "website"
    assert head.value("description") == "Just another blog"
    assert head_of(client, "/?s=river").canonical() == f"{SITE}/?s=river"
