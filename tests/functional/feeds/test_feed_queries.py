"""Every feed reads a fixed number of queries, whatever it lists."""

from __future__ import annotations

import pytest

from blog.models import Role
from tests.fixtures_comments import url_of


def _queries(client, count_queries, path: str) -> int:  # type: ignore[no-untyped-def]
    with count_queries() as counter:
        assert client.get(path).status_code == 200, path
    return counter.count


@pytest.fixture
def app_config():
    return {"COMMENTS_PER_PAGE": 2}


@pytest.mark.parametrize(
    "path",
    [
        "/feed/",
        "/feed/atom/",
        "/category/c0/feed/",
        "/tag/t0/feed/",
        "/author/au/feed/atom/",
        "/comments/feed/",
        "{article}feed/",
        "/events/feed/",
    ],
)
def test_feeds_are_constant(
    client, make_user, make_post, make_comment, make_event, count_queries, path
):
    author = make_user(Role.AUTHOR, "au")
    post = make_post("One", author=author, categories="c0", tags="t0", days_ago=30)
    make_comment(post, "First comment.", minutes_ago=100)
    make_event("Talk", start="2031-01-01 10:00", end="2031-01-01 11:00")
    path = path.format(article=url_of(post))
    small = _queries(client, count_queries, path)
    for n in range(8):
        make_post(
            f"More {n}",
            author=make_user(Role.AUTHOR),
            categories=", ".join(f"c{k}" for k in range(n % 4 + 1)),
            tags=", ".join(f"t{k}" for k in range(n % 5 + 1)),
            days_ago=2 + n,
        )
        first = make_comment(post, f"Comment {n}.", minutes_ago=50 - n)
        make_comment(post, f"Reply {n}.", minutes_ago=40 - n, parent_id=first.id)
        make_event(
            f"Talk {n}",
            start=f"2031-02-{n + 1:02d} 10:00",
            end=f"2031-02-{n + 1:02d} 11:00",
            categories=f"e{n}",
        )
    assert _queries(client, count_queries, path) == small


def test_the_comments_feed_is_constant_across_kinds(
    client, make_user, make_post, make_page, make_comment, make_event, count_queries
):
    """Comments on subpages (whose address needs their parent's slug) and on
    events cost no query each."""
    post = make_post("One", days_ago=30)
    make_comment(post, "First comment.", minutes_ago=100)
    small = _queries(client, count_queries, "/comments/feed/")
    for n in range(4):
        parent = make_page(f"Parent {n}")
        subpage = make_page(f"Child {n}", parent=parent)
        event = make_event(
            f"Talk {n}", start=f"2031-02-{n + 1:02d} 10:00", end="2031-03-01 11:00"
        )
        make_comment(subpage, f"On a subpage {n}.", minutes_ago=50 - n)
        make_comment(event, f"On an event {n}.", minutes_ago=40 - n)
    assert _queries(client, count_queries, "/comments/feed/") == small
