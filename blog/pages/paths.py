"""Where a page lives: ``/<slug>/``, or ``/<parent-slug>/<slug>/`` for a
subpage, and the words a page's slug may not take because the site's own
addresses use them.

Pages nest one level, like the menu: a subpage's parent is a top-level page.
Page slugs are unique among pages (``uq_posts_kind_slug``), so a page is
found by its slug alone and its parent's slug only makes the address.

A slug is refused for every page, subpages too, when it is:

- the first part of an address the app routes (read from its ``url_map``:
  ``dashboard``, ``login``, ``events``, ``category``, ``privacy``...);
- one of :data:`RESERVED`, addresses WordPress sites have and this engine
  has or will have (``feed``, ``search``, ``sitemap.xml``...), or starts
  with ``wp-``;
- all digits, which reads as an archive year (``/2024/``).

Subpages are held to the same rule so that moving one to the top level (or
deleting its parent) can never make it collide with a route.
"""

from __future__ import annotations

from collections.abc import Iterable

from werkzeug.routing import Map

from blog.models import Post

#: First parts of addresses reserved whatever the url_map holds today:
#: WordPress's public addresses and the engine's own (some still to come).
RESERVED = frozenset(
    {
        "author",
        "category",
        "comments",
        "dashboard",
        "events",
        "feed",
        "login",
        "logout",
        "media",
        "page",
        "password",
        "robots.txt",
        "search",
        "setup",
        "sitemap.xml",
        "static",
        "tag",
        "wp-admin",
        "wp-content",
        "wp-includes",
        "wp-json",
        "wp-login.php",
        "xmlrpc.php",
    }
)
#: Any first part starting with this is WordPress's.
RESERVED_PREFIX = "wp-"


def routed_words(url_map: Map) -> frozenset[str]:
    """The first part of every address ``url_map`` routes with a fixed word
    (``/dashboard/...`` gives ``dashboard``; ``/<slug>/`` gives nothing)."""
    words = set()
    for rule in url_map.iter_rules():
        first = rule.rule.lstrip("/").split("/", 1)[0]
        if first and "<" not in first:
            words.add(first.lower())
    return frozenset(words)


def reserved_words(url_map: Map) -> frozenset[str]:
    """:data:`RESERVED` and every word ``url_map`` routes."""
    return RESERVED | routed_words(url_map)


def is_reserved(slug: str, reserved: Iterable[str]) -> bool:
    """Whether ``slug`` would collide with one of the site's addresses."""
    word = slug.lower()
    return (
        word in reserved
        or word.startswith(RESERVED_PREFIX)
        or (word.isascii() and word.isdigit())
    )


def reserved_message(slug: str) -> str:
    """What the Slug field says when ``slug`` is refused."""
    if slug.isdigit():
        return (
            f"“{slug}” would read as a year's archive (/{slug}/). "
            f"Add a word, for example “{slug}-report”."
        )
    return f"The address /{slug}/ belongs to the site itself. Choose another slug."


def page_segments(page: Post) -> tuple[str, ...]:
    """The parts of a page's address: ``("about",)`` or ``("about", "team")``."""
    parent = page.parent
    if parent is not None:
        return (parent.slug, page.slug)
    return (page.slug,)


def page_path(page: Post) -> str:
    """``/slug/`` or ``/parent/slug/``, relative to the site's root."""
    return "/" + "/".join(page_segments(page)) + "/"
