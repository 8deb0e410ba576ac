"""A feed as RSS 2.0 or Atom 1.0 bytes, with feedgen.

RSS wants an email for an item's ``<author>``, which a feed must never
show, so the author's name goes in ``<dc:creator>`` (as WordPress does);
Atom has ``<author><name>``. The text is HTML, escaped in the XML: RSS
``<description>`` (the excerpt) and ``<content:encoded>`` (the full text);
Atom ``<summary type="html">`` and ``<content type="html">``.
"""

from __future__ import annotations

import re
from datetime import datetime

from feedgen.feed import FeedGenerator

from blog.feeds.entries import Feed

RSS_MIME, ATOM_MIME = "application/rss+xml", "application/atom+xml"
RSS_TYPE = f"{RSS_MIME}; charset=utf-8"
ATOM_TYPE = f"{ATOM_MIME}; charset=utf-8"
GENERATOR = "blog"


#: Characters XML 1.0 cannot carry at all (lxml refuses them): a title or
#: name stored by an importer with one must not take the whole feed down.
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _x(text: str) -> str:
    return _NOT_XML_RE.sub("", text)


def _seconds(moment: datetime) -> datetime:
    """Times to the second, as everywhere else on the site."""
    return moment.replace(microsecond=0)


def _generator(feed: Feed, *, rss: bool) -> FeedGenerator:
    channel = feed.channel
    generator = FeedGenerator()
    if rss:
        generator.load_extension("dc", atom=False, rss=True)
    generator.id(channel.self_url)
    generator.title(_x(channel.title))
    # Self first: RSS's <link> is the last one given.
    generator.link(
        href=channel.self_url, rel="self", type=RSS_MIME if rss else ATOM_MIME
    )
    generator.link(href=channel.link, rel="alternate")
    generator.language(channel.language)
    generator.generator(GENERATOR)
    generator.updated(_seconds(feed.updated))
    generator.lastBuildDate(_seconds(feed.updated))
    if rss:
        generator.description(_x(channel.description))
    else:
        generator.subtitle(_x(channel.description))
        # Atom wants an author for the feed unless every entry has one: an
        # empty feed has none, so the site stands for it.
        generator.author(name=_x(channel.site_title or channel.title))
    for item in feed.entries:
        entry = generator.add_entry(order="append")
        entry.id(item.id)
        entry.guid(item.id, permalink=False)
        entry.title(_x(item.title))
        entry.link(href=item.link, rel="alternate")
        entry.published(_seconds(item.published))
        entry.updated(_seconds(item.updated))
        for name in item.categories:
            entry.category(term=_x(name))
        if rss:
            entry.dc.dc_creator(_x(item.author))
            if item.content_html is not None:
                entry.content(_x(item.content_html))
            entry.description(_x(item.summary_html))
        else:
            entry.author(name=_x(item.author))
            if item.content_html is not None:
                entry.content(_x(item.content_html), type="html")
            entry.summary(_x(item.summary_html), type="html")
    return generator


def rss(feed: Feed) -> bytes:
    """The feed as RSS 2.0 (with ``atom:link rel="self"``, as validators ask)."""
    return _generator(feed, rss=True).rss_str(pretty=False)


def atom(feed: Feed) -> bytes:
    """The feed as Atom 1.0."""
    return _generator(feed, rss=False).atom_str(pretty=False)
