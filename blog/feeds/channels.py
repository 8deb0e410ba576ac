"""The feeds the site offers, each as a :class:`~blog.feeds.entries.Feed`:
the site's articles, an archive's (category, tag, author), the comments
site-wide and on one article, and the upcoming events.

Views pass where the feed and its page are (:class:`Here`); the title and
description follow WordPress's ("Comments on: TITLE").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from blog.feeds import queries
from blog.feeds.entries import (
    Channel,
    Feed,
    FeedSite,
    comment_entry,
    event_entry,
    make_feed,
    post_entry,
)
from blog.models import Post, Taxonomy, Term, User, utcnow
from blog.posts import reading

#: The separator in WordPress's titles: "Site » News".
SEPARATOR = " \u00bb "


@dataclass(frozen=True)
class Here:
    """The feed's own address and the page it follows, both absolute."""

    self_url: str
    page_url: str


def _channel(site: FeedSite, here: Here, title: str, description: str = "") -> Channel:
    return Channel(
        title=title,
        description=description or site.tagline or site.title,
        link=here.page_url,
        self_url=here.self_url,
        language=site.language,
        site_title=site.title,
    )


def _posts(site: FeedSite, here: Here, title: str, posts: list[Post]) -> Feed:
    entries = [post_entry(site, post) for post in posts]
    return make_feed(_channel(site, here, title), entries, utcnow())


def site_feed(site: FeedSite, here: Here) -> Feed:
    """The newest articles (``/feed/``)."""
    posts = queries.newest(reading.visible(), site.items)
    return _posts(site, here, site.title, posts)


def term_feed(site: FeedSite, here: Here, term: Term) -> Feed:
    """The newest articles of a category or tag."""
    posts = queries.newest(reading.in_term(term), site.items)
    kind = "Category" if term.taxonomy == Taxonomy.CATEGORY else "Tag"
    title = f"{site.title}{SEPARATOR}{term.name} {kind}"
    return _posts(site, here, title, posts)


def author_feed(site: FeedSite, here: Here, author: User) -> Feed:
    """The newest articles of one author."""
    posts = queries.newest(reading.by_author(author), site.items)
    title = f"{site.title}{SEPARATOR}Posts by {author.display_name}"
    return _posts(site, here, title, posts)


def comments_feed(
    site: FeedSite, here: Here, post: Post | None = None, now: datetime | None = None
) -> Feed:
    """The newest approved comments on visible posts, site-wide or on ``post``."""
    rows = queries.newest_comments(
        site.items,
        thread_depth=site.thread_depth,
        per_page=site.comments_per_page,
        post_id=None if post is None else post.id,
        now=now,
    )
    entries = [comment_entry(site, comment, page) for comment, page in rows]
    if post is None:
        title = f"Comments for {site.title}"
    else:
        title = f"Comments on: {post.title}"
    return make_feed(_channel(site, here, title), entries, now or utcnow())


def events_feed(site: FeedSite, here: Here, now: datetime | None = None) -> Feed:
    """The next upcoming dates, soonest first (each date of a repeating
    event an entry of its own)."""
    found = queries.next_events(site.items, now)
    entries = [event_entry(site, date.post, date) for date in found]
    title = f"{site.title}{SEPARATOR}Events"
    return make_feed(_channel(site, here, title), entries, now or utcnow())
