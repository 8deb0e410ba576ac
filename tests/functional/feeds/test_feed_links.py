"""How readers find the feeds: ``<link rel="alternate">`` in the head of
every public page (the site's feeds, and the feed of what the page shows),
and the footer's "Subscribe" link."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from blog.models import Role
from tests.fixtures_comments import url_of

FEED_TYPES = ("application/rss+xml", "application/atom+xml")
SITE_FEEDS = [
    ("application/rss+xml", "My Blog » Feed", "http://localhost/feed/"),
    ("application/atom+xml", "My Blog » Atom Feed", "http://localhost/feed/atom/"),
    (
        "application/rss+xml",
        "My Blog » Comments Feed",
        "http://localhost/comments/feed/",
    ),
]


class Head(HTMLParser):
    """The page's feed links (in <head>) and its Subscribe link."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.in_head = False
        self.alternates: list[tuple[str, str, str]] = []
        self.subscribe: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        found = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif (
            tag == "link"
            and self.in_head
            and found.get("rel") == "alternate"
            and found.get("type") in FEED_TYPES  # not the events' iCal files
        ):
            self.alternates.append((found["type"], found["title"], found["href"]))
        elif tag == "a" and "subscribe-link" in (found.get("class") or ""):
            self.subscribe = found["href"]

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "head":
            self.in_head = False


def _head(client, path: str) -> Head:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 200, path
    return Head(response.get_data(as_text=True))


@pytest.fixture
def site(make_user, make_post, make_page, make_event):
    ann = make_user(Role.AUTHOR, "ann", display_name="Ann Lee")
    post = make_post("Bees & honey", author=ann, categories="News", tags="Bees")
    page = make_page("About")
    event = make_event("Open house")
    return {"post": post, "page": page, "event": event}


def test_every_public_page_names_the_site_feeds(client, site):
    for path in ("/", f"/{site['page'].slug}/", "/privacy/", url_of(site["post"])):
        head = _head(client, path)
        assert head.alternates[:3] == SITE_FEEDS, path
        assert head.subscribe == "/feed/", path


@pytest.mark.parametrize(
    "path, extra",
    [
        ("/category/news/", ("My Blog » News Category Feed", "/category/news/feed/")),
        ("/tag/bees/", ("My Blog » Bees Tag Feed", "/tag/bees/feed/")),
        ("/author/ann/", ("My Blog » Posts by Ann Lee Feed", "/author/ann/feed/")),
        ("/events/", ("My Blog » Events Feed", "/events/feed/")),
    ],
)
def test_an_archive_names_its_own_feed(client, site, path, extra):
    title, feed = extra
    head = _head(client, path)
    assert head.alternates == [
        *SITE_FEEDS,
        ("application/rss+xml", title, "http://localhost" + feed),
    ]
    assert client.get(feed).status_code == 200


def test_an_article_names_its_comments_feed(client, site):
    url = url_of(site["post"])
    head = _head(client, url)
    assert head.alternates[3:] == [
        (
            "application/rss+xml",
            "My Blog » Bees & honey Comments Feed",
            f"http://localhost{url}feed/",
        )
    ]
    assert client.get(url + "feed/").status_code == 200


def test_an_event_page_names_the_events_feed(client, site):
    head = _head(client, f"/events/{site['event'].slug}/")
    assert head.alternates[3:] == [
        (
            "application/rss+xml",
            "My Blog » Events Feed",
            "http://localhost/events/feed/",
        )
    ]


def test_a_missing_archive_names_no_feed_of_its_own(client, site):
    response = client.get("/category/nothing/")
    assert response.status_code == 404
    head = Head(response.get_data(as_text=True))
    assert head.alternates == SITE_FEEDS


def test_the_subscribe_link_is_labelled(client, site):
    html = client.get("/").get_data(as_text=True)
    start = html.index('class="subscribe-link"')
    link = html[start : html.index("</a>", start)]
    assert 'aria-hidden="true"' in link and link.endswith(">Subscribe")


def test_dashboard_pages_name_no_feeds(client, make_user, auth):
    make_user(Role.ADMIN, "boss")
    auth.login("boss")
    html = client.get("/dashboard/").get_data(as_text=True)
    assert "application/rss+xml" not in html
