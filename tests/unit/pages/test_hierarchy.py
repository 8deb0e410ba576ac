"""blog.pages.hierarchy: which parent a page may take, and tree order."""

from __future__ import annotations

from blog.models import Post, PostKind, PostStatus
from blog.pages.hierarchy import parent_problem, tree_order


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


def test_pages_nest_one_level():
    about = _page(1)
    team = _page(2, parent=about)
    assert parent_problem(3, team) == (
        "Pages nest one level: choose a top-level page as the parent."
    )


def test_a_page_with_subpages_stays_at_the_top():
    assert parent_problem(1, _page(5), has_children=True) == (
        "This page has subpages, so it stays at the top level."
    )


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
