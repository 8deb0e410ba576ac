"""Numbers and names from the request: a bad one is a 404 or a form error,
never a 500, and never reaches ``url_for``."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import Comment, Role
from blog.site.settings import save_settings

HUGE = "1000000000000000000"
TWENTY_DIGITS = "99999999999999999999"


@pytest.fixture
def two_pages(app, make_post):  # type: ignore[no-untyped-def]
    make_post("First")
    make_post("Second", days_ago=2)
    with app.app_context():
        save_settings({"posts_per_page": 1})
        db.session.commit()


@pytest.mark.parametrize("page", [HUGE, TWENTY_DIGITS, "²", "0", "-1", "1" * 5000])
@pytest.mark.parametrize("listing", ["/", "/events/", "/events/past/"])
def test_a_page_that_cannot_exist_is_not_found(client, two_pages, listing, page):
    assert client.get(f"{listing}?page={page}").status_code == 404


def test_pages_still_work(client, two_pages):
    assert client.get("/?page=2").status_code == 200
    assert client.get("/?page=3").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"/dashboard/posts/{TWENTY_DIGITS}/edit",
        f"/dashboard/comments/{TWENTY_DIGITS}/edit",
        f"/dashboard/terms/category/{TWENTY_DIGITS}/edit",
        f"/{TWENTY_DIGITS}/",
        "/2026/²/",
    ],
)
def test_huge_ids_in_addresses_are_not_found(client, make_user, auth, path):
    auth.login(make_user(Role.ADMIN))
    assert client.get(path).status_code == 404


def test_a_huge_post_id_in_the_comment_address_is_not_found(client):
    response = client.post(f"/comments/post/{TWENTY_DIGITS}", data={"comment": "Hello"})
    assert response.status_code == 404


@pytest.mark.parametrize("parent", [TWENTY_DIGITS, "²", "-3"])
def test_a_malformed_reply_to_keeps_the_comment(app, client, make_post, parent):
    post = make_post()
    client.post(
        f"/comments/post/{post.id}",
        data={
            "name": "Ann",
            "email": "ann@example.org",
            "comment": "Kept whatever the parent says.",
            "comment_parent": parent,
        },
    )
    with app.app_context():
        saved = db.session.scalars(select(Comment)).all()
    assert [c.body_source for c in saved] == ["Kept whatever the parent says."]
    assert saved[0].parent_id is None


@pytest.mark.parametrize("author", ["²", TWENTY_DIGITS])
def test_dashboard_filters_ignore_malformed_ids(client, make_user, auth, author):
    auth.login(make_user(Role.ADMIN))
    assert client.get(f"/dashboard/posts/?author={author}").status_code == 200


def test_bulk_ids_that_are_not_ids_are_ignored(client, make_user, auth):
    auth.login(make_user(Role.ADMIN))
    response = client.post(
        "/dashboard/comments/bulk", data={"action": "approve", "ids": ["²", HUGE]}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "query",
    [
        "_external=1",
        "_scheme=javascript",
        "_anchor=x",
        "_method=POST",
        "endpoint=x",
        "values=x",
        "year=1999",
    ],
)
def test_pager_links_ignore_names_url_for_would_read(client, two_pages, query):
    response = client.get(f"/?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # The page number and the keyset cursor (blog.paging), and nothing else.
    assert re.search(r'href="/\?page=2&amp;after=[\w.~-]+"', html), html


def test_pager_links_keep_known_filters(client, make_event, app):
    for n in range(3):
        make_event(f"Talk {n}", categories="Talks")
    with app.app_context():
        save_settings({"posts_per_page": 1})
        db.session.commit()
    html = client.get("/events/?category=talks&_anchor=x").get_data(as_text=True)
    assert "category=talks" in html and "page=2" in html and "#x" not in html


def test_a_huge_link_limit_is_refused_next_to_its_field(client, make_user, auth):
    auth.login(make_user(Role.ADMIN))
    response = client.post(
        "/dashboard/settings/discussion/",
        data={"comments_max_links": "9" * 4000, "comments_close_after_days": "0"},
    )
    assert response.status_code == 200
    assert "Between 0 (off) and 1000." in response.get_data(as_text=True)
