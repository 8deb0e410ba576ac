"""Addresses in a feed: a feed is read away from the site, so every address
in an entry's HTML must be absolute, and every entry needs an id that
outlives its slug.

Stored HTML comes from :mod:`blog.rendering` (sanitized when saved), in
which ``<`` only ever opens a tag and attribute values are double-quoted;
only addresses inside tags are touched, never text that looks like one.
"""

from __future__ import annotations

import re
from html import escape, unescape
from urllib.parse import urljoin

#: Attributes whose value is one address.
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
#: Attributes whose value is a list of "address descriptor" candidates.
SRCSET_ATTRIBUTES = frozenset({"srcset"})

_TAG_RE = re.compile(r'<[a-zA-Z][a-zA-Z0-9]*(?:[^>"]|"[^"]*")*>')
_ATTRIBUTE_RE = re.compile(r'(\s)([a-zA-Z_:][-a-zA-Z0-9_:.]*)="([^"]*)"')


def post_guid(site_url: str, post_id: int) -> str:
    """A post's id in feeds, WordPress-style (``SITE_URL/?p=ID``): it stays
    the same when the slug or date changes, so readers never show an entry
    twice."""
    return f"{site_url.rstrip('/')}/?p={post_id}"


def comment_guid(site_url: str, post_id: int, comment_id: int) -> str:
    """A comment's id in feeds (``SITE_URL/?p=ID#comment-N``), as WordPress."""
    return f"{post_guid(site_url, post_id)}#comment-{comment_id}"


def absolute_url(value: str, *, site_url: str, base: str) -> str:
    """``value`` made absolute: ``/path`` under ``site_url`` (as
    :func:`blog.views.context.absolute` does), anything else relative
    (``#note``, ``img.png``) against ``base``, the entry's own address;
    absolute addresses are kept."""
    value = value.strip()
    if value.startswith("/") and not value.startswith("//"):
        return site_url.rstrip("/") + value
    return urljoin(base, value)


def absolute_srcset(value: str, *, site_url: str, base: str) -> str:
    """Each candidate of a ``srcset`` made absolute, its descriptor kept."""
    candidates = []
    for candidate in value.split(","):
        parts = candidate.split(None, 1)
        if not parts:
            continue
        url = absolute_url(parts[0], site_url=site_url, base=base)
        candidates.append(" ".join([url, *parts[1:]]))
    return ", ".join(candidates)


def absolute_html(html: str, *, site_url: str, base: str) -> str:
    """Stored HTML with every ``href``, ``src``, ``cite`` and ``srcset``
    made absolute (see :func:`absolute_url`); nothing else changes."""
    if "=" not in html:
        return html

    def attribute(match: re.Match[str]) -> str:
        space, name, raw = match.group(1), match.group(2), match.group(3)
        lowered = name.lower()
        if lowered in URL_ATTRIBUTES:
            value = absolute_url(unescape(raw), site_url=site_url, base=base)
        elif lowered in SRCSET_ATTRIBUTES:
            value = absolute_srcset(unescape(raw), site_url=site_url, base=base)
        else:
            return match.group(0)
        return f'{space}{name}="{escape(value, quote=True)}"'

    return _TAG_RE.sub(lambda tag: _ATTRIBUTE_RE.sub(attribute, tag.group(0)), html)
