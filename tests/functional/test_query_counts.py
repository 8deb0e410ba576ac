"""Pages load in a constant number of queries, whatever they show."""

from __future__ import annotations

import pytest

from blog.models import Role


def _queries(client, count_queries, path: str) -> int:
    with count_queries() as counter:
        assert client.get(path).status_code == 200
    return counter.count


@pytest.mark.parametrize(
    "path", ["/", "/category/c0/", "/tag/t0/", "/author/au/", "/{year}/"]
)
def test_listing_pages_are_constant(client, make_user, make_post, count_queries, path):
    author = make_user(Role.AUTHOR, "au")
    post = make_post("One", author=author, categories="c0", tags="t0")
    path = path.format(year=post.published_at.year)
    small = _queries(client, count_queries, path)
    for n in range(12):
        make_post(
            f"More {n}",
            author=make_user(Role.AUTHOR),
            categories=", ".join(f"c{k}" for k in range(n % 4 + 1)),
            tags=", ".join(f"t{k}" for k in range(n % 5 + 1)),
            days_ago=2 + n,
        )
    assert _queries(client, count_queries, path) == small


def test_article_page_is_constant(client, make_user, make_post, count_queries):
    author = make_user(Role.AUTHOR, "au")
    plain = make_post("Plain", author=author, days_ago=5)
    url = f"/{plain.published_at:%Y}/{plain.published_at:%m}/{plain.slug}/"
    small = _queries(client, count_queries, url)
    rich = make_post(
        "Rich",
        author=author,
        days_ago=5,
        categories=", ".join(f"cat{k}" for k in range(8)),
        tags=", ".join(f"tag{k}" for k in range(15)),
    )
    for n in range(6):
        make_post(f"Neighbour {n}", author=author, days_ago=n + 1, categories=f"x{n}")
    url = f"/{rich.published_at:%Y}/{rich.published_at:%m}/{rich.slug}/"
    assert _queries(client, count_queries, url) == small
