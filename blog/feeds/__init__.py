"""Feeds: RSS 2.0 and Atom at WordPress's addresses, for feed readers.

- ``queries``: which rows a feed shows (visible posts, approved comments,
  upcoming events), in a fixed number of queries;
- ``entries``: what an entry says (id, author name, categories, full text
  or excerpt) and the channel, whatever the format;
- ``links``: absolute addresses in the stored HTML, stable ids;
- ``channels``: each feed the site offers, from those;
- ``documents``: a feed as RSS or Atom bytes (feedgen).

Views (``blog/views/feeds.py``) build a :class:`FeedSite` from the app and
call one function of ``channels``, then ``rss`` or ``atom``.
"""

from blog.feeds.channels import (
    Here,
    author_feed,
    comments_feed,
    events_feed,
    site_feed,
    term_feed,
)
from blog.feeds.documents import ATOM_MIME, ATOM_TYPE, RSS_MIME, RSS_TYPE, atom, rss
from blog.feeds.entries import Channel, Entry, Feed, FeedSite
from blog.feeds.links import absolute_html

__all__ = [
    "ATOM_MIME",
    "ATOM_TYPE",
    "RSS_MIME",
    "RSS_TYPE",
    "Channel",
    "Entry",
    "Feed",
    "FeedSite",
    "Here",
    "absolute_html",
    "atom",
    "author_feed",
    "comments_feed",
    "events_feed",
    "rss",
    "site_feed",
    "term_feed",
]
