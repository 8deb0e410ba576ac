"""Issue #8 through the real comment form: NUL and control characters, and
characters that make text read otherwise than it is (bidi overrides,
zero-width characters). Run on PostgreSQL too (BLOG_TEST_DATABASE_URL), which
refuses NUL in text."""

from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import func, select

from blog.comments import Submission
from blog.comments.settings import CommentSettings
from blog.comments.submit import submit_comment
from blog.extensions import db
from blog.models import Comment, Post
from blog.site.settings import load_settings
from tests.fixtures_comments import url_of
from tests.payloads import assert_no_spoofing


def only_comment(app) -> Comment:  # type: ignore[no-untyped-def]
    with app.app_context():
        comment = db.session.scalars(select(Comment)).one()
        db.session.expunge(comment)
    return comment


CONTROL = "\x00\x01\x1b\x7f\x85"


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        ("name", f"Ann{CONTROL} Lee", "Ann Lee"),
        ("email", f"ann{CONTROL}@example.net", "ann@example.net"),
        ("url", f"https://ann{CONTROL}.example/x", "https://ann.example/x"),
        ("comment", f"Nice{CONTROL}\r\npoint.", "Nice\npoint."),
    ],
)
def test_control_characters_in_any_field_are_removed_and_the_comment_kept(
    app, client, make_post, post_comment, approving, field, value, stored
):
    post = make_post("Nulls")
    fields = {"name": "Ann", "email": "ann@example.net", "url": "", "body": "Hi."}
    fields["body" if field == "comment" else field] = value
    body = fields.pop("body")
    response = post_comment(post, body, **fields)
    assert response.status_code == 303
    comment = only_comment(app)
    saved = {
        "name": comment.author_name,
        "email": comment.author_email,
        "url": comment.author_url,
        "comment": comment.body_source,
    }
    assert saved[field] == stored
    assert "\x00" not in str(comment.submitted)  # the Akismet parameters too
    assert client.get(url_of(post)).status_code == 200


def test_a_comment_of_nothing_but_control_characters_is_refused_with_a_message(
    app, make_post, post_comment
):
    response = post_comment(make_post("P"), "\x00\x01\x02", name="Ann\x00")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Please write a comment before posting." in page
    assert 'value="Ann"' in page  # what was typed (and visible) is kept
    with app.app_context():
        assert db.session.scalar(select(func.count(Comment.id))) == 0


def test_the_service_cleans_text_from_callers_other_than_the_form(app, make_post):
    """An importer or the command line builds a Submission itself."""
    post = make_post("Import")
    with app.app_context():
        post = db.session.get(Post, post.id)
        data = Submission(
            name="Imported\x00 \u202eReader",
            email="imp\x00@example.net",
            url="https://imp.example/\x00\u200b",
            body="Kept\x00 text.\r\n",
            ip="192.0.2.9\x00",
            user_agent="Agent\x00/1",
            referrer="https://ref.example/\x00",
            form_age=60.0,
        )
        settings = CommentSettings.from_app(app.config, load_settings())
        submit_comment(post, data, None, settings)
    comment = only_comment(app)
    assert comment.author_name == "Imported Reader"
    assert comment.author_email == "imp@example.net"
    assert comment.author_url == "https://imp.example/"
    assert comment.body_source == "Kept text.\n"
    assert comment.author_user_agent == "Agent/1"


def test_a_spoofed_name_and_website_are_shown_without_their_tricks(
    app, client, make_post, post_comment, approving
):
    post = make_post("Names")
    response = post_comment(
        post,
        "See [\u202etxt.exe](https://a.example/) and [pay\u200bpal](https://b.example/).",
        name="\u202eevE\u200b \u2066Lee\u2069",
        url="https://eve\u200b.example/\u202e",
    )
    assert response.status_code == 303
    comment = only_comment(app)
    assert comment.author_name == "evE Lee"
    assert comment.author_url == "https://eve.example/"
    html = client.get(url_of(post)).get_data(as_text=True)
    assert (
        '<a class="url fn" href="https://eve.example/" rel="external nofollow ugc">'
        "<bdi>evE Lee</bdi></a>"
    ) in html
    assert ">txt.exe</a>" in html and ">paypal</a>" in html
    assert '<div class="comment-content" dir="auto">' in html
    assert_no_spoofing(html)
    assert "\u202e" not in unescape(html) and "\u200b" not in unescape(html)


def test_names_are_isolated_where_they_are_shown(app, client, make_post, make_comment):
    """A right-to-left name (or one stored before names were cleaned) cannot
    reorder the words around it."""
    post = make_post("Isolated")
    make_comment(post, name="سارا")
    html = client.get(url_of(post)).get_data(as_text=True)
    assert '<b class="fn"><bdi>سارا</bdi></b>' in html


@pytest.mark.parametrize("name", ["Eve\r\nBcc: x@evil.example", "Eve\u2028Bcc: x"])
def test_line_breaks_in_a_name_are_refused_and_the_text_kept(
    app, make_post, post_comment, name
):
    response = post_comment(make_post("P"), "Hello there.", name=name)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Your name must fit on one line." in page
    assert "Hello there." in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Comment.id))) == 0


WEBSITE = "Enter a web address starting with http:// or https://"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://a.example/\r\nx", "Keep this on one line, without line breaks."),
        ('https://a.example/"onmouseover="x', WEBSITE),
        ("https://a.example\\@evil.example/", WEBSITE),
        ("https://bank.example@evil.example/", WEBSITE),
    ],
)
def test_a_website_with_line_breaks_quotes_or_tricks_is_refused(
    app, make_post, post_comment, url, message
):
    response = post_comment(make_post("P"), "Hello there.", url=url)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and "Hello there." in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Comment.id))) == 0
