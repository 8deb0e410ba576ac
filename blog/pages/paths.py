"""Where a page lives: ``/<slug>/`` at the top, ``/<parent>/<slug>/`` for a
subpage, ``/<grandparent>/<parent>/<slug>/`` and so on down to
:data:`MAX_DEPTH` parts; and the words a page's slug may not take because
the site's own addresses use them.

Page slugs are unique among pages (``uq_posts_kind_slug``), so a page is
found by its last slug alone and its ancestors' slugs only make the address.

A slug is refused for every page, subpages too, when it is:

- the first part of an address the app routes (read from its ``url_map``:
  ``dashboard``, ``login``, ``events``, ``category``, ``privacy``...);
- one of :data:`RESERVED`, addresses WordPress sites have and this engine
  has or will have (``feed``, ``search``, ``sitemap.xml``...), or starts
  with ``wp-``;
- all digits, which reads as an archive year (``/2024/``).

Subpages are held to the same rule so that moving one to the top level (or
deleting its parent) can never make it collide with a route.

An address is made from what is already in memory (``Post.parent`` is
joined one level deep, so a page and its parent cost no query). Ancestors
above that come from one query per session for every page's
``(id, slug, parent_id)`` (:func:`_page_tree`), so a sitemap or a feed of
many deep pages costs one query more, not one per page or per level. That
map is forgotten whenever the session writes, commits or rolls back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session
from werkzeug.routing import Map

from blog.extensions import db
from blog.models import Post, PostKind

#: How many parts a page's address may have: a top-level page and four
#: levels of subpages (``/a/b/c/d/e/``). Routes exist for this many.
MAX_DEPTH = 5

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
    """The parts of a page's address, top first: ``("about",)``,
    ``("about", "team")``, ``("about", "team", "alice")``...

    At most :data:`MAX_DEPTH` parts: a page stored deeper (or in a loop no
    service would store) keeps its nearest ancestors, so its address can
    always be routed.
    """
    parts = [page.slug]
    current = page
    while len(parts) < MAX_DEPTH:
        state = inspect(current)
        if "parent" not in state.dict:  # not loaded: ask the map of pages
            parts += _ancestor_slugs(current, MAX_DEPTH - len(parts))
            break
        parent: Post | None = state.dict["parent"]
        if parent is None:
            break
        parts.append(parent.slug)
        current = parent
    return tuple(reversed(parts))


def page_path(page: Post) -> str:
    """``/slug/``, ``/parent/slug/``..., relative to the site's root."""
    return "/" + "/".join(page_segments(page)) + "/"


def page_route(parts: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    """The endpoint and values that build the address made of ``parts``
    (:func:`page_segments`): ``pages.page`` with ``slug``, or
    ``pages.subpage`` with ``parent`` and ``slug`` and, above the parent,
    ``level1`` (the top), ``level2``... (:mod:`blog.views.pages`)."""
    if len(parts) == 1:
        return "pages.page", {"slug": parts[0]}
    values = {f"level{n}": part for n, part in enumerate(parts[:-2], start=1)}
    return "pages.subpage", {**values, "parent": parts[-2], "slug": parts[-1]}


def page_segments_by_id(ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """The address parts of the pages ``ids`` (missing ones left out), from
    the session's map of pages: one query for any number of pages."""
    tree = _page_tree(db.session())
    found = {}
    for page_id in ids:
        if page_id in tree:
            slug, parent_id = tree[page_id]
            above = _walk(tree, parent_id, MAX_DEPTH - 1)
            found[page_id] = (*reversed(above), slug)
    return found


#: Where the session keeps its map of pages (``Session.info``).
_TREE_KEY = "blog.pages.tree"
_Tree = dict[int, tuple[str, int | None]]


def _ancestor_slugs(page: Post, room: int) -> list[str]:
    """The slugs above ``page``, nearest first, at most ``room`` of them,
    when its parent is not in memory."""
    state = inspect(page)
    if "parent_id" in state.dict:
        parent_id: int | None = state.dict["parent_id"]
        if parent_id is None:
            return []
        return _walk(_page_tree(state.session or db.session()), parent_id, room)
    identity = state.identity
    if identity is None:  # a page being made, with no parent given
        return []
    tree = _page_tree(state.session or db.session())
    # A parent whose own parent is not loaded (a sitemap loads its slug only).
    return _walk(tree, tree.get(identity[0], ("", None))[1], room)


def _walk(tree: _Tree, page_id: int | None, room: int) -> list[str]:
    """The slugs from ``page_id`` upwards, at most ``room`` (so a loop ends)."""
    slugs: list[str] = []
    while page_id is not None and page_id in tree and len(slugs) < room:
        slug, page_id = tree[page_id]
        slugs.append(slug)
    return slugs


def _page_tree(session: Session) -> _Tree:
    """Every page's ``(slug, parent_id)`` by id, read once per session."""
    tree: _Tree | None = session.info.get(_TREE_KEY)
    if tree is None:
        rows = session.execute(
            select(Post.id, Post.slug, Post.parent_id).where(Post.kind == PostKind.PAGE)
        )
        tree = {id_: (slug, parent_id) for id_, slug, parent_id in rows}
        session.info[_TREE_KEY] = tree
    return tree


def _forget_tree(session: Session, *_: Any) -> None:
    session.info.pop(_TREE_KEY, None)


def _forget_tree_on_write(state: ORMExecuteState) -> None:
    """A statement that may change pages (``UPDATE posts ...``) forgets the map."""
    if not state.is_select:
        _forget_tree(state.session)


event.listen(Session, "after_flush", _forget_tree)
event.listen(Session, "after_transaction_end", _forget_tree)
event.listen(Session, "do_orm_execute", _forget_tree_on_write)
