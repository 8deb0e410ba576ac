"""Entries made from posts, events and comments: ids, authors, categories,
full text or excerpt, absolute addresses; and the RSS and Atom documents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import feedparser
import pytest
from lxml import etree

from blog.feeds import Channel, Feed, FeedSite, atom, rss
from blog.feeds.entries import (
    comment_entry,
    event_entry,
    make_feed,
    post_entry,
    text_excerpt,
)
from blog.models import (
    Comment,
    Event,
    EventStatus,
    Post,
    PostKind,
    Taxonomy,
    Term,
    User,
)

SITE = "https://blog.example"
PUBLISHED = datetime(2024, 5, 3, 9, 30, 15, 123456, tzinfo=UTC)


def _site(**changes) -> FeedSite:  # type: ignore[no-untyped-def]
    values = {
        "url": SITE,
        "title": "Bee Notes",
        "tagline": "Small news",
        "items": 10,
        "full_text": True,
        "post_url": lambda post: f"{SITE}/2024/05/{post.slug}/",
        "thread_depth": 3,
        "comments_per_page": 2,
    }
    values.update(changes)
    return FeedSite(**values)


def _post(**fields) -> Post:  # type: ignore[no-untyped-def]
    post = Post(
        id=fields.pop("id", 7),
        kind=fields.pop("kind", PostKind.ARTICLE),
        title=fields.pop("title", "Bees in the city"),
        slug=fields.pop("slug", "bees"),
        body_html=fields.pop(
            "body_html",
            '<p>Rooftop <a href="/hives/">hives</a>.</p>\n<p>The rest.</p>',
        ),
        excerpt_html=fields.pop("excerpt_html", "<p>Rooftop hives.</p>"),
        published_at=PUBLISHED,
        created_at=PUBLISHED - timedelta(days=1),
        updated_at=fields.pop("updated_at", PUBLISHED + timedelta(hours=2)),
    )
    post.author = User(display_name="Marta", email="marta@example.org", slug="m")
    post.terms = fields.pop(
        "terms",
        [
            Term(taxonomy=Taxonomy.TAG, name="Bees", slug="bees"),
            Term(taxonomy=Taxonomy.CATEGORY, name="News", slug="news"),
            Term(taxonomy=Taxonomy.AUDIENCE, name="Students", slug="students"),
        ],
    )
    return post


def test_a_post_entry_has_everything_a_reader_needs():
    entry = post_entry(_site(), _post())
    assert entry.id == "https://blog.example/?p=7"
    assert entry.title == "Bees in the city"
    assert entry.link == "https://blog.example/2024/05/bees/"
    assert entry.author == "Marta"
    assert entry.categories == ("News", "Bees")  # no audience
    assert entry.published == PUBLISHED
    assert entry.updated == PUBLISHED + timedelta(hours=2)
    assert entry.summary_html == "<p>Rooftop hives.</p>"
    assert entry.content_html == (
        '<p>Rooftop <a href="https://blog.example/hives/">hives</a>.</p>\n'
        "<p>The rest.</p>"
    )


def test_excerpts_only_when_the_site_says_so():
    entry = post_entry(_site(full_text=False), _post())
    assert entry.content_html is None
    assert entry.summary_html == "<p>Rooftop hives.</p>"


def test_an_entry_is_never_updated_before_it_was_published():
    post = _post(updated_at=PUBLISHED - timedelta(days=3))  # imported, say
    assert post_entry(_site(), post).updated == PUBLISHED


def test_no_excerpt_gives_the_opening_words():
    body = (
        "<h2>Title</h2><ul><li>" + " ".join(f"w{n}" for n in range(80)) + "</li></ul>"
    )
    entry = post_entry(_site(), _post(excerpt_html="", body_html=body))
    assert entry.summary_html.startswith("<p>Title w0 w1")
    assert "w54" not in entry.summary_html  # 55 words, the heading's included
    assert entry.summary_html.endswith("w53\u00a0[\u2026]</p>")


def test_text_excerpts_are_escaped():
    assert text_excerpt("<p>a &lt;b&gt; &amp; c</p>") == "<p>a &lt;b&gt; &amp; c</p>"
    assert text_excerpt("<p> </p>") == ""


def _event(status: EventStatus = EventStatus.SCHEDULED) -> Post:
    post = _post(kind=PostKind.EVENT, title="Bee talk", slug="bee-talk")
    post.event = Event(
        starts_at=datetime(2031, 4, 1, 22, 0, tzinfo=UTC),
        ends_at=datetime(2031, 4, 1, 23, 30, tzinfo=UTC),
        timezone="America/New_York",
        all_day=False,
        venue_name="Town Hall",
        room="Room 2",
        venue_address="",
        online_url="",
        status=status,
    )
    return post


def test_an_event_entry_says_when_and_where():
    entry = event_entry(_site(), _event())
    assert entry.title == "Bee talk (Tue, Apr 1, 6:00 p.m. EDT)"
    when = (
        "<p><strong>When:</strong> Tuesday, April 1, 2031, 6:00\u20137:30 p.m. EDT</p>"
    )
    where = "<p><strong>Where:</strong> Room 2, Town Hall</p>"
    assert entry.summary_html.startswith(when + where)
    assert entry.content_html is not None and entry.content_html.startswith(when)


def test_a_postponed_event_says_so():
    entry = event_entry(_site(full_text=False), _event(EventStatus.POSTPONED))
    assert entry.title.startswith("Postponed: Bee talk (")
    assert entry.summary_html.startswith("<p><strong>Postponed</strong></p>")
    assert entry.content_html is None


def test_an_article_is_not_an_event():
    with pytest.raises(ValueError):
        event_entry(_site(), _post())


def _comment(**fields) -> Comment:  # type: ignore[no-untyped-def]
    comment = Comment(
        id=fields.pop("id", 31),
        author_name="Ruth",
        author_email="ruth@example.net",
        author_ip="198.51.100.9",
        body_html='<p>Nice. <a href="/more/" rel="nofollow ugc">more</a></p>',
        submitted_at=PUBLISHED + timedelta(days=1),
    )
    comment.post = _post()
    return comment


def test_a_comment_entry():
    entry = comment_entry(_site(), _comment(), page=1)
    assert entry.title == "Comment on Bees in the city by Ruth"
    assert entry.id == "https://blog.example/?p=7#comment-31"
    assert entry.link == "https://blog.example/2024/05/bees/#comment-31"
    assert entry.author == "Ruth"
    assert entry.categories == ()
    assert entry.published == entry.updated == PUBLISHED + timedelta(days=1)
    assert 'href="https://blog.example/more/"' in (entry.content_html or "")
    assert entry.summary_html == "<p>Nice. more</p>"
    later = comment_entry(_site(), _comment(), page=3)
    assert later.link == "https://blog.example/2024/05/bees/?cpage=3#comment-31"


def test_an_empty_feed_is_dated_when_it_was_made():
    channel = Channel("T", "D", SITE + "/", SITE + "/feed/")
    now = datetime(2025, 1, 1, tzinfo=UTC)
    assert make_feed(channel, [], now).updated == now
    entry = post_entry(_site(), _post())
    assert make_feed(channel, [entry], now).updated == entry.updated


def _feed(*, full_text: bool = True) -> Feed:
    site = _site(full_text=full_text)
    entries = [
        post_entry(site, _post()),
        comment_entry(site, _comment(), page=2),
    ]
    channel = Channel(
        "Bee Notes", "Small news", SITE + "/", SITE + "/feed/", site_title="Bee Notes"
    )
    return make_feed(channel, entries, datetime.now(UTC))


def test_rss_document():
    data = rss(_feed())
    root = etree.fromstring(data)
    channel = root.find("channel")
    assert channel.findtext("link") == SITE + "/"
    assert channel.findtext("generator") == "blog"
    build = parsedate_to_datetime(channel.findtext("lastBuildDate"))
    assert build == PUBLISHED.replace(microsecond=0) + timedelta(days=1)
    first = channel.find("item")
    assert first.find("guid").get("isPermaLink") == "false"
    assert parsedate_to_datetime(first.findtext("pubDate")) == PUBLISHED.replace(
        microsecond=0
    )
    assert first.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Marta"
    assert [c.text for c in first.findall("category")] == ["News", "Bees"]
    assert first.find("author") is None
    assert b"@example" not in data
    parsed = feedparser.parse(data)
    assert not parsed.bozo
    assert parsed.entries[0].summary == "<p>Rooftop hives.</p>"
    assert "The rest." in parsed.entries[0].content[0].value


def test_atom_document():
    data = atom(_feed())
    parsed = feedparser.parse(data)
    assert not parsed.bozo
    assert parsed.feed.id == SITE + "/feed/"
    assert parsed.feed.author == "Bee Notes"
    post, comment = parsed.entries
    assert post.author == "Marta" and comment.author == "Ruth"
    assert post.published == "2024-05-03T09:30:15+00:00"  # to the second
    assert post.content[0].type == "text/html"
    assert post.summary == "<p>Rooftop hives.</p>"
    assert b"@example" not in data


def test_documents_with_excerpts_only():
    for data in (rss(_feed(full_text=False)), atom(_feed(full_text=False))):
        parsed = feedparser.parse(data)
        assert all("content" not in entry for entry in parsed.entries)
        assert b"The rest." not in data


def test_characters_xml_cannot_carry_are_left_out():
    site = _site()
    post = _post(title="Bell\x07 and\x0b tab\tok")
    comment = _comment()
    comment.author_name = "Ru\x00th"
    channel = Channel("T\x1b", "D", SITE + "/", SITE + "/feed/")
    feed = make_feed(
        channel,
        [post_entry(site, post), comment_entry(site, comment, 1)],
        datetime.now(UTC),
    )
    for data in (rss(feed), atom(feed)):
        parsed = feedparser.parse(data)
        assert not parsed.bozo
        assert parsed.feed.title == "T"
        assert parsed.entries[0].title == "Bell and tab\tok"
        assert parsed.entries[1].author == "Ruth"
