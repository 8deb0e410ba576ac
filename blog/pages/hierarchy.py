"""Pages under pages: which parent a page may take, the Parent menu's
choices, and the dashboard's list in tree order.

Pages nest up to :data:`~blog.pages.paths.MAX_DEPTH` levels
(``/about/team/alice/``...), as WordPress sites' pages do: a top-level page
is at level 1, its subpages at level 2, and so on. A page keeps its
subpages when it moves, so it may only go where all of them still fit; and
never under itself or one of its own subpages. The menu stays one level
(:mod:`blog.site.menu`).

The Parent menu and the list read every page's place in one query
(:func:`page_outline`), whatever the depth.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, select

from blog.errors import FieldError
from blog.extensions import db
from blog.models import Post, PostKind, PostStatus
from blog.pages.paths import MAX_DEPTH

__all__ = [
    "MAX_DEPTH",
    "PARENT_FIELD",
    "PageError",
    "PageNode",
    "ParentChoice",
    "choose_parent",
    "depth_message",
    "in_tree_order",
    "page_outline",
    "parent_choices",
    "parent_problem",
    "subpage_levels",
    "tree_order",
]

#: The form field the parent's messages go to.
PARENT_FIELD = "parent_id"


class PageError(FieldError):
    """A field of the page editor is refused; nothing is written."""


@dataclass(frozen=True)
class PageNode:
    """A page's place among pages, without its content."""

    id: int
    title: str
    menu_order: int
    parent_id: int | None
    status: PostStatus = PostStatus.PUBLISHED

    @property
    def sort_key(self) -> tuple[int, str, int]:
        """Siblings sort by order, then title, then age."""
        return (self.menu_order, self.title.lower(), self.id)


@dataclass(frozen=True)
class ParentChoice:
    """A page the Parent menu offers; ``depth`` 0 is the top level."""

    id: int
    title: str
    depth: int


Outline = Mapping[int, PageNode]


def parent_problem(
    page_id: int | None, parent: Post | None, *, below: int = 0
) -> str | None:
    """Why ``parent`` cannot be the parent of the page ``page_id`` (``None``
    for a new page), or ``None`` when it can.

    :param below: how many levels of subpages the page has under it
        (:func:`subpage_levels`); they move with it.
    """
    if parent is None:
        return None
    if parent.kind != PostKind.PAGE or parent.status == PostStatus.TRASH:
        return "Choose one of the site's pages."
    if page_id is not None and parent.id == page_id:
        return "A page cannot be its own parent."
    level = 0  # the parent's level, counted by walking up from it
    ancestor: Post | None = parent
    while ancestor is not None and level <= MAX_DEPTH:  # bounded: a stored loop ends
        if page_id is not None and ancestor.id == page_id:
            return "A page cannot be placed under one of its own subpages."
        level += 1
        ancestor = ancestor.parent
    if level + 1 + below > MAX_DEPTH:
        return depth_message(parent.title, level, below)
    return None


def depth_message(parent_title: str, parent_level: int, below: int) -> str:
    """What the Parent field says when the page (and its subpages) would
    nest deeper than :data:`MAX_DEPTH`."""
    where = f"this page would be at level {parent_level + 1}"
    if below:
        where += f" and its lowest subpages at level {parent_level + 1 + below}"
    return (
        f"Pages nest at most {MAX_DEPTH} levels deep: under “{parent_title}”, "
        f"{where}. Choose a parent higher up."
    )


def choose_parent(page: Post, parent_id: int | None) -> Post | None:
    """The parent page ``parent_id`` names, checked for ``page``.

    :raises PageError: on the Parent field.
    """
    if parent_id is None:
        return None
    parent = db.session.get(Post, parent_id)
    if parent is None:
        raise PageError("Choose one of the site's pages.", PARENT_FIELD)
    page_id: int | None = page.id  # None for a page not saved yet
    below = subpage_levels(page_id, page_outline()) if page_id is not None else 0
    problem = parent_problem(page_id, parent, below=below)
    if problem:
        raise PageError(problem, PARENT_FIELD)
    return parent


def page_outline() -> dict[int, PageNode]:
    """Every page's place (trashed ones too), by id, in one query."""
    query = select(
        Post.id, Post.title, Post.menu_order, Post.parent_id, Post.status
    ).where(Post.kind == PostKind.PAGE)
    return {row.id: PageNode(*row) for row in db.session.execute(query)}


def _children(outline: Outline) -> dict[int | None, list[PageNode]]:
    """Each page's subpages by order; top-level pages under ``None`` (and
    pages whose parent is not a page, which readers see at the top too)."""
    children: dict[int | None, list[PageNode]] = {}
    for node in outline.values():
        parent = node.parent_id if node.parent_id in outline else None
        children.setdefault(parent, []).append(node)
    for siblings in children.values():
        siblings.sort(key=lambda node: node.sort_key)
    return children


def _below(
    page_id: int, children: Mapping[int | None, list[PageNode]]
) -> Iterator[tuple[PageNode, int]]:
    """The subpages under ``page_id`` (trashed ones too) with how far below
    it each is (1 for its own); each once, so a stored loop ends."""
    seen = {page_id}
    level, current = 0, [page_id]
    while current:
        level += 1
        found = [n for i in current for n in children.get(i, ()) if n.id not in seen]
        seen.update(node.id for node in found)
        yield from ((node, level) for node in found)
        current = [node.id for node in found]


def subpage_levels(page_id: int, outline: Outline) -> int:
    """How many levels of subpages (trashed ones too) sit under ``page_id``:
    0 for none, 1 for subpages only, 2 with sub-subpages..."""
    return max((level for _, level in _below(page_id, _children(outline))), default=0)


def parent_choices(page: Post | None) -> list[ParentChoice]:
    """The pages the Parent menu offers ``page``, in tree order with their
    depth: pages outside the trash, except ``page`` itself and its
    subpages, and except those too deep to take it with its subpages."""
    outline = page_outline()
    children = _children(outline)
    below, excluded = 0, set()
    if page is not None and page.id is not None:
        under = list(_below(page.id, children))
        below = max((level for _, level in under), default=0)
        excluded = {page.id} | {node.id for node, _ in under}
    room = MAX_DEPTH - 1 - below  # deepest level a parent may be at
    return [
        ParentChoice(node.id, node.title, depth)
        for node, depth in _walk_tree(children)
        if node.id not in excluded
        and node.status != PostStatus.TRASH
        and depth + 1 <= room
    ]


def _walk_tree(
    children: Mapping[int | None, list[PageNode]],
) -> Iterator[tuple[PageNode, int]]:
    """Every page reachable from the top, each after its parent, with its
    depth (0 at the top)."""
    stack = [(node, 0) for node in reversed(children.get(None, []))]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        stack += [(child, depth + 1) for child in reversed(children.get(node.id, []))]


def _node(page: Post) -> PageNode:
    return PageNode(page.id, page.title, page.menu_order, page.parent_id)


def tree_order(
    pages: Sequence[Post], outline: Outline | None = None
) -> list[tuple[Post, int]]:
    """``pages`` with their depth (0 at the top), each subpage after its
    parent, siblings by order then title. A subpage whose parent is not in
    ``pages`` (another status) still sorts where its parent would.

    :param outline: every page's place (:func:`page_outline`), for the
        ancestors; without it, the pages' ``parent`` is followed.
    """

    def path(page: Post) -> tuple[tuple[int, str, int], ...]:
        keys = [_node(page).sort_key]
        for ancestor in _ancestors(page, outline):
            keys.append(ancestor.sort_key)
        return tuple(reversed(keys))

    keyed = sorted(((path(page), page) for page in pages), key=lambda item: item[0])
    return [(page, len(key) - 1) for key, page in keyed]


def _ancestors(page: Post, outline: Outline | None) -> Iterator[PageNode]:
    """``page``'s parent, grandparent... at most ``MAX_DEPTH - 1`` of them,
    as :func:`blog.pages.paths.page_segments` counts them."""
    if outline is None:
        parent = page.parent
        for _ in range(MAX_DEPTH - 1):
            if parent is None:
                return
            yield _node(parent)
            parent = parent.parent
        return
    parent_id = page.parent_id
    for _ in range(MAX_DEPTH - 1):
        node = outline.get(parent_id) if parent_id is not None else None
        if node is None:
            return
        yield node
        parent_id = node.parent_id


def in_tree_order(query: Select[Post]) -> list[tuple[Post, int]]:
    """Run ``query`` (pages) and order it as a tree (one query more, for
    the ancestors of every depth)."""
    pages = list(db.session.scalars(query.order_by(None)))
    return tree_order(pages, page_outline())
