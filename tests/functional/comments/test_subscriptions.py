"""Follow-up comments by email: the double opt-in, the follow-up mail, the
one-click unsubscribe (RFC 8058), the subscriptions page, and the approval
notice, through the real form, the outbox and a real SMTP server."""

from __future__ import annotations

import re
from email.header import decode_header, make_header
from email.message import Message

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.mail import MailConfig
from blog.mail.outbox import deliver_outbox
from blog.models import Comment, CommentSubscription, OutboxMessage, Role, utcnow
from blog.site import save_settings
from tests.conftest import Auth
from tests.fixtures_comments import url_of


@pytest.fixture(autouse=True)
def _send_from_the_test(app):  # type: ignore[no-untyped-def]
    """The test sends the outbox itself (no background sender racing it)."""
    app.config["MAIL_SEND_AFTER_RESPONSE"] = False


def deliver(app, smtp_server) -> list[Message]:  # type: ignore[no-untyped-def]
    """Send what is queued; the messages to readers that arrived (not the
    moderators' "Please moderate"), and forget them all."""
    with app.app_context():
        deliver_outbox(MailConfig.from_config(app.config))
    arrived, smtp_server.messages[:] = list(smtp_server.messages), []
    return [m for m in arrived if not subject(m).startswith("Please moderate")]


def subject(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def text(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def link(message: Message, path_part: str) -> str:
    """The path of the link in ``message`` whose address holds ``path_part``."""
    match = re.search(rf"http://localhost(/\S*{path_part}\S*)", text(message))
    assert match, f"no {path_part} link in {text(message)!r}"
    return match.group(1)


def comment_id(app, body: str) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalars(
            select(Comment.id).where(Comment.body_source == body)
        ).one()


def subscriptions(app) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        rows = db.session.scalars(
            select(CommentSubscription).order_by(CommentSubscription.id)
        )
        return [(s.email, s.scope.value, s.status.value) for s in rows]


def test_opt_in_follow_up_and_one_click_unsubscribe(
    app, client, make_post, post_comment, approving, smtp_server
):
    post = make_post("Gardens in Winter")
    post_comment(
        post,
        "Frost is good for soil.",
        name="Ann",
        email="Ann@Example.net",
        subscribe="y",
    )
    [confirmation] = deliver(app, smtp_server)  # exactly one, and only to Ann
    assert confirmation["To"] == "Ann@Example.net"
    assert "Please confirm" in subject(confirmation)
    unsubscribe = link(confirmation, "/unsubscribe")
    assert confirmation["List-Unsubscribe"] == f"<http://localhost{unsubscribe}>"
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "replies to your comment" in text(confirmation)
    assert subscriptions(app) == [("Ann@Example.net", "replies", "pending")]

    ann_id = comment_id(app, "Frost is good for soil.")
    post_comment(
        post,
        "Not before confirming.",
        name="Bob",
        email="bob@example.org",
        comment_parent=str(ann_id),
    )
    assert deliver(app, smtp_server) == []  # pending: nothing yet

    confirm = link(confirmation, "/confirm")
    page = client.get(confirm)  # a mail scanner's GET changes nothing
    assert (
        page.status_code == 200
        and ">Confirm subscription</button>" in page.get_data(as_text=True)
    )
    assert page.headers["Cache-Control"] == "no-store"
    assert "noindex" in page.headers["X-Robots-Tag"]
    assert subscriptions(app)[0][2] == "pending"
    done = client.post(confirm).get_data(as_text=True)
    assert "Subscription confirmed" in done and "Ann@Example.net" in done
    assert subscriptions(app)[0][2] == "active"

    post_comment(
        post,
        "Mulch helps *too*.",
        name="Carol",
        email="carol@example.org",
        comment_parent=str(ann_id),
    )
    post_comment(
        post, "A new thread, not a reply.", name="Dan", email="dan@example.org"
    )
    post_comment(
        post,
        "Answering myself.",
        name="Ann",
        email="ann@example.net",
        comment_parent=str(ann_id),
    )
    # Carol's reply only: not Dan's top-level comment, not Ann's own reply.
    [follow_up] = deliver(app, smtp_server)
    assert follow_up["To"] == "Ann@Example.net"
    assert (
        subject(follow_up)
        == "[My Blog] New reply to your comment on “Gardens in Winter”"
    )
    body = text(follow_up)
    carol_id = comment_id(app, "Mulch helps *too*.")
    assert "Carol replied to your comment" in body and "Mulch helps *too*." in body
    assert f"http://localhost{url_of(post)}#comment-{carol_id}" in body
    assert link(follow_up, "/unsubscribe") == unsubscribe
    assert follow_up["List-Unsubscribe"] == f"<http://localhost{unsubscribe}>"
    assert "/comments/subscriptions/manage/" in body

    # RFC 8058: the mail client POSTs, with no cookie and no CSRF token.
    one_click = app.test_client().post(
        unsubscribe,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.status_code == 200 and "Set-Cookie" not in one_click.headers
    assert "You are unsubscribed" in one_click.get_data(as_text=True)
    assert subscriptions(app)[0][2] == "ended"
    post_comment(
        post,
        "Anyone still there?",
        name="Eve",
        email="eve@example.org",
        comment_parent=str(ann_id),
    )
    assert deliver(app, smtp_server) == []
    # A link click: a page with the button, then the POST.
    again = client.get(unsubscribe).get_data(as_text=True)
    assert "You are unsubscribed" in again


def test_held_comments_wait_for_a_moderator_and_the_approval_notice(
    app, client, make_user, make_post, post_comment, smtp_server
):
    with app.app_context():
        save_settings(
            {
                "comments_manual_approval": True,
                "comments_notify_author_on_approval": True,
            }
        )
        db.session.commit()
    editor = app.test_client()
    Auth(editor).login(make_user(Role.EDITOR, "ed"))
    post = make_post("Tides")
    post_comment(
        post,
        "Every new comment, please.",
        name="Sue",
        email="sue@example.net",
        subscribe="y",
        subscribe_scope="all",
    )
    # Held, and no Akismet vetted it: nobody is mailed at the address a
    # robot could have typed, until a moderator approves the comment.
    assert deliver(app, smtp_server) == []
    sue_id = comment_id(app, "Every new comment, please.")
    editor.post(f"/dashboard/comments/{sue_id}/approve")
    confirmation, notice = sorted(deliver(app, smtp_server), key=subject)
    assert "new comments" in text(confirmation)
    client.post(link(confirmation, "/confirm"))
    # Her own approval: the notice, no follow-up.
    assert notice["To"] == "sue@example.net" and "List-Unsubscribe" not in notice
    assert subject(notice) == "[My Blog] Your comment on “Tides” was approved"
    assert f"#comment-{sue_id}" in text(notice)

    post_comment(post, "Held first.", name="Tom", email="tom@example.org")
    assert deliver(app, smtp_server) == []  # held: nothing to subscribers yet
    tom_id = comment_id(app, "Held first.")
    with app.app_context():
        save_settings({"comments_notify_author_on_approval": False})
        db.session.commit()
    editor.post(f"/dashboard/comments/{tom_id}/approve")
    [follow_up] = deliver(app, smtp_server)  # to Sue; no notice to Tom (setting off)
    assert follow_up["To"] == "sue@example.net"
    assert subject(follow_up).endswith("New comment on “Tides”")
    assert "Tom left a new comment" in text(follow_up) and "Held first." in text(
        follow_up
    )
    editor.post(f"/dashboard/comments/{tom_id}/unapprove")
    editor.post(f"/dashboard/comments/{tom_id}/approve")
    assert deliver(app, smtp_server) == []  # announced once


def test_the_subscriptions_page_lists_confirms_and_ends(
    app, client, make_post, post_comment, approving, smtp_server
):
    first, second = (
        make_post("First Post"),
        make_post("Second Post", slug="second-post"),
    )
    post_comment(
        first, "Subscribe me here.", name="Ann", email="ann@example.net", subscribe="y"
    )
    post_comment(
        second,
        "And there.",
        name="Ann",
        email="ANN@example.net",
        subscribe="y",
        subscribe_scope="all",
    )
    [confirmation] = deliver(app, smtp_server)  # one confirmation a day per address
    assert subscriptions(app) == [
        ("ann@example.net", "replies", "pending"),
        ("ANN@example.net", "all", "pending"),
    ]
    manage = link(confirmation, "/manage/")
    reader = app.test_client()  # no session: the key in the address is enough
    page = reader.get(manage)
    html = page.get_data(as_text=True)
    assert (
        page.headers["Cache-Control"] == "no-store" and "Set-Cookie" not in page.headers
    )
    assert "ann@example.net" in html and "First Post" in html and "Second Post" in html
    assert html.count("(not confirmed yet)") == 2
    with app.app_context():
        first_id, second_id = db.session.scalars(
            select(CommentSubscription.id).order_by(CommentSubscription.id)
        )
    ended = reader.post(manage, data={"end": str(first_id)})
    assert ended.status_code == 303 and "Set-Cookie" not in ended.headers
    reader.post(manage, data={"confirm": str(second_id)})
    assert [s[2] for s in subscriptions(app)] == ["ended", "active"]
    html = reader.get(manage).get_data(as_text=True)
    assert (
        "First Post" not in html
        and "Second Post" in html
        and ">End all</button>" in html
    )
    # Already covered (active, every comment): ticking the box again adds nothing.
    post_comment(
        second, "Once more.", name="Ann", email="ann@example.net", subscribe="y"
    )
    assert len(subscriptions(app)) == 2 and deliver(app, smtp_server) == []
    reader.post(manage, data={"end_all": "1"})
    assert [s[2] for s in subscriptions(app)] == ["ended", "ended"]
    assert "You have no subscriptions" in reader.get(manage).get_data(as_text=True)
    forged = manage.replace("/manage/", "/manage/x")
    assert reader.get(forged).status_code == 404
    assert reader.post(manage, data={"end": "nope"}).status_code == 400


def test_spam_gets_nothing_and_the_article_page_stays_cacheable(
    app, client, make_user, make_post, post_comment, smtp_server, akismet_server
):
    post = make_post("Quiet Post")
    akismet_server.mode = "spam"
    post_comment(
        post, "Buy now!", name="Spammer", email="spam@example.org", subscribe="y"
    )
    with app.app_context():
        assert db.session.scalar(select(Comment.status)) == "spam"
        assert db.session.scalars(select(OutboxMessage)).all() == []
    assert subscriptions(app) == []
    page = client.get(url_of(post))
    html = page.get_data(as_text=True)
    assert (
        page.headers["Cache-Control"].startswith("public")
        and "Set-Cookie" not in page.headers
    )
    box = re.search(
        r'<input id="subscribe" name="subscribe" type="checkbox"[^>]*>', html
    )
    assert box and "checked" not in box.group(0)
    assert "<label>" + '<input checked id="subscribe_scope-0"' in html.replace("\n", "")
    assert "Replies to my comment" in html and "All new comments on this post" in html
    assert "spam@example.org" not in html
    # Staff comment as themselves: no box.
    staff = app.test_client()
    Auth(staff).login(make_user(Role.EDITOR, "ed"))
    assert "Notify me of follow-up comments" not in staff.get(url_of(post)).get_data(
        as_text=True
    )


def test_no_box_without_mail(app, client, make_post):
    html = client.get(url_of(make_post("No Mail Here"))).get_data(as_text=True)
    assert "Leave a Reply" in html and "Notify me of follow-up comments" not in html


def test_one_query_for_the_subscribers_however_many(
    app, make_post, make_comment, smtp_server, count_queries
):
    """Approving a comment costs the same queries for one subscriber or five."""
    from datetime import timedelta

    from blog.comments import CommentSettings, subscriptions
    from blog.site import load_settings

    post = make_post("Busy Post")
    counts = []
    for n, subscribers in enumerate((1, 5)):
        with app.app_context():
            for k in range(subscribers):
                db.session.add(
                    CommentSubscription(
                        post_id=post.id,
                        email=f"reader{n}-{k}@example.net",
                        scope="all",
                        status="active",
                        token=f"token-{n}-{k}".ljust(43, "x"),
                        created_at=utcnow() - timedelta(hours=1),
                    )
                )
            db.session.commit()
        comment = make_comment(post, f"Comment {n}", status="approved")
        with app.app_context():
            settings = CommentSettings.from_app(app.config, load_settings())
            loaded = db.session.get(Comment, comment.id)
            with count_queries() as counter:
                queued = subscriptions.announce_approved(loaded, settings)
                db.session.flush()
            db.session.commit()
        assert queued == 1 + 5 * n  # the first post's reader counts again
        reads = [q for q in counter.statements if not q.lstrip().startswith("INSERT")]
        counts.append(len(reads))  # the messages' INSERTs aside
    assert counts[0] == counts[1]
