"""Pagers of long lists (blog.paging): cursors forwards and backwards, a
bare page number, a broken cursor, counts that stop at a cap."""

from __future__ import annotations

import re

import pytest

from blog.extensions import db
from blog.models import Role, User
from blog.paging import AtLeast, capped


def _titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="entry-title"><a href="[^"]+"[^>]*>([^<]+)</a>', html)


def _link(html: str, rel: str) -> str | None:
    found = re.search(rf'<a rel="{rel}" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


@pytest.fixture
def many(app, make_user, make_post):  # type: ignore[no-untyped-def]
    """25 articles, 2 a page."""
    from blog.site import settings as site_settings

    author = make_user(Role.AUTHOR, "au")
    for n in range(25):
        make_post(f"Post {n}", author=author, days_ago=1 + n, categories="c0")
    with app.app_context():
        site_settings.save_settings({"posts_per_page": 2})
        db.session.commit()


def test_next_and_previous_links_walk_the_list(client, many):
    forward: list[list[str]] = []
    path: str | None = "/"
    while path:
        html = client.get(path).get_data(as_text=True)
        forward.append(_titles(html))
        last, path = path, _link(html, "next")
    assert [t for page in forward for t in page] == [f"Post {n}" for n in range(25)]
    backward: list[list[str]] = []
    path = last
    while path:
        html = client.get(path).get_data(as_text=True)
        backward.append(_titles(html))
        path = _link(html, "prev")
    assert backward == forward[::-1]


def test_a_bare_page_number_shows_the_same_page(client, many):
    html = client.get("/").get_data(as_text=True)
    second = client.get(_link(html, "next") or "").get_data(as_text=True)
    third_by_cursor = _titles(
        client.get(_link(second, "next") or "").get_data(as_text=True)
    )
    assert _titles(client.get("/?page=3").get_data(as_text=True)) == third_by_cursor
    # A cursor that means nothing falls back to the page number.
    for broken in ("x", "1.2.3.4", "99999999999999999999999.1", "-5.2"):
        page = client.get(f"/?page=3&after={broken}")
        assert page.status_code == 200
        assert _titles(page.get_data(as_text=True)) == third_by_cursor
    assert client.get("/?page=99").status_code == 404


def test_the_pager_counts_ten_pages_ahead(client, many):
    html = client.get("/").get_data(as_text=True)
    assert "Page 1 of 10+" in html  # 25 posts: more than 10 pages of 2 ahead
    last = client.get("/?page=13").get_data(as_text=True)
    assert "Page 13 of 13" in last and _link(last, "next") is None


def test_a_short_list_is_counted_exactly(client, make_post):
    for n in range(3):
        make_post(f"Post {n}", days_ago=1 + n)
    assert "Page" not in client.get("/").get_data(as_text=True)  # one page


def test_capped_counts():
    assert capped(3, 10) == 3 and not isinstance(capped(3, 10), AtLeast)
    assert capped(11, 10) == 10 and str(capped(11, 10)) == "10+"
    assert str(capped(1001, 1000, offset=40)) == "1,040+"
    assert f"{AtLeast(1500)}" == "1,500+" and f"{AtLeast(1500):d}" == "1500"


def test_dashboard_tabs_stop_counting_at_the_cap(
    app, make_user, make_post, make_comment
):
    from blog.comments.moderation import pending_count
    from blog.comments.moderation import status_counts as comment_counts
    from blog.posts.listing import status_counts

    editor = make_user(Role.EDITOR)
    post = make_post("Talks", author=editor)
    for n in range(4):
        make_comment(post, f"Held {n}", status="pending")
    make_comment(post, "Shown")
    with app.app_context():
        actor = db.session.get(User, editor.id)
        assert actor is not None
        counts = comment_counts(actor, cap=3)
        assert str(counts["pending"]) == "3+" and counts["approved"] == 1
        assert str(counts["all"]) == "3+" and counts["spam"] == 0
        assert str(pending_count(actor, cap=3)) == "3+"
        assert pending_count(actor) == 4
        assert status_counts(actor)["published"] == 1
        assert str(status_counts(actor, cap=0)["published"]) == "0+"
