"""Feeds of a category, a tag and an author, at WordPress's addresses
(``/category/<slug>/feed/`` and ``.../feed/atom/``); 404 where the archive
itself would be."""

from __future__ import annotations

import pytest

from blog.models import Role
from tests.functional.feeds.helpers import SITE, check_atom, check_rss, parse


@pytest.fixture
def archive(make_user, make_post):
    ann = make_user(Role.AUTHOR, "ann", display_name="Ann Lee")
    bob = make_user(Role.AUTHOR, "bob", display_name="Bob")
    make_post("Ann on bees", author=ann, categories="News", tags="Bees", days_ago=3)
    make_post("Bob on bees", author=bob, categories="Garden", tags="Bees", days_ago=2)
    make_post("Ann's draft", author=ann, categories="News", tags="Bees", publish=False)
    make_post("Bob's news", author=bob, categories="News", days_ago=1)


@pytest.mark.parametrize(
    "path, titles, feed_title",
    [
        ("/category/news/", ["Bob's news", "Ann on bees"], "My Blog » News Category"),
        ("/tag/bees/", ["Bob on bees", "Ann on bees"], "My Blog » Bees Tag"),
        ("/author/ann/", ["Ann on bees"], "My Blog » Posts by Ann Lee"),
    ],
)
def test_an_archive_has_its_feeds(client, archive, path, titles, feed_title):
    rss = parse(client, path + "feed/")
    check_rss(rss.response.data, SITE + path + "feed/")
    atom = parse(client, path + "feed/atom/")
    check_atom(atom.response.data, SITE + path + "feed/atom/")
    for feed in (rss, atom):
        assert [entry.title for entry in feed.entries] == titles
        assert feed.feed.title == feed_title
        assert feed.feed.link == SITE + path
        assert b"draft" not in feed.response.data
    assert atom.response.headers["Content-Type"].startswith("application/atom+xml")


@pytest.mark.parametrize(
    "path",
    [
        "/category/nothing/feed/",
        "/tag/nothing/feed/atom/",
        "/author/nobody/feed/",
        "/category/drafted/feed/",  # only a draft carries it
        "/author/ed/feed/",  # staff who never published
    ],
)
def test_an_archive_that_does_not_exist_has_no_feed(client, make_user, make_post, path):
    make_user(Role.EDITOR, "ed")
    make_post("Hidden", categories="Drafted", publish=False)
    response = client.get(path)
    assert response.status_code == 404
    assert "ETag" not in response.headers


def test_an_archive_feed_answers_304(client, archive):
    first = client.get("/category/news/feed/")
    etag = first.headers["ETag"]
    again = client.get("/category/news/feed/", headers={"If-None-Match": etag})
    assert again.status_code == 304
