"""Forgery of the comment form, with CSRF on as in production.

An anonymous reader's form has no session token (the page sets no cookie,
so caches can keep it): a browser's ``Origin`` / ``Sec-Fetch-Site`` tell a
post sent from another site's page, which is refused with the text kept.
Logged-in staff keep their session token.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from blog.comments.checks import form_token
from blog.extensions import db
from blog.models import Comment, Role
from tests.conftest import PASSWORD
from tests.fixtures_comments import url_of

#: Origin and Sec-Fetch-Site rules: the same on either database engine.
pytestmark = pytest.mark.engine_independent


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def reader(app, post_comment):  # type: ignore[no-untyped-def]
    """No flood or timing rules (``post_comment``), no cookies kept."""
    return app.test_client(use_cookies=False)


def count(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(Comment)) or 0)


def form_of(page: str) -> dict[str, str]:
    """The hidden fields of the page's comment form."""
    form = page.split('id="commentform"')[1].split("</form>")[0]
    return dict(re.findall(r'name="(\w+)" type="hidden" value="([^"]*)"', form))


def send(reader, post, headers: dict[str, str], **fields: str):  # type: ignore[no-untyped-def]
    page = reader.get(url_of(post)).get_data(as_text=True)
    data = {
        **form_of(page),
        "name": "Reader",
        "email": "reader@example.net",
        "comment": "Words typed with care.",
        **fields,
    }
    return reader.post(f"/comments/post/{post.id}", data=data, headers=headers)


def test_the_anonymous_form_has_no_session_token(reader, make_post):
    post = make_post()
    response = reader.get(url_of(post))
    assert "Set-Cookie" not in response.headers
    hidden = form_of(response.get_data(as_text=True))
    assert "csrf_token" not in hidden and hidden["ts"]


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"},
        {"Origin": "https://localhost"},  # TLS ended by a proxy before the app
        {},  # curl, older browsers: neither header
    ],
    ids=["same-origin", "https", "no-headers"],
)
def test_a_same_site_post_works_without_any_cookie(app, reader, make_post, headers):
    post = make_post()
    response = send(reader, post, headers)
    assert response.status_code == 303
    assert "Set-Cookie" not in response.headers  # no "remember me" asked
    assert count(app) == 1


def test_the_site_url_is_this_site_too(app, reader, make_post):
    """Behind a proxy that rewrites the Host, SITE_URL names the site."""
    app.config["SITE_URL"] = "https://blog.example.org"
    post = make_post()
    response = send(reader, post, {"Origin": "https://blog.example.org"})
    assert response.status_code == 303 and count(app) == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},  # a sandboxed frame, a data: page
        {"Origin": "http://localhost.evil.example"},
        {"Origin": "http://localhost:8080"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "http://localhost", "Sec-Fetch-Site": "cross-site"},
    ],
    ids=["other-site", "null", "suffix", "other-port", "fetch-site", "both"],
)
def test_a_cross_site_post_is_refused_with_the_text_kept(
    app, reader, make_post, headers
):
    post = make_post()
    response = send(reader, post, headers)
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "sent from a page on another site" in page
    assert "Words typed with care." in page and 'value="Reader"' in page
    assert response.headers["Cache-Control"] == "private, no-store"
    assert count(app) == 0
    # Sent again from the page shown, it is taken.
    again = reader.post(
        f"/comments/post/{post.id}",
        data={
            **form_of(page),
            "name": "Reader",
            "email": "reader@example.net",
            "comment": "Words typed with care.",
        },
        headers={"Origin": "http://localhost"},
    )
    assert again.status_code == 303 and count(app) == 1


def test_a_forged_or_missing_timestamp_is_held_not_published(app, reader, make_post):
    post = make_post()
    for ts in ("", "forged", form_token(app.config["SECRET_KEY"], post.id + 1)):
        response = send(
            reader,
            post,
            {"Origin": "http://localhost"},
            ts=ts,
            comment=f"Comment with ts {ts!r}",
        )
        assert response.status_code == 303
        assert "unapproved=" in response.headers["Location"]  # held
    with app.app_context():
        statuses = set(db.session.scalars(select(Comment.status)))
    assert statuses == {"pending"}


def test_staff_keep_their_session_token(app, make_post, make_user):
    post = make_post()
    make_user(Role.EDITOR, "grace")
    staff = app.test_client()
    login_page = staff.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page)
    staff.post(
        "/login",
        data={"login": "grace", "password": PASSWORD, "csrf_token": token.group(1)},
    )
    page = staff.get(url_of(post)).get_data(as_text=True)
    hidden = form_of(page)
    assert hidden["csrf_token"]
    without = {k: v for k, v in hidden.items() if k != "csrf_token"}
    refused = staff.post(
        f"/comments/post/{post.id}", data={**without, "comment": "No token"}
    )
    assert refused.status_code == 400 and count(app) == 0
    taken = staff.post(
        f"/comments/post/{post.id}", data={**hidden, "comment": "With token"}
    )
    assert taken.status_code == 303 and count(app) == 1
