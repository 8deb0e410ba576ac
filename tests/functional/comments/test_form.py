"""The "Leave a Reply" form: what readers see, every submit rule, the redirects."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from blog.extensions import db
from blog.models import Comment, CommentLogEntry, Post, Role, utcnow
from blog.site import DEFAULTS, save_settings
from tests.fixtures_comments import url_of


def rows(app) -> list[Comment]:  # type: ignore[no-untyped-def]
    with app.app_context():
        found = db.session.scalars(select(Comment).order_by(Comment.id)).all()
        db.session.expunge_all()
        return list(found)


def test_form_shows_the_wordpress_texts(client, make_post):
    post = make_post("Talks")
    html = client.get(url_of(post)).get_data(as_text=True)
    assert "Leave a Reply" in html
    assert "Your email address will not be published." in html
    assert "Required fields are marked" in html
    for label in ("Name", "Email", "Website", "Comment"):
        assert re.search(rf"<label for=\"\w+\">{label}[ <]", html), label
    assert (
        "Save my name, email, and website in this browser for the next time I comment."
        in html
    )
    assert re.search(r'<input id="remember" name="remember" type="checkbox"', html)
    assert "checked" not in html.split('id="remember"')[1].split(">")[0]
    assert ">Post Comment</button>" in html
    assert "Markdown works" in html
    # Akismet is not configured: no notice.
    assert "This site uses Akismet" not in html


def test_akismet_notice_links_to_privacy(client, make_post, akismet_server):
    post = make_post("Talks")
    html = client.get(url_of(post)).get_data(as_text=True)
    assert "This site uses Akismet to reduce spam." in html
    assert 'href="/privacy/">Learn how your comment data is processed.</a>' in html
    privacy = client.get("/privacy/").get_data(as_text=True)
    assert "Akismet" in privacy and "never published" in privacy


def test_a_held_comment_is_shown_to_its_author_on_the_article(
    app, client, make_post, make_comment, post_comment
):
    post = make_post("Talks")
    response = post_comment(post, "First!", name="Ann", email="ann@example.net")
    assert response.status_code == 303
    [comment] = rows(app)
    assert comment.status == "pending" and comment.spam_check == "unchecked"
    location = response.headers["Location"]
    address, _, anchor = location.partition("#")
    assert address.startswith(
        f"{url_of(post)}?unapproved={comment.id}&moderation-hash="
    )
    assert anchor == f"comment-{comment.id}"
    page = client.get(address)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'id="comment-{comment.id}"' in html
    assert "Your comment is awaiting moderation." in html and "First!" in html
    assert page.headers["Cache-Control"] == "private, no-store"  # theirs alone
    assert page.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert page.headers["Referrer-Policy"] == "no-referrer"  # the hash stays here
    assert "ann@example.net" not in html
    # Everyone else gets the same cacheable page, without it.
    public = client.get(url_of(post))
    assert "First!" not in public.get_data(as_text=True)
    assert public.headers["Cache-Control"].startswith("public")
    forged = client.get(
        f"{url_of(post)}?unapproved={comment.id}&moderation-hash=" + "0" * 32
    )
    assert "First!" not in forged.get_data(as_text=True)
    # The private link stays.
    private = client.get(f"/comments/{comment.token}/")
    assert private.status_code == 200 and "First!" in private.get_data(as_text=True)
    assert private.headers["X-Robots-Tag"].startswith("noindex")
    assert private.headers["Cache-Control"] == "no-store"
    assert client.get("/comments/" + "x" * 43 + "/").status_code == 404


def test_a_held_reply_stands_under_its_parent(
    app, client, make_post, make_comment, post_comment
):
    post = make_post("Talks")
    parent = make_comment(post, "The first word.", name="Cy")
    response = post_comment(post, "A held answer", comment_parent=str(parent.id))
    reply = rows(app)[-1]
    assert reply.status == "pending" and reply.parent_id == parent.id
    html = client.get(response.headers["Location"].partition("#")[0]).get_data(
        as_text=True
    )
    thread = html[html.index(f'id="comment-{parent.id}"') :]
    children = thread[thread.index('<ol class="children">') :]
    assert f'id="comment-{reply.id}"' in children
    assert "Your comment is awaiting moderation." in children
    assert "1 Reply to" in html  # the count is of approved comments


def test_a_held_comment_on_a_hidden_post_goes_to_the_private_link(
    app, make_post, post_comment
):
    post = make_post("Talks")
    response = post_comment(post, "Soon hidden")
    [comment] = rows(app)
    with app.app_context():
        db.session.get(Post, post.id).status = "draft"
        db.session.commit()
        from blog.views.comments import comment_url

        with app.test_request_context():
            found = db.session.get(Comment, comment.id)
            assert (
                comment_url(found) == f"/comments/{comment.token}/#comment-{comment.id}"
            )
    assert response.status_code == 303


def test_approved_comment_lands_on_itself(app, client, make_post, post_comment):
    post = make_post("Talks")
    with app.app_context():
        from blog.site.settings import save_settings

        save_settings({"comments_previously_approved": False})
        db.session.commit()
    response = post_comment(post, "Hello *there*", name="Bo", url="https://bo.example")
    [comment] = rows(app)
    assert comment.status == "approved"
    assert response.headers["Location"] == f"{url_of(post)}#comment-{comment.id}"
    html = client.get(url_of(post)).get_data(as_text=True)
    assert f'id="comment-{comment.id}"' in html
    assert "Hello <em>there</em>" in html
    assert (
        '<a class="url fn" href="https://bo.example" rel="external nofollow ugc">'
        "<bdi>Bo</bdi></a>" in html
    )
    assert f'href="#comment-{comment.id}"><time' in html
    assert "1 Reply to" in html


def test_previously_approved_author_is_approved(
    app, client, make_post, make_comment, post_comment
):
    post = make_post("Talks")
    make_comment(post, name="Cy", email="cy@example.net")
    post_comment(post, "Again me", name="Cy", email="cy@example.net")
    assert rows(app)[-1].status == "approved"
    post_comment(post, "New person", name="Di", email="di@example.net")
    assert rows(app)[-1].status == "pending"


def test_the_email_is_kept_as_typed_so_returning_authors_match(
    app, make_post, make_comment, post_comment
):
    post = make_post("Talks")
    make_comment(post, name="Ann", email="Ann@Example.ORG")
    post_comment(post, "Me again", name="Ann", email=" Ann@Example.ORG ")
    latest = rows(app)[-1]
    assert latest.author_email == "Ann@Example.ORG"
    assert latest.status == "approved"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Please enter your name."),
        ("name", "x" * 101, "Keep your name under 100 characters."),
        ("name", "Eve\r\nBcc: x@evil.example", "Your name must fit on one line."),
        ("email", "", "Please enter your email address."),
        ("email", "not-an-email", "Please enter a valid email address."),
        ("email", "a@" + "b" * 250 + ".org", "Please enter a valid email address."),
        ("url", "javascript:alert(1)", "Enter a web address starting with http"),
        ("url", "https://e.example/" + "x" * 200, "under 200 characters"),
        ("comment", "", "Please write a comment before posting."),
        ("comment", "x" * 5001, "the limit is 5,000"),
        ("comment", "[" * 8000, "the limit is 5,000"),
    ],
)
def test_invalid_fields_keep_the_text(
    app, make_post, post_comment, field, value, message
):
    post = make_post("Talks")
    fields = {"name": "Ann", "email": "ann@example.net", "url": "", "body": "Kept text"}
    fields["body" if field == "comment" else field] = value
    response = post_comment(post, fields.pop("body"), **fields)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert 'aria-invalid="true"' in html
    if field != "comment":
        assert "Kept text</textarea>" in html
    assert rows(app) == []


def test_oversize_body_is_not_truncated(app, make_post, post_comment):
    post = make_post("Talks")
    response = post_comment(post, "y" * 5001)
    assert response.status_code == 400
    assert ("y" * 5001) in response.get_data(as_text=True)
    assert rows(app) == []


@pytest.mark.parametrize("case", ["draft", "missing", "closed", "scheduled", "old"])
def test_only_open_published_posts_take_comments(app, make_post, post_comment, case):
    if case == "draft":
        post = make_post("Draft", publish=False)
    elif case == "missing":
        post = make_post("Gone")
        post.id = 999_999
    elif case == "closed":
        post = make_post("Closed", comments_open=False)
    elif case == "scheduled":
        post = make_post("Soon", days_ago=-2)
    else:
        post = make_post("Old", days_ago=40)
        with app.app_context():
            from blog.site.settings import save_settings

            save_settings({"comments_close_after_days": 30})
            db.session.commit()
    response = post_comment(post, "Hello")
    assert response.status_code == 404
    assert rows(app) == []


def test_closed_post_says_so(client, make_post):
    post = make_post("Closed", comments_open=False)
    html = client.get(url_of(post)).get_data(as_text=True)
    assert "Comments are closed." in html and "Post Comment" not in html


def test_flood_gets_429_with_the_text_kept(app, make_post, post_comment):
    post = make_post("Talks")
    app.config["COMMENT_FLOOD_SECONDS"] = 15
    assert post_comment(post, "One", email="a@example.net").status_code == 303
    again = post_comment(post, "Two, quickly", email="A@Example.net", ip="198.51.100.9")
    assert again.status_code == 429  # the same email however typed, another address
    html = again.get_data(as_text=True)
    assert "too quickly" in html and "Two, quickly</textarea>" in html
    assert len(rows(app)) == 1


def set_burst(app, per_minute: int) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        save_settings({"comments_ip_burst": per_minute})
        db.session.commit()


def test_people_behind_one_address_comment_up_to_the_burst_limit(
    app, make_post, post_comment
):
    """A campus network: one IP address, several readers, seconds apart."""
    post = make_post("Talks")
    app.config["COMMENT_FLOOD_SECONDS"] = 15
    set_burst(app, DEFAULTS["comments_ip_burst"])  # post_comment turns it off
    for n in range(5):  # the default: 5 a minute
        sent = post_comment(post, f"Comment {n}", email=f"r{n}@example.net")
        assert sent.status_code == 303, n
    sixth = post_comment(post, "Number six", email="r6@example.net")
    assert sixth.status_code == 429
    html = sixth.get_data(as_text=True)
    assert "Many comments came from your network" in html
    assert "Number six</textarea>" in html
    assert len(rows(app)) == 5
    set_burst(app, 10)  # a Discussion setting
    assert post_comment(post, "Number six", email="r6@example.net").status_code == 303


def test_moderators_are_not_flood_limited(
    app, client, make_post, auth, make_user, post_comment
):
    editor = make_user(Role.EDITOR, "eddie", display_name="Eddie Editor")
    post = make_post("Talks")
    app.config["COMMENT_FLOOD_SECONDS"] = 15
    auth.login(editor)
    assert post_comment(post, "One").status_code == 303
    assert post_comment(post, "Two").status_code == 303
    found = rows(app)
    assert [c.status for c in found] == ["approved", "approved"]
    assert found[0].author_name == "Eddie Editor" and found[0].user_id == editor.id
    html = client.get(url_of(post)).get_data(as_text=True)
    assert "Staff" in html


def test_post_author_is_marked_author(
    app, client, make_post, auth, make_user, post_comment
):
    author = make_user(Role.AUTHOR, "writer")
    post = make_post("Mine", author=author)
    auth.login(author)
    page = client.get(url_of(post)).get_data(as_text=True)
    assert 'name="email"' not in page and "Logged in as" in page
    post_comment(post, "Thanks for reading")
    assert rows(app)[0].status == "approved"
    auth.logout()
    html = client.get(url_of(post)).get_data(as_text=True)
    assert '<span class="comment-badge">Author</span>' in html


def test_duplicate_is_refused(app, make_post, post_comment):
    post = make_post("Talks")
    assert post_comment(post, "Same words").status_code == 303
    again = post_comment(post, "Same  words ")
    assert again.status_code == 409
    assert "You&#39;ve already said that." in again.get_data(as_text=True)
    assert len(rows(app)) == 1


def test_honeypot_keeps_the_comment_as_spam(app, make_post, post_comment):
    post = make_post("Talks")
    response = post_comment(post, "Buy things", fax_number="555-1234")
    assert response.status_code == 303
    [comment] = rows(app)
    assert comment.status == "spam"
    # Shown to its author as awaiting moderation: spammers are not told.
    assert "unapproved=" in response.headers["Location"]


@pytest.mark.parametrize("ts", ["", "forged.token"])
def test_missing_or_forged_timestamp_holds(app, make_post, post_comment, ts):
    post = make_post("Talks")
    with app.app_context():
        from blog.site.settings import save_settings

        save_settings({"comments_previously_approved": False})
        db.session.commit()
    post_comment(post, "Hello", ts=ts)
    [comment] = rows(app)
    assert comment.status == "pending"
    with app.app_context():
        notes = db.session.scalars(select(CommentLogEntry.note)).all()
    assert any("timestamp" in note for note in notes)


def test_too_fast_holds(app, make_post, post_comment):
    post = make_post("Talks")
    app.config["COMMENT_MIN_SECONDS"] = 3
    with app.app_context():
        from blog.site.settings import save_settings

        save_settings({"comments_previously_approved": False})
        db.session.commit()
    post_comment(post, "Speedy")
    assert rows(app)[0].status == "pending"


def test_reply_link_and_threading(app, client, make_post, make_comment, post_comment):
    post = make_post("Talks")
    parent = make_comment(post, "Parent words", name="Pat")
    page = client.get(url_of(post)).get_data(as_text=True)
    assert f'href="{url_of(post)}?replytocom={parent.id}#respond"' in page
    reply_page = client.get(f"{url_of(post)}?replytocom={parent.id}").get_data(
        as_text=True
    )
    assert (
        "Leave a Reply to <bdi>Pat</bdi>" in reply_page and "Cancel reply" in reply_page
    )
    assert f'name="comment_parent" type="hidden" value="{parent.id}"' in reply_page
    with app.app_context():
        from blog.site.settings import save_settings

        save_settings({"comments_previously_approved": False})
        db.session.commit()
    post_comment(post, "Child words", comment_parent=str(parent.id))
    child = rows(app)[-1]
    assert child.parent_id == parent.id and child.status == "approved"
    html = client.get(url_of(post)).get_data(as_text=True)
    nested = html.split(f'id="comment-{parent.id}"')[1]
    assert '<ol class="children">' in nested.split("Child words")[0]


def test_thread_depth_is_capped(app, client, make_post, make_comment):
    app.config["COMMENT_THREAD_DEPTH"] = 2
    post = make_post("Talks")
    a = make_comment(post, "Level one")
    b = make_comment(post, "Level two", parent_id=a.id)
    make_comment(post, "Level three", parent_id=b.id)
    html = client.get(url_of(post)).get_data(as_text=True)
    assert html.count('<ol class="children">') == 1
    assert "depth-3" not in html


def test_comment_pages_after_the_limit(app, client, make_post, make_comment):
    app.config["COMMENTS_PER_PAGE"] = 3
    post = make_post("Popular")
    made = [
        make_comment(post, f"Comment number {n}.", minutes_ago=60 - n) for n in range(7)
    ]
    first = client.get(url_of(post)).get_data(as_text=True)
    assert "Comment number 0." in first and "Comment number 3." not in first
    assert "Page 1 of 3" in first and "Newer Comments" in first
    third = client.get(url_of(post) + "?cpage=3").get_data(as_text=True)
    assert "Comment number 6." in third and "Older Comments" in third
    assert made[-1].id


def test_remember_me_cookie(app, client, make_post, post_comment):
    post = make_post("Talks")
    response = post_comment(
        post,
        "Hi",
        name="Rita",
        email="rita@example.net",
        url="https://rita.example",
        remember="y",
    )
    cookie = response.headers["Set-Cookie"]
    assert "comment_author=" in cookie and "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie and "rita@example.net" not in cookie
    page = client.get(url_of(post))
    html = page.get_data(as_text=True)
    assert 'value="Rita"' in html and 'value="rita@example.net"' in html
    assert "no-store" in page.headers["Cache-Control"]
    # A browser without the cookie sees an empty form.
    from flask.testing import FlaskClient

    fresh: FlaskClient = app.test_client()
    assert "rita@example.net" not in fresh.get(url_of(post)).get_data(as_text=True)
    # Unticking forgets.
    forget = post_comment(post, "Bye", name="Rita", email="rita@example.net")
    assert "comment_author=;" in forget.headers["Set-Cookie"]


def test_expired_csrf_keeps_the_text(app, client, make_post, make_user, auth):
    """Staff's form has a session token; an expired one keeps the text."""
    author = make_user(Role.AUTHOR)
    post = make_post("Talks")
    auth.login(author)
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(
        f"/comments/post/{post.id}",
        data={"comment": "My long careful text", "csrf_token": "stale"},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This form had expired" in html
    assert "My long careful text</textarea>" in html
    assert 'name="csrf_token" type="hidden" value="' in html
    assert rows(app) == []


def test_an_anonymous_form_has_no_session_token_to_expire(app, make_post, post_comment):
    """A reader's form carries none (its page sets no cookie): whatever
    ``csrf_token`` is sent is ignored (tests/functional/comments/test_cross_site.py
    covers what guards it instead)."""
    app.config["WTF_CSRF_ENABLED"] = True
    post = make_post("Talks")
    response = post_comment(post, "My long careful text", csrf_token="stale")
    assert response.status_code == 303
    assert [c.body_source for c in rows(app)] == ["My long careful text"]


def test_listing_shows_comment_counts(client, make_post, make_comment):
    post = make_post("Talks")
    make_comment(post)
    make_comment(post)
    make_comment(post, status="pending")
    html = client.get("/").get_data(as_text=True)
    assert "2 Comments" in html


def test_public_get_writes_nothing(app, client, make_post, make_comment, count_queries):
    post = make_post("Talks")
    make_comment(post)
    with count_queries() as counter:
        client.get(url_of(post))
        client.get(url_of(post) + "?replytocom=1")
    writes = [
        s for s in counter.statements if not s.lstrip().upper().startswith("SELECT")
    ]
    assert writes == []


def test_event_count_of_rows_unchanged_by_get(app, client, make_post):
    post = make_post("Talks")
    client.get(url_of(post))
    with app.app_context():
        assert db.session.scalar(select(func.count(Comment.id))) == 0
        assert db.session.get(Post, post.id).updated_at <= utcnow() + timedelta(1)


def test_article_queries_do_not_grow_with_comments(
    app, client, make_post, make_user, make_comment, count_queries
):
    post = make_post("Busy")
    other = make_post("Quiet", days_ago=3)
    make_comment(post, "Only one")

    def queries(path: str) -> int:
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        return counter.count

    small = queries(url_of(post))
    staff = make_user(Role.EDITOR)
    first = make_comment(post, "Root")
    for n in range(15):
        make_comment(
            post,
            f"Comment {n}",
            parent_id=first.id if n % 3 else None,
            user_id=staff.id if n % 5 == 0 else None,
            author_url="https://x.example" if n % 2 else "",
        )
        make_comment(other, f"Elsewhere {n}")
    assert queries(url_of(post)) == small
    assert queries(url_of(post) + f"?replytocom={first.id}") == small
    home = queries("/")
    make_comment(other, "One more")
    assert queries("/") == home


def test_fields_come_in_the_seed_order(client, make_post):
    post = make_post("Ordered", days_ago=1)
    html = client.get(
        f"/{post.published_at:%Y}/{post.published_at:%m}/{post.slug}/"
    ).get_data(as_text=True)
    positions = [
        html.index(f'<label for="{name}">')
        for name in ("name", "email", "url", "comment")
    ]
    assert positions == sorted(positions)
