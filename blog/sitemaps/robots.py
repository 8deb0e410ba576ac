"""``/robots.txt``: what crawlers may read, and the site's own switch
"Discourage search engines from indexing this site" (Settings → Reading,
``discourage_search_engines``), which turns every page to noindex.

Crawlers that follow RFC 9309 take the longest matching rule, older ones
the first: the ``Allow`` lines come before the ``Disallow`` they carve out
of, so both read the same. ``$`` ends a path, so ``/setup$`` does not keep
a page called ``/setup-guide/`` out of search engines.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SETTING = "discourage_search_engines"

#: What ``X-Robots-Tag`` and the ``robots`` meta tag say while discouraged.
NOINDEX = "noindex, nofollow"

#: Addresses of the public site that crawlers may read all the same.
ALLOWED = ("/comments/feed/",)

#: Addresses that are no reader's: staff pages, sign-in, a commenter's link
#: to their held comment (``/comments/<token>/``), search results.
DISALLOWED = (
    "/dashboard/",
    "/login$",
    "/login/",
    "/logout$",
    "/setup$",
    "/password/",
    "/comments/",
    "/search/",
    "/?s=",
)


def discouraged(settings: Mapping[str, Any]) -> bool:
    """Whether the site asks search engines not to index it."""
    return bool(settings.get(SETTING, False))


def robots_txt(*, discourage: bool, sitemap_url: str, root: str = "") -> str:
    """The file's text. ``root`` is the path the site is served under
    (``""`` at the top of its host).

    Discouraged, the file names no sitemap but still lets crawlers fetch
    the pages: a crawler kept out by ``Disallow: /`` never reads their
    ``noindex``, and pages it indexed before stay in its results (WordPress
    stopped writing ``Disallow: /`` for this reason in version 5.3).
    """
    lines = ["User-agent: *"]
    lines += [f"Allow: {root}{path}" for path in ALLOWED]
    lines += [f"Disallow: {root}{path}" for path in DISALLOWED]
    if not discourage:
        lines += ["", f"Sitemap: {sitemap_url}"]
    return "\n".join(lines) + "\n"
