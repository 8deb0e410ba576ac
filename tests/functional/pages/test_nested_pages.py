"""Pages under subpages: ``/<grandparent>/<parent>/<slug>/`` down to
``MAX_DEPTH`` levels (WordPress's "Level 1 > Level 2 > Level 3"), their
301s when an ancestor moves, the editor's Parent menu, the depth limit, and
query counts that do not grow with the pages listed."""

from __future__ import annotations

import html as html_module
import re

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import lazyload

from blog.extensions import db
from blog.models import Post, PostKind, Role, User
from blog.pages.paths import MAX_DEPTH, page_path, page_segments_by_id
from blog.posts import trash_post


def _html(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def _field_error(html: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    return html_module.unescape(found.group(1)) if found else ""


def _options(html: str) -> list[str]:
    """The Parent menu's labels, as shown."""
    menu = re.search(r'<select[^>]*name="parent_id"[^>]*>(.*?)</select>', html, re.S)
    assert menu is not None
    labels = re.findall(r"<option[^>]*>([^<]*)</option>", menu.group(1))
    return [html_module.unescape(label) for label in labels]


def _parent_id(app, slug: str) -> int | None:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(
            select(Post.parent_id).where(Post.kind == PostKind.PAGE, Post.slug == slug)
        )


@pytest.fixture
def editor(make_user, auth):  # type: ignore[no-untyped-def]
    user = make_user(Role.EDITOR, "edna")
    auth.login("edna")
    return user


@pytest.fixture
def levels(make_page):  # type: ignore[no-untyped-def]
    """Level 1 > Level 2 > Level 3, as in WordPress's theme test data."""
    level1 = make_page("Level 1")
    level2 = make_page("Level 2", parent=level1)
    level3 = make_page("Level 3", "Third level.", parent=level2)
    return level1, level2, level3


def test_a_third_level_page_lives_under_both_its_ancestors(client, levels):
    response = client.get("/level-1/level-2/level-3/")
    assert response.status_code == 200
    assert "Third level." in _html(response)
    assert client.get("/level-1/level-2/").status_code == 200
    for wrong in (
        "/level-3/",
        "/level-2/level-3/",
        "/level-1/level-3/",
        "/elsewhere/level-2/level-3/",
        "/a/b/level-1/level-2/level-3/",
    ):
        moved = client.get(wrong)
        assert moved.status_code == 301, wrong
        assert moved.headers["Location"] == "/level-1/level-2/level-3/", wrong
    assert client.get("/level-1/level-2/missing/").status_code == 404


def test_a_new_page_goes_under_a_subpage(client, app, editor, levels):
    _, _, level3 = levels
    response = client.post(
        "/dashboard/pages/new",
        data={
            "title": "Level 4",
            "body": "Fourth.",
            "parent_id": str(level3.id),
            "action": "publish",
        },
    )
    assert response.status_code == 302
    assert _parent_id(app, "level-4") == level3.id
    assert client.get("/level-1/level-2/level-3/level-4/").status_code == 200
    html = _html(client.get("/dashboard/pages/"))
    assert "<code>/level-1/level-2/level-3/level-4/</code>" in html
    titles = re.findall(r'/dashboard/pages/\d+/edit">([^<]+)</a>', html)
    assert titles == ["Level 1", "Level 2", "Level 3", "Level 4"]
    assert '<tr class="depth-3">' in html
    assert '<span aria-hidden="true">— — — </span>' in html
    assert 'Subpage of “Level 3”: </span><a href="/dashboard/pages/' in html


def test_a_renamed_ancestor_moves_its_descendants_and_old_addresses_follow(
    client, editor, levels
):
    level1, _, _ = levels
    client.post(
        f"/dashboard/pages/{level1.id}/edit",
        data={"title": "Level 1", "slug": "first", "body": "x", "action": "update"},
    )
    assert client.get("/first/level-2/level-3/").status_code == 200
    moved = client.get("/level-1/level-2/level-3/")
    assert moved.status_code == 301
    assert moved.headers["Location"] == "/first/level-2/level-3/"


def test_a_page_moves_with_its_subpages(client, app, editor, levels, make_page):
    _, level2, _ = levels
    other = make_page("Other")
    response = client.post(
        f"/dashboard/pages/{level2.id}/edit",
        data={
            "title": "Level 2",
            "slug": "level-2",
            "body": "x",
            "parent_id": str(other.id),
            "action": "update",
        },
    )
    assert response.status_code == 302
    assert client.get("/other/level-2/level-3/").status_code == 200
    moved = client.get("/level-1/level-2/level-3/")
    assert moved.headers["Location"] == "/other/level-2/level-3/"


def test_the_parent_menu_is_indented_and_leaves_out_the_page_and_its_subpages(
    client, app, editor, levels, make_page
):
    level1, level2, _ = levels
    make_page("Contact", menu_order=1)
    gone = make_page("Gone", parent=level1)
    with app.app_context():
        trash_post(db.session.get(User, editor.id), db.session.get(Post, gone.id))
    new = _options(_html(client.get("/dashboard/pages/new")))
    assert new == ["(no parent)", "Level 1", "— Level 2", "— — Level 3", "Contact"]
    # Level 2 can go anywhere but under itself or Level 3.
    edit = _options(_html(client.get(f"/dashboard/pages/{level2.id}/edit")))
    assert edit == ["(no parent)", "Level 1", "Contact"]


def test_the_depth_limit_is_refused_next_to_the_field(client, app, editor, make_page):
    chain = [make_page("Level 1")]
    for n in range(2, MAX_DEPTH + 1):
        chain.append(make_page(f"Level {n}", parent=chain[-1]))
    deepest = "/" + "/".join(f"level-{n}" for n in range(1, MAX_DEPTH + 1)) + "/"
    assert client.get(deepest).status_code == 200
    # The deepest page is not offered as a parent...
    labels = _options(_html(client.get("/dashboard/pages/new")))
    assert labels[-1] == "— — — Level 4"
    # ...and choosing it anyway is refused, with everything typed kept.
    response = client.post(
        "/dashboard/pages/new",
        data={
            "title": "Too deep",
            "body": "Kept.",
            "parent_id": str(chain[-1].id),
            "action": "publish",
        },
    )
    assert response.status_code == 200
    html = _html(response)
    assert _field_error(html, "parent_id") == (
        f"Pages nest at most {MAX_DEPTH} levels deep: under “Level 5”, this "
        "page would be at level 6. Choose a parent higher up."
    )
    assert 'value="Too deep"' in html and "Kept." in html
    with app.app_context():
        assert db.session.scalar(select(Post.id).where(Post.slug == "too-deep")) is None


def test_a_page_with_subpages_goes_only_where_they_fit(client, app, editor, make_page):
    chain = [make_page("Level 1")]
    for n in range(2, MAX_DEPTH):
        chain.append(make_page(f"Level {n}", parent=chain[-1]))  # four levels
    top = make_page("Top")
    middle = make_page("Middle", parent=top)
    make_page("Bottom", parent=middle)
    labels = _options(_html(client.get(f"/dashboard/pages/{top.id}/edit")))
    # Top has two levels under it: it may go to level 3 at most.
    assert labels == ["(no parent)", "Level 1", "— Level 2"]
    response = client.post(
        f"/dashboard/pages/{top.id}/edit",
        data={
            "title": "Top",
            "slug": "top",
            "body": "x",
            "parent_id": str(chain[2].id),
            "action": "update",
        },
    )
    assert _field_error(_html(response), "parent_id") == (
        f"Pages nest at most {MAX_DEPTH} levels deep: under “Level 3”, this "
        "page would be at level 4 and its lowest subpages at level 6. Choose a "
        "parent higher up."
    )
    assert _parent_id(app, "top") is None


def test_a_preview_shows_a_deep_page(client, editor, levels):
    _, _, level3 = levels
    preview = client.post(
        "/dashboard/pages/new",
        data={
            "title": "Level 4",
            "body": "Previewed.",
            "parent_id": str(level3.id),
            "action": "preview",
        },
    )
    assert preview.status_code == 200 and "Previewed." in _html(preview)


def _queries(client, count_queries, path: str) -> int:  # type: ignore[no-untyped-def]
    with count_queries() as counter:
        assert client.get(path).status_code == 200, path
    return counter.count


def _grow(make_page, n: int) -> None:  # type: ignore[no-untyped-def]
    """A tree five levels deep, with a draft in the middle of it."""
    page = make_page(f"Root {n}")
    for level in range(2, MAX_DEPTH + 1):
        page = make_page(f"Branch {n} {level}", parent=page, publish=level != 3)


@pytest.mark.parametrize(
    "path",
    [
        "/sitemap-pages-1.xml",
        "/dashboard/pages/",
        "/dashboard/pages/?status=published",  # drafts' places from the outline
        "/dashboard/pages/new",  # the Parent menu
    ],
)
def test_listing_deep_pages_is_constant(
    app, client, editor, make_page, count_queries, path
):
    app.config["CACHE_PAGE_SECONDS"] = 0
    _grow(make_page, 0)
    small = _queries(client, count_queries, path)
    for n in range(1, 5):
        _grow(make_page, n)
    assert _queries(client, count_queries, path) == small


def test_a_deep_page_costs_one_query_more_than_a_subpage(
    client, make_page, count_queries
):
    """A page and its parent are read together; every ancestor above them
    comes from one query, whatever the depth."""
    page = make_page("Top")
    for level in range(2, MAX_DEPTH + 1):
        page = make_page(f"L{level}", parent=page)
    subpage = _queries(client, count_queries, "/top/l2/")
    third = _queries(client, count_queries, "/top/l2/l3/")
    deepest = _queries(client, count_queries, "/top/l2/l3/l4/l5/")
    assert third == deepest == subpage + 1


def test_many_addresses_come_from_one_query(app, levels, count_queries):
    level1, level2, level3 = levels
    with app.app_context(), count_queries() as counter:
        found = page_segments_by_id([level3.id, level1.id, 0])
    assert found == {
        level3.id: ("level-1", "level-2", "level-3"),
        level1.id: ("level-1",),
    }
    assert counter.count == 1


def test_the_map_of_pages_is_forgotten_when_the_session_writes(app, levels):
    """Addresses made after a change in the same session show the change."""
    level1, _, level3 = levels
    with app.app_context():
        page = db.session.scalars(
            select(Post).where(Post.id == level3.id).options(lazyload(Post.parent))
        ).one()
        assert page_path(page) == "/level-1/level-2/level-3/"  # from the map
        db.session.get(Post, level1.id).slug = "first"
        db.session.flush()
        assert page_path(page) == "/first/level-2/level-3/"
        db.session.execute(
            update(Post).where(Post.id == level1.id).values(slug="again")
        )
        assert page_path(page) == "/again/level-2/level-3/"
        db.session.rollback()
        assert page_path(page) == "/level-1/level-2/level-3/"
