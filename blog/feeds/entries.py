"""What a feed says, independent of its format: the channel, and one entry
per post, event or comment, made from the stored rows.

The rules of an entry live here: its id (stable across slug changes), its
author's name (never an email), its categories, and whether it carries the
full text or an excerpt (the Reading setting ``feed_full_text``). Every
address in the HTML is made absolute (:mod:`blog.feeds.links`); the HTML
itself is the sanitized HTML stored when the post or comment was saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from html import escape

from blog.events.calendar import details_of, place
from blog.events.recurrence import Occurrence
from blog.events.when import short_when, short_when_of, when, when_of
from blog.feeds.links import absolute_html, comment_guid, post_guid
from blog.models import Comment, EventStatus, Post
from blog.rendering import plain_text

#: Words in an excerpt made from the text, as WordPress's ``excerpt_length``.
EXCERPT_WORDS = 55
MORE = "\u00a0[\u2026]"


@dataclass(frozen=True)
class FeedSite:
    """What the feeds need from the site, built at the edge from the app's
    configuration and settings: no feed reads ``current_app`` itself."""

    url: str  # SITE_URL
    title: str
    tagline: str
    items: int  # the Reading setting feed_items
    full_text: bool  # the Reading setting feed_full_text
    #: A post's public address, absolute (article, event or page).
    post_url: Callable[[Post], str]
    #: Where a thread's comments are cut into pages (COMMENT_THREAD_DEPTH,
    #: COMMENTS_PER_PAGE), for links to a comment on a later page.
    thread_depth: int = 5
    comments_per_page: int = 50
    language: str = "en"


@dataclass(frozen=True)
class Entry:
    """One item of a feed."""

    id: str
    title: str
    link: str
    published: datetime
    updated: datetime
    author: str
    categories: tuple[str, ...]
    summary_html: str
    #: The full text; ``None`` when the site's feeds show excerpts only.
    content_html: str | None


@dataclass(frozen=True)
class Channel:
    """The feed itself: what it is called, and where it and its page are."""

    title: str
    description: str
    link: str  # the page the feed follows (the site, an archive, an article)
    self_url: str  # the feed's own address
    language: str = "en"
    site_title: str = ""  # who stands for the feed (Atom's feed-level author)


@dataclass(frozen=True)
class Feed:
    channel: Channel
    entries: Sequence[Entry]
    updated: datetime  # the newest entry's change (or when it was made)


def make_feed(channel: Channel, entries: Sequence[Entry], now: datetime) -> Feed:
    """The feed, dated by its newest entry's last change; an empty feed by
    ``now`` (the response's validators come from the content version, not
    from this date, so a reader's conditional request still gets ``304``)."""
    updated = max((entry.updated for entry in entries), default=now)
    return Feed(channel, tuple(entries), updated)


def text_excerpt(html: str, words: int = EXCERPT_WORDS) -> str:
    """The first ``words`` words of ``html``'s text, as escaped HTML."""
    parts = plain_text(html).split()
    if not parts:
        return ""
    text = " ".join(parts[:words]) + (MORE if len(parts) > words else "")
    return f"<p>{escape(text)}</p>"


def _absolute(site: FeedSite, html: str, base: str) -> str:
    return absolute_html(html, site_url=site.url, base=base)


def _categories(post: Post) -> tuple[str, ...]:
    """Categories, then tags, by name (both are categories in a feed)."""
    return tuple(term.name for term in [*post.categories, *post.tags])


def _published(post: Post) -> datetime:
    return post.published_at or post.created_at


def post_entry(site: FeedSite, post: Post) -> Entry:
    """An article (or page) as an entry: full text or excerpt per the site."""
    link = site.post_url(post)
    excerpt = post.excerpt_html or text_excerpt(post.body_html)
    published = _published(post)
    return Entry(
        id=post_guid(site.url, post.id),
        title=post.title,
        link=link,
        published=published,
        updated=post.modified_at,
        author=post.author.display_name,
        categories=_categories(post),
        summary_html=_absolute(site, excerpt, link),
        content_html=_absolute(site, post.body_html, link) if site.full_text else None,
    )


def where(post: Post) -> str:
    """An event's place in words: room, venue and address, else "Online"."""
    if post.event is None:
        return ""
    return place(post.event) or ("Online" if post.event.is_online else "")


def event_entry(
    site: FeedSite, post: Post, occurrence: Occurrence | None = None
) -> Entry:
    """An upcoming event as an entry: its date and time lead the title and
    the text, in the event's own zone, and a changed status says so.

    A date of a repeating event (``occurrence``) is an entry of its own:
    its date, its page (``/events/<slug>/<YYYY-MM-DD>/``) and an id that
    adds the date to the event's.
    """
    event = details_of(post)
    entry = post_entry(site, post)
    status_of = event.status if occurrence is None else occurrence.status
    status = "" if status_of == EventStatus.SCHEDULED else f"{status_of.label}: "
    spoken = when(event) if occurrence is None else when_of(occurrence)
    short = short_when(event) if occurrence is None else short_when_of(occurrence)
    facts = f"<p><strong>When:</strong> {escape(spoken)}</p>"
    if place := where(post):
        facts += f"<p><strong>Where:</strong> {escape(place)}</p>"
    if status:
        facts = f"<p><strong>{escape(status_of.label)}</strong></p>" + facts
    content = entry.content_html
    if occurrence is not None and occurrence.repeats:
        day = occurrence.day.isoformat()
        entry = replace(entry, id=f"{entry.id}#{day}", link=f"{entry.link}{day}/")
    return replace(
        entry,
        title=f"{status}{post.title} ({short})",
        summary_html=facts + entry.summary_html,
        content_html=None if content is None else facts + content,
    )


def comment_entry(site: FeedSite, comment: Comment, page: int) -> Entry:
    """An approved comment as an entry: "Comment on TITLE by NAME", linked
    to the comment on its page of the thread; never the commenter's email,
    address or IP."""
    post = comment.post
    query = f"?cpage={page}" if page > 1 else ""
    link = f"{site.post_url(post)}{query}#comment-{comment.id}"
    body = _absolute(site, comment.body_html, link)
    return Entry(
        id=comment_guid(site.url, post.id, comment.id),
        title=f"Comment on {post.title} by {comment.author_name}",
        link=link,
        published=comment.submitted_at,
        updated=comment.submitted_at,
        author=comment.author_name,
        categories=(),
        summary_html=text_excerpt(comment.body_html),
        content_html=body if site.full_text else None,
    )
