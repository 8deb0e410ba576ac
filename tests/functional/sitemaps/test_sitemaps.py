"""``/sitemap.xml`` and its sitemaps, as a crawler reads them: an index of
parts, each part a list of absolute addresses that answer 200, only what
readers can open, with when each last changed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from blog.extensions import db
from blog.models import Post, Role, Term, User, utcnow
from blog.posts.publishing import trash_post
from blog.sitemaps import sections
from tests.fixtures_comments import url_of

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITE = "http://localhost"
W3C_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[+-]\d\d:\d\d|Z)$")


def parse(response, root_tag: str) -> ET.Element:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    root = ET.fromstring(response.data)
    assert root.tag == f"{{{NS}}}{root_tag}"
    return root


def entries(root: ET.Element) -> dict[str, str | None]:
    """``loc`` -> ``lastmod`` of every child, each checked for form."""
    found: dict[str, str | None] = {}
    for child in root:
        assert child.tag in (f"{{{NS}}}url", f"{{{NS}}}sitemap")
        assert {c.tag for c in child} <= {f"{{{NS}}}loc", f"{{{NS}}}lastmod"}
        loc = child.findtext(f"{{{NS}}}loc")
        lastmod = child.findtext(f"{{{NS}}}lastmod")
        assert loc is not None and loc.startswith(SITE + "/"), loc
        assert lastmod is None or W3C_DATETIME.match(lastmod), lastmod
        assert loc not in found
        found[loc] = lastmod
    return found


def index(client) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    return entries(parse(client.get("/sitemap.xml"), "sitemapindex"))


def every_url(client) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    """Every address in every sitemap the index lists."""
    urls: dict[str, str | None] = {}
    for loc in index(client):
        part = entries(parse(client.get(loc.removeprefix(SITE)), "urlset"))
        assert part, f"{loc} is listed but empty"
        assert not set(part) & set(urls), "an address in two sitemaps"
        urls.update(part)
    return urls


def w3c(value: datetime | None) -> str:
    assert value is not None
    return value.isoformat(timespec="seconds")


@pytest.fixture
def site(app, make_user, make_post, make_page, make_event):  # type: ignore[no-untyped-def]
    """What readers can see, and one of every kind of thing they cannot."""
    ann = make_user(Role.AUTHOR, "ann", display_name="Ann")
    article = make_post(
        "Bees", author=ann, categories="Nature", tags="Honey", days_ago=5
    )
    about = make_page("About")
    team = make_page("Team", parent=about)
    event = make_event("Open house", categories="Fairs")
    shy = make_user(Role.AUTHOR, "shy")  # only drafts
    make_post("Draft", author=shy, publish=False, categories="Secret", tags="Hush")
    make_post("Later", author=shy, days_ago=-3, tags="Tomorrow")
    contributor = make_user(Role.CONTRIBUTOR, "connie")
    pending = make_post("Pending", author=contributor, tags="Waiting")
    binned = make_post("Binned", author=shy, tags="Rubbish")
    make_page("Unfinished", publish=False)
    make_event("Secret gathering", publish=False)
    with app.app_context():
        trash_post(db.session.get(User, shy.id), db.session.get(Post, binned.id))
        assert db.session.get(Post, pending.id).status == "pending"
    return {"article": article, "about": about, "team": team, "event": event}


def test_the_index_lists_a_sitemap_of_each_kind_that_has_something(client, site):
    parts = index(client)
    assert set(parts) == {
        f"{SITE}/sitemap-{name}-1.xml"
        for name in ("home", "articles", "pages", "events", "categories", "tags")
        + ("authors",)
    }
    assert all(lastmod is not None for lastmod in parts.values())


def test_sitemaps_hold_exactly_what_readers_can_open(client, site):
    urls = every_url(client)
    article, event = site["article"], site["event"]
    assert set(urls) == {
        f"{SITE}/",
        f"{SITE}/events/",
        SITE + url_of(article),
        f"{SITE}/about/",
        f"{SITE}/about/team/",
        f"{SITE}/events/{event.slug}/",
        f"{SITE}/category/nature/",
        f"{SITE}/category/fairs/",  # the event's category has a page too
        f"{SITE}/tag/honey/",
        f"{SITE}/author/ann/",
    }
    for loc in urls:  # and every one of them opens
        assert client.get(loc.removeprefix(SITE)).status_code == 200, loc


def test_hidden_things_are_absent(client, site):
    text = "".join(
        client.get(loc.removeprefix(SITE)).get_data(as_text=True)
        for loc in index(client)
    )
    for hidden in ("draft", "later", "pending", "binned", "unfinished", "secret"):
        assert hidden not in text
    for term in ("hush", "tomorrow", "waiting", "rubbish"):
        assert f"/tag/{term}/" not in text
    assert "/author/shy/" not in text and "/author/connie/" not in text


def test_lastmod_is_the_newest_change(app, client, site):
    article = site["article"]
    edited = utcnow().replace(microsecond=0) - timedelta(hours=2)
    with app.app_context():
        db.session.execute(
            update(Post).where(Post.id == article.id).values(updated_at=edited)
        )
        db.session.commit()
    urls = every_url(client)
    assert urls[SITE + url_of(article)] == w3c(edited)
    assert urls[f"{SITE}/tag/honey/"] == w3c(edited)
    assert urls[f"{SITE}/author/ann/"] == w3c(edited)
    assert urls[f"{SITE}/"] == w3c(edited)  # the home page: the newest article
    # A post edited before its date came: the date it appeared on.
    event = site["event"]
    with app.app_context():
        published = db.session.get(Post, event.id).published_at
        db.session.execute(
            update(Post)
            .where(Post.id == event.id)
            .values(updated_at=published - timedelta(days=1))
        )
        db.session.commit()
    assert every_url(client)[f"{SITE}/events/{event.slug}/"] == w3c(published)
    assert index(client)[f"{SITE}/sitemap-articles-1.xml"] == w3c(edited)


def test_addresses_are_escaped(app, client, make_user, make_post):
    odd = make_user(Role.AUTHOR, "odd", slug="bits&bobs")
    make_post("Odds", author=odd, tags="Ends")
    with app.app_context():
        db.session.execute(update(Term).values(slug="ends&odds"))
        db.session.commit()
    text = client.get("/sitemap-authors-1.xml").get_data(as_text=True)
    assert "/author/bits&amp;bobs/" in text
    assert "/tag/ends&amp;odds/" in client.get("/sitemap-tags-1.xml").get_data(
        as_text=True
    )
    assert f"{SITE}/author/bits&bobs/" in every_url(client)


def test_sections_split_at_the_limit(client, make_user, make_post, monkeypatch):
    monkeypatch.setattr(sections, "PER_SITEMAP", 2)
    ann = make_user(Role.AUTHOR)
    posts = [
        make_post(f"Post {n}", author=ann, days_ago=10 - n, tags=f"T{n}")
        for n in range(5)
    ]
    parts = index(client)
    for name, count in (("articles", 3), ("tags", 3), ("authors", 1)):
        listed = [loc for loc in parts if f"/sitemap-{name}-" in loc]
        assert listed == [f"{SITE}/sitemap-{name}-{n}.xml" for n in range(1, count + 1)]
    first = entries(parse(client.get("/sitemap-articles-1.xml"), "urlset"))
    last = entries(parse(client.get("/sitemap-articles-3.xml"), "urlset"))
    assert list(first) == [SITE + url_of(p) for p in posts[:2]]  # oldest first
    assert list(last) == [SITE + url_of(posts[4])]
    assert parts[f"{SITE}/sitemap-articles-3.xml"] == last[SITE + url_of(posts[4])]
    articles = [u for u in every_url(client) if re.search(r"/\d{4}/\d\d/", u)]
    assert len(articles) == 5
    assert client.get("/sitemap-articles-4.xml").status_code == 404
    assert client.get("/sitemap-articles-0.xml").status_code == 404


def test_an_empty_site_has_the_home_page_alone(client):
    parts = index(client)
    assert list(parts) == [f"{SITE}/sitemap-home-1.xml"]
    urls = entries(parse(client.get("/sitemap-home-1.xml"), "urlset"))
    assert urls == {f"{SITE}/": None}  # nothing has changed yet
    for name in ("articles", "pages", "events", "categories", "tags", "authors"):
        assert client.get(f"/sitemap-{name}-1.xml").status_code == 404
    assert client.get("/sitemap-nonsense-1.xml").status_code == 404


def test_sitemaps_answer_304_and_are_public(client, site):
    for address in ("/sitemap.xml", "/sitemap-articles-1.xml"):
        first = client.get(address)
        assert first.headers["Cache-Control"].startswith("public")
        again = client.get(address, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304


def test_query_count_does_not_grow_with_the_site(
    app, client, make_user, make_post, make_page, make_event, count_queries
):
    addresses = [f"/sitemap-{name}-1.xml" for name in sections.Section] + [
        "/sitemap.xml"
    ]

    def counts() -> list[int]:
        app.config["CACHE_PAGE_SECONDS"] = 0  # made afresh every time
        result = []
        for address in addresses:
            with count_queries() as counter:
                assert client.get(address).status_code == 200, address
            result.append(counter.count)
        return result

    def grow(n: int) -> None:
        author = make_user(Role.AUTHOR)
        parent = make_page(f"Parent {n}")
        make_page(f"Child {n}", parent=parent)
        make_post(f"Post {n}", author=author, categories=f"C{n}", tags=f"T{n}")
        make_event(f"Event {n}", author=author, categories=f"E{n}")

    grow(0)
    small = counts()
    for n in range(1, 6):
        grow(n)
    assert counts() == small
    assert max(small) <= 4
