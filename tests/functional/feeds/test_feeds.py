"""The site's feeds (/feed/, /feed/atom/) as feed readers see them: the
newest visible articles, never anything readers may not see, with stable
ids, absolute links, authors' names and categories; conditional requests
answer 304."""

from __future__ import annotations

import calendar
import io
import re
from datetime import UTC, datetime

import pytest
from flask import url_for
from lxml import etree

from blog.extensions import db
from blog.media import Uploads, store_image
from blog.models import Post, Role, User
from blog.posts import publishing
from blog.site.settings import save_settings
from tests.fixtures_comments import url_of
from tests.fixtures_events import png_bytes
from tests.functional.feeds.helpers import (
    CONTENT_NS,
    SITE,
    check_atom,
    check_rss,
    parse,
)


@pytest.fixture
def app_config():
    # A long time bucket: the ETag changes only with the content here.
    return {"CACHE_PAGE_SECONDS": 86400}


def _settings(app, **values) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        save_settings(values)
        db.session.commit()


def _moment(parsed_time) -> datetime:  # type: ignore[no-untyped-def]
    return datetime.fromtimestamp(calendar.timegm(parsed_time), UTC)


def test_rss_lists_articles_with_everything_a_reader_needs(
    client, make_user, make_post
):
    author = make_user(Role.AUTHOR, "marta", display_name="Marta Oyelaran")
    post = make_post(
        "Bees in the city",
        "Rooftop hives are *thriving*.\n\nSecond paragraph.",
        author=author,
        categories="News",
        tags="Bees, Cities",
    )
    feed = parse(client, "/feed/")
    response = feed.response
    assert response.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    check_rss(response.data, f"{SITE}/feed/")
    assert feed.feed.title == "My Blog"
    assert feed.feed.subtitle == "Just another blog"
    assert feed.feed.link == f"{SITE}/"
    [entry] = feed.entries
    assert entry.title == "Bees in the city"
    assert entry.link == SITE + url_of(post)
    assert entry.id == f"{SITE}/?p={post.id}"
    assert entry.author == "Marta Oyelaran"
    assert {tag.term for tag in entry.tags} == {"News", "Bees", "Cities"}
    assert _moment(entry.published_parsed) == post.published_at.replace(microsecond=0)
    assert feed.feed.updated_parsed is not None  # lastBuildDate
    assert "<em>thriving</em>" in entry.content[0].value
    assert "Second paragraph." in entry.content[0].value
    assert "Second paragraph." not in entry.summary  # the excerpt
    assert b"@example.org" not in response.data  # the author's email


def test_atom_has_ids_dates_and_authors(client, make_user, make_post):
    author = make_user(Role.AUTHOR, "ann", display_name="Ann")
    post = make_post("Atom post", "Body text.", author=author, categories="News")
    feed = parse(client, "/feed/atom/")
    response = feed.response
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    check_atom(response.data, f"{SITE}/feed/atom/")
    [entry] = feed.entries
    assert entry.id == f"{SITE}/?p={post.id}"
    assert entry.link == SITE + url_of(post)
    assert entry.author == "Ann"
    assert [tag.term for tag in entry.tags] == ["News"]
    assert entry.published_parsed and entry.updated_parsed
    assert _moment(entry.updated_parsed) >= _moment(entry.published_parsed)
    assert _moment(feed.feed.updated_parsed) == _moment(entry.updated_parsed)
    assert "Body text." in entry.content[0].value


def test_hidden_posts_never_appear(app, client, make_user, make_post, make_page):
    make_post("Visible article", days_ago=2)
    make_post("A draft", publish=False)
    make_post("Scheduled for later", days_ago=-3)
    make_post("Waiting for review", author=make_user(Role.CONTRIBUTOR))
    trashed = make_post("Thrown away", days_ago=1)
    make_page("A static page")
    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.role == Role.ADMIN))
        publishing.trash_post(admin, db.session.get(Post, trashed.id))
        db.session.commit()
    for path in ("/feed/", "/feed/atom/"):
        feed = parse(client, path)
        assert [e.title for e in feed.entries] == ["Visible article"], path
        for hidden in ("A draft", "Scheduled", "Waiting", "Thrown", "static page"):
            assert hidden.encode() not in feed.response.data, (path, hidden)


def test_newest_first_and_limited_by_the_reading_setting(app, client, make_post):
    for n in range(12):
        make_post(f"Post {n}", days_ago=20 - n)
    assert [e.title for e in parse(client, "/feed/").entries] == [
        f"Post {n}" for n in range(11, 1, -1)
    ]  # ten by default
    _settings(app, feed_items=3)
    for path in ("/feed/", "/feed/atom/"):
        titles = [e.title for e in parse(client, path).entries]
        assert titles == ["Post 11", "Post 10", "Post 9"], path


def test_excerpts_instead_of_full_text(app, client, make_post):
    make_post("Long", "Opening paragraph.\n\nThe rest of the story.")
    make_post("Teased", "Hidden body.", excerpt="A hand-written *teaser*.", days_ago=2)
    _settings(app, feed_full_text=False)
    rss = parse(client, "/feed/")
    atom = parse(client, "/feed/atom/")
    for feed in (rss, atom):
        long, teased = feed.entries
        assert "content" not in long and "content" not in teased
        assert "Opening paragraph." in long.summary
        assert "The rest of the story." not in long.summary
        assert "<em>teaser</em>" in teased.summary
        assert b"Hidden body." not in feed.response.data
        assert b"The rest of the story." not in feed.response.data


def test_an_article_without_a_paragraph_gets_a_text_excerpt(app, client, make_post):
    make_post("Headings only", "# A heading\n\n## Another heading")
    _settings(app, feed_full_text=False)
    [entry] = parse(client, "/feed/").entries
    assert "A heading Another heading" in entry.summary


def test_addresses_in_the_html_are_absolute(app, client, make_post):
    with app.app_context():
        media = store_image(io.BytesIO(png_bytes((900, 600))), Uploads.of(app))
        db.session.commit()
        media_id = media.id
    post = make_post(
        "Links",
        "See [the about page](/about/), [a note](#notes) and "
        f"[elsewhere](https://example.com/x).\n\n![A bee](media:{media_id})",
    )
    # The raw HTML: feedparser's own sanitizer would drop srcset.
    root = etree.fromstring(client.get("/feed/").data)
    html = root.findtext(f"channel/item/{{{CONTENT_NS}}}encoded")
    assert html is not None
    assert 'href="http://localhost/about/"' in html
    assert f'href="{SITE}{url_of(post)}#user-content-notes"' in html
    assert 'href="https://example.com/x"' in html
    assert re.search(r'<img [^>]*src="http://localhost/media/[^"]+"', html)
    srcsets = re.findall(r'srcset="([^"]+)"', html)
    assert len(srcsets) == 2  # the <source> and the <img>
    for candidate in ", ".join(srcsets).split(", "):
        assert candidate.startswith("http://localhost/media/"), candidate
        assert candidate.endswith("w"), candidate
    assert 'href="/' not in html and 'src="/' not in html


def test_the_id_stays_when_the_slug_changes(app, client, make_post):
    post = make_post("First title")
    before = parse(client, "/feed/").entries[0]
    with app.app_context():
        actor = db.session.scalar(db.select(User).where(User.role == Role.ADMIN))
        publishing.save_post(
            actor,
            publishing.PostInput(title="New title", body="Edited.", slug="new-title"),
            action=publishing.SaveAction.UPDATE,
            post=db.session.get(Post, post.id),
        )
        db.session.commit()
    after = parse(client, "/feed/").entries[0]
    assert after.title == "New title" and after.link.endswith("/new-title/")
    assert after.id == before.id == f"{SITE}/?p={post.id}"


def test_an_empty_feed_is_valid_and_answers_304(client):
    for path, check in (("/feed/", check_rss), ("/feed/atom/", check_atom)):
        feed = parse(client, path)
        assert feed.entries == []
        check(feed.response.data, SITE + path)
        etag = feed.response.headers["ETag"]
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.data == b""


def test_conditional_requests_get_304(client, make_post):
    make_post()
    for path in ("/feed/", "/feed/atom/"):
        first = client.get(path)
        assert first.headers["ETag"].startswith('W/"')
        assert "Last-Modified" in first.headers
        assert "Set-Cookie" not in first.headers
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""
        since = client.get(
            path, headers={"If-Modified-Since": first.headers["Last-Modified"]}
        )
        assert since.status_code == 304


def test_a_reader_sees_a_newly_published_article_and_not_a_draft(
    client, make_user, make_post
):
    """Done means: a feed reader subscribed to /feed/ sees a newly published
    article and not a draft, polling the way readers do (If-None-Match)."""
    author = make_user(Role.AUTHOR)
    make_post("Already there", author=author, days_ago=3)
    feed = parse(client, "/feed/")
    etag = feed.response.headers["ETag"]
    seen = {entry.id for entry in feed.entries}
    assert client.get("/feed/", headers={"If-None-Match": etag}).status_code == 304

    new = make_post("Fresh news", author=author, days_ago=0.01)
    make_post("Unfinished draft", author=author, publish=False)

    response = client.get("/feed/", headers={"If-None-Match": etag})
    assert response.status_code == 200
    polled = parse(client, "/feed/")
    fresh = [entry for entry in polled.entries if entry.id not in seen]
    assert [(e.title, e.id) for e in fresh] == [("Fresh news", f"{SITE}/?p={new.id}")]
    assert b"Unfinished draft" not in response.data


def test_old_addresses_redirect_to_the_feeds(client):
    rss = client.get("/rss.xml")
    assert rss.status_code == 301 and rss.headers["Location"] == "/feed/"
    atom = client.get("/atom.xml")
    assert atom.status_code == 301 and atom.headers["Location"] == "/feed/atom/"


def test_the_channel_names_the_site(app, client, make_post):
    make_post()
    _settings(app, title="Bee Notes", tagline="")
    rss = parse(client, "/feed/")
    assert rss.feed.title == "Bee Notes"
    assert rss.feed.subtitle == "Bee Notes"  # RSS wants a description
    assert rss.feed.language == "en"
    assert rss.feed.generator


def test_the_feeds_addresses(app):
    with app.test_request_context():
        assert url_for("feeds.site") == "/feed/"
        assert url_for("feeds.site", fmt="atom") == "/feed/atom/"
        assert url_for("feeds.category", slug="news") == "/category/news/feed/"
        assert url_for("feeds.comments") == "/comments/feed/"
        assert url_for("feeds.events", fmt="atom") == "/events/feed/atom/"
