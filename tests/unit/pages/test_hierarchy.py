"""blog.pages.hierarchy: which parent a page may take, and tree order."""

from __future__ import annotations

from blog.models import Post, PostKind, PostStatus
from blog.pages.hierarchy import (
    MAX_DEPTH,
    PageNode,
    parent_problem,
    subpage_levels,
    tree_order,
)


def _page(id_: int, title: str = "", parent: Post | None = None, **fields) -> Post:  # type: ignore[no-untyped-def]
    page = Post(
        id=id_,
        kind=PostKind.PAGE,
        status=fields.pop("status", PostStatus.PUBLISHED),
        title=title or f"Page {id_}",
        slug=f"page-{id_}",
        menu_order=fields.pop("menu_order", 0),
        parent=parent,
    )
    page.parent_id = parent.id if parent else None
    return page


def test_no_parent_is_always_fine():
    assert parent_problem(1, None) is None


def test_a_top_level_page_may_be_the_parent():
    assert parent_problem(2, _page(1)) is None
    assert parent_problem(None, _page(1)) is None  # a new page


def test_a_page_cannot_be_its_own_parent():
    assert parent_problem(1, _page(1)) == "A page cannot be its own parent."


def test_a_page_cannot_go_under_its_own_subpage():
    about = _page(1)
    team = _page(2, parent=about)
    assert parent_problem(1, team) == (
        "A page cannot be placed under one of its own subpages."
    )


def test_a_cycle_stored_elsewhere_does_not_hang_the_check():
    first = _page(1)
    second = _page(2, parent=first)
    first.parent = second  # a loop no service would store
    first.parent_id = 2
    assert parent_problem(3, second) is not None


def _chain(levels: int) -> list[Post]:
    """Pages 1..levels, each under the one before."""
    pages: list[Post] = []
    for n in range(1, levels + 1):
        pages.append(_page(n, f"Level {n}", parent=pages[-1] if pages else None))
    return pages


def test_a_subpage_may_be_a_parent():
    about, team = _chain(2)
    assert parent_problem(3, team) is None  # /about/team/alice/
    assert parent_problem(None, team) is None


def test_pages_nest_at_most_max_depth_levels():
    assert MAX_DEPTH == 5
    chain = _chain(MAX_DEPTH)
    assert parent_problem(99, chain[-2]) is None  # the fifth level
    assert parent_problem(99, chain[-1]) == (
        "Pages nest at most 5 levels deep: under “Level 5”, this page would "
        "be at level 6. Choose a parent higher up."
    )


def test_a_page_moves_with_its_subpages_only_where_they_fit():
    chain = _chain(3)
    # A page with two levels of subpages goes under level 2 at most.
    assert parent_problem(99, chain[1], below=2) is None
    assert parent_problem(99, chain[2], below=2) == (
        "Pages nest at most 5 levels deep: under “Level 3”, this page would "
        "be at level 4 and its lowest subpages at level 6. Choose a parent "
        "higher up."
    )


def test_a_page_cannot_go_under_its_grandchild():
    chain = _chain(4)
    assert parent_problem(1, chain[3]) == (
        "A page cannot be placed under one of its own subpages."
    )
    assert parent_problem(2, chain[2]) == (
        "A page cannot be placed under one of its own subpages."
    )


def test_subpage_levels_counts_the_deepest_branch():
    outline = {
        1: PageNode(1, "About", 0, None),
        2: PageNode(2, "Team", 0, 1),
        3: PageNode(3, "Alice", 0, 2),
        4: PageNode(4, "History", 0, 1),
        5: PageNode(5, "Loop A", 0, 6),  # a loop no service would store
        6: PageNode(6, "Loop B", 0, 5),
    }
    assert subpage_levels(1, outline) == 2
    assert subpage_levels(2, outline) == 1
    assert subpage_levels(3, outline) == 0
    assert subpage_levels(5, outline) == 1  # ends


def test_only_pages_outside_the_trash_can_be_parents():
    article = _page(4)
    article.kind = PostKind.ARTICLE
    assert parent_problem(1, article) == "Choose one of the site's pages."
    assert parent_problem(1, _page(5, status=PostStatus.TRASH)) == (
        "Choose one of the site's pages."
    )


def test_tree_order_puts_subpages_under_their_parent():
    about = _page(1, "About", menu_order=2)
    contact = _page(2, "Contact", menu_order=1)
    team = _page(3, "Team", parent=about, menu_order=5)
    history = _page(4, "History", parent=about, menu_order=5)
    policies = _page(5, "Policies", menu_order=2)
    ordered = tree_order([team, policies, about, history, contact])
    assert [(page.title, depth) for page, depth in ordered] == [
        ("Contact", 0),
        ("About", 0),
        ("History", 1),
        ("Team", 1),
        ("Policies", 0),
    ]


def test_a_subpage_listed_without_its_parent_sorts_where_the_parent_would():
    about = _page(1, "About")
    team = _page(3, "Team", parent=about)
    zebra = _page(2, "Zebra")
    assert [p.title for p, _ in tree_order([zebra, team])] == ["Team", "Zebra"]


def test_tree_order_goes_three_levels_and_more():
    about = _page(1, "About")
    team = _page(2, "Team", parent=about)
    alice = _page(3, "Alice", parent=team)
    bob = _page(4, "Bob", parent=team, menu_order=-1)
    history = _page(5, "History", parent=about, menu_order=9)
    zebra = _page(6, "Zebra")
    ordered = tree_order([zebra, alice, history, bob, about, team])
    assert [(page.title, depth) for page, depth in ordered] == [
        ("About", 0),
        ("Team", 1),
        ("Bob", 2),
        ("Alice", 2),
        ("History", 1),
        ("Zebra", 0),
    ]


def test_tree_order_takes_ancestors_from_an_outline():
    """The dashboard lists one status at a time: ancestors not listed come
    from the outline, without following ``parent``."""
    outline = {
        1: PageNode(1, "About", 0, None),
        2: PageNode(2, "Team", 0, 1),
        3: PageNode(3, "Alice", 0, 2),
        4: PageNode(4, "Zebra", 0, None),
    }
    alice = _page(3, "Alice")
    alice.parent_id = 2  # its parent is not loaded
    zebra = _page(4, "Zebra")
    ordered = tree_order([zebra, alice], outline)
    assert [(page.title, depth) for page, depth in ordered] == [
        ("Alice", 2),
        ("Zebra", 0),
    ]
