"""The moderation screen, its actions, mail to moderators, and purging."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from blog.extensions import db
from blog.models import Comment, CommentLogEntry, OutboxMessage, Role, utcnow
from blog.site.settings import save_settings
from tests.fixtures_comments import finish_response, refused_port, url_of


def status_of(app, comment_id: int) -> str | None:  # type: ignore[no-untyped-def]
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        return comment.status if comment else None


def row(html: str, comment_id: int) -> str:
    match = re.search(
        rf'<tr id="comment-row-{comment_id}".*?</tr>', html, flags=re.DOTALL
    )
    assert match, f"no row for comment {comment_id}"
    return match.group(0)


@pytest.fixture
def editor(make_user, auth):  # type: ignore[no-untyped-def]
    user = make_user(Role.EDITOR, "ed", display_name="Edna Editor")
    auth.login(user)
    return user


def test_tabs_counts_and_row_details(client, make_post, make_comment, editor):
    post = make_post("Talks")
    pending = make_comment(
        post,
        "Please *approve* me",
        status="pending",
        name="Pam",
        email="pam@example.net",
        author_url="https://pam.example",
        author_ip="198.51.100.23",
    )
    make_comment(post, "Old approved", name="Pam", email="pam@example.net")
    make_comment(post, "Junk", status="spam", name="Pam", email="pam@example.net")
    make_comment(post, "Binned", status="trash")
    response = client.get("/dashboard/comments/")
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    for tab in ("All (2)", "Pending (1)", "Approved (1)", "Spam (1)", "Trash (1)"):
        assert tab in html
    assert 'Comments <span class="count">1<' in html  # nav pending count
    cells = row(html, pending.id)
    assert "Pam" in cells and "pam@example.net" in cells
    assert "https://pam.example" in cells and "198.51.100.23" in cells
    assert "Please <em>approve</em> me" in cells
    assert "Talks" in cells and "Approved: 1, Spam: 1" in cells
    for name in ("Approve", "Spam", "Trash"):
        assert f">{name}</button>" in cells
    assert ">Unapprove</button>" not in cells and ">Reply</a>" in cells
    spam_page = client.get("/dashboard/comments/?status=spam").get_data(as_text=True)
    assert "Junk" in spam_page and "Binned" not in spam_page
    assert (
        ">Not Spam</button>" in spam_page
        and ">Delete Permanently</button>" in spam_page
    )
    trash_page = client.get("/dashboard/comments/?status=trash").get_data(as_text=True)
    assert ">Restore</button>" in trash_page


def test_search(client, make_post, make_comment, editor):
    post = make_post("Talks")
    make_comment(post, "About gardening", status="pending")
    make_comment(post, "About cooking", status="pending", author_ip="10.9.8.7")
    html = client.get("/dashboard/comments/?q=garden").get_data(as_text=True)
    assert "About gardening" in html and "About cooking" not in html
    html = client.get("/dashboard/comments/?q=10.9.8").get_data(as_text=True)
    assert "About cooking" in html and "About gardening" not in html
    html = client.get("/dashboard/comments/?q=100%25").get_data(as_text=True)
    assert "No comments found." in html


@pytest.mark.parametrize(
    ("start", "action", "end"),
    [
        ("pending", "approve", "approved"),
        ("approved", "unapprove", "pending"),
        ("pending", "spam", "spam"),
        ("spam", "not-spam", "pending"),
        ("approved", "trash", "trash"),
        ("trash", "restore", "pending"),
        ("trash", "delete", None),
        ("spam", "delete", None),
    ],
)
def test_row_actions(app, client, make_post, make_comment, editor, start, action, end):
    post = make_post("Talks")
    comment = make_comment(post, status=start)
    response = client.post(f"/dashboard/comments/{comment.id}/{action}")
    assert response.status_code == 302
    assert status_of(app, comment.id) == end
    if end is not None:
        with app.app_context():
            event = db.session.scalars(
                select(CommentLogEntry).where(CommentLogEntry.comment_id == comment.id)
            ).one()
            assert event.actor_id == editor.id
            assert event.action == action.replace("-", "_")


def test_refused_action_changes_nothing(app, client, make_post, make_comment, editor):
    post = make_post("Talks")
    comment = make_comment(post, status="approved")
    response = client.post(
        f"/dashboard/comments/{comment.id}/delete", follow_redirects=True
    )
    assert "Only spam and trashed comments" in response.get_data(as_text=True)
    assert status_of(app, comment.id) == "approved"
    assert client.post(f"/dashboard/comments/{comment.id}/explode").status_code == 404


def test_actions_need_post(client, make_post, make_comment, editor):
    comment = make_comment(make_post("Talks"), status="pending")
    assert client.get(f"/dashboard/comments/{comment.id}/approve").status_code == 405


def test_history_is_shown_with_names(client, make_post, make_comment, editor):
    comment = make_comment(make_post("Talks"), status="pending")
    client.post(f"/dashboard/comments/{comment.id}/approve")
    client.post(f"/dashboard/comments/{comment.id}/unapprove")
    html = client.get("/dashboard/comments/").get_data(as_text=True)
    cells = row(html, comment.id)
    assert "Edna Editor approved this comment" in cells
    assert "Edna Editor unapproved this comment" in cells
    assert "<time datetime=" in cells


def test_bulk_actions(app, client, make_post, make_comment, editor):
    post = make_post("Talks")
    a = make_comment(post, status="pending")
    b = make_comment(post, status="pending")
    c = make_comment(post, status="approved")
    response = client.post(
        "/dashboard/comments/bulk",
        data={"action": "approve", "ids": [str(a.id), str(b.id), str(c.id)]},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "2 comments approved." in html
    assert [status_of(app, x.id) for x in (a, b, c)] == ["approved"] * 3
    client.post(
        "/dashboard/comments/bulk",
        data={"action": "trash", "ids": [str(a.id), str(b.id)]},
    )
    assert status_of(app, a.id) == "trash" and status_of(app, b.id) == "trash"
    client.post(
        "/dashboard/comments/bulk",
        data={"action": "delete", "ids": [str(a.id), str(b.id)]},
    )
    assert status_of(app, a.id) is None and status_of(app, b.id) is None
    empty = client.post(
        "/dashboard/comments/bulk", data={"action": "approve"}, follow_redirects=True
    )
    assert "Choose an action and at least one comment." in empty.get_data(as_text=True)


def test_edit(app, client, make_post, make_comment, editor):
    comment = make_comment(make_post("Talks"), status="pending", name="Typo")
    page = client.get(f"/dashboard/comments/{comment.id}/edit").get_data(as_text=True)
    assert 'value="Typo"' in page
    bad = client.post(
        f"/dashboard/comments/{comment.id}/edit",
        data={
            "name": "Fixed",
            "email": "x@example.net",
            "url": "javascript:x",
            "comment": "Kept",
        },
    )
    assert bad.status_code == 200 and "Enter a web address" in bad.get_data(
        as_text=True
    )
    client.post(
        f"/dashboard/comments/{comment.id}/edit",
        data={"name": "Fixed", "email": "x@example.net", "comment": "**Better**"},
    )
    with app.app_context():
        saved = db.session.get(Comment, comment.id)
        assert saved.author_name == "Fixed"
        assert saved.body_html == "<p><strong>Better</strong></p>"


def test_reply_approves_and_threads(app, client, make_post, make_comment, editor):
    post = make_post("Talks")
    parent = make_comment(post, "Question?", status="pending")
    page = client.get(f"/dashboard/comments/{parent.id}/reply").get_data(as_text=True)
    assert "Replying approves this comment." in page
    client.post(f"/dashboard/comments/{parent.id}/reply", data={"comment": "Answer."})
    assert status_of(app, parent.id) == "approved"
    with app.app_context():
        answer = db.session.scalars(
            select(Comment).where(Comment.parent_id == parent.id)
        ).one()
        assert answer.status == "approved" and answer.user_id == editor.id
    public = client.get(url_of(post)).get_data(as_text=True)
    assert "Answer." in public.split(f'id="comment-{parent.id}"')[1]


def test_the_same_reply_twice_is_refused_next_to_the_field(
    app, client, make_post, make_comment, editor
):
    parent = make_comment(make_post("Talks"), "Question?")
    url = f"/dashboard/comments/{parent.id}/reply"
    assert client.post(url, data={"comment": "Answer."}).status_code == 302
    again = client.post(url, data={"comment": "Answer."})
    assert again.status_code == 200
    assert "You&#39;ve already said that." in again.get_data(as_text=True)
    with app.app_context():
        replies = select(Comment).where(Comment.parent_id == parent.id)
        assert len(db.session.scalars(replies).all()) == 1


def test_authors_moderate_only_their_own_posts(
    app, client, make_user, make_post, make_comment, auth
):
    author = make_user(Role.AUTHOR, "au")
    mine = make_comment(make_post("Mine", author=author), "On mine", status="pending")
    theirs = make_comment(make_post("Theirs"), "On theirs", status="pending")
    auth.login(author)
    html = client.get("/dashboard/comments/").get_data(as_text=True)
    assert "On mine" in html and "On theirs" not in html
    assert "Pending (1)" in html
    assert client.post(f"/dashboard/comments/{mine.id}/approve").status_code == 302
    assert client.post(f"/dashboard/comments/{theirs.id}/approve").status_code == 403
    forbidden = client.post(
        "/dashboard/comments/bulk", data={"action": "trash", "ids": [str(theirs.id)]}
    )
    assert forbidden.status_code == 403
    assert status_of(app, theirs.id) == "pending"


def test_contributors_cannot_moderate(client, make_user, make_post, make_comment, auth):
    cora = make_user(Role.CONTRIBUTOR, "cora")
    make_comment(make_post("Mine", author=cora), status="pending")
    auth.login(cora)
    assert client.get("/dashboard/comments/").status_code == 403
    assert (
        "Comments"
        not in client.get("/dashboard/")
        .get_data(as_text=True)
        .split("</nav>")[0]
        .split("Events")[1]
    )


def test_moderation_page_has_no_n_plus_one(
    client, make_post, make_comment, editor, count_queries
):
    post = make_post("Talks")
    make_comment(post, status="pending")

    def queries() -> int:
        with count_queries() as counter:
            assert client.get("/dashboard/comments/").status_code == 200
        return counter.count

    small = queries()
    other = make_post("Other")
    for n in range(8):
        comment = make_comment(
            other if n % 2 else post, status="pending", email=f"p{n}@example.net"
        )
        client.post(f"/dashboard/comments/{comment.id}/approve")
    assert queries() == small


def test_mail_to_moderators_when_held(
    app, make_post, make_user, post_comment, smtp_server
):
    make_user(Role.EDITOR, "ed", email="ed@example.org")
    post = make_post("Talks")
    response = post_comment(post, "Hold me", name="Hal", email="hal@example.net")
    assert response.status_code == 303
    assert smtp_server.messages == []  # queued with the comment, not sent yet
    with app.app_context():
        [queued] = db.session.scalars(select(OutboxMessage)).all()
        assert queued.status == "queued" and "ed@example.org" in queued.recipients
    finish_response(app, response)  # sent once the response has gone out
    [message] = smtp_server.messages
    assert "ed@example.org" in message["To"]
    assert "Talks" in message["Subject"]
    body = message.get_payload(decode=True).decode()
    assert "Hold me" in body and "hal@example.net" in body and "203.0.113.7" in body
    with app.app_context():
        sent = db.session.scalars(select(OutboxMessage)).one()
        assert sent.status == "sent" and sent.sent_at is not None


def test_mail_down_keeps_the_comment_and_retries(
    app, runner, make_post, make_user, post_comment, smtp_server
):
    make_user(Role.EDITOR, "ed")
    post = make_post("Talks")
    app.config["MAIL_PORT"] = refused_port()  # the mail server is down
    response = post_comment(post, "Hold me")
    assert response.status_code == 303
    finish_response(app, response)
    with app.app_context():
        comment = db.session.scalars(select(Comment)).one()
        assert comment.status == "pending"
        message = db.session.scalars(select(OutboxMessage)).one()
        assert message.status == "queued" and message.attempts == 1
        assert message.last_error == "ConnectionRefusedError"
        # A minute later, the mail server is back and cron runs.
        message.next_attempt_at = utcnow()
        db.session.commit()
    assert smtp_server.messages == []
    app.config["MAIL_PORT"] = smtp_server.port
    result = runner.invoke(args=["comments", "recheck"])
    assert "mail sent 1" in result.output
    assert len(smtp_server.messages) == 1


def test_no_mail_without_a_server(app, make_post, make_user, post_comment):
    make_user(Role.EDITOR, "ed")
    post_comment(make_post("Talks"), "Hold me")
    with app.app_context():
        assert db.session.scalars(select(Comment)).one().status == "pending"
        assert db.session.scalars(select(OutboxMessage)).all() == []


def test_mail_queued_before_the_outbox_is_moved_to_it(
    app, runner, make_post, make_user, make_comment, smtp_server
):
    make_user(Role.EDITOR, "ed", email="ed@example.org")
    post = make_post("Talks")
    flagged = make_comment(
        post, "Old hold", status="pending", notification_pending=True
    )
    result = runner.invoke(args=["comments", "recheck"])
    assert "mail sent 1" in result.output
    [message] = smtp_server.messages
    assert "Old hold" in message.get_payload(decode=True).decode()
    with app.app_context():
        assert db.session.get(Comment, flagged.id).notification_pending is False


def test_purge_deletes_old_spam_and_trash(app, runner, make_post, make_comment):
    post = make_post("Talks")
    old_spam = make_comment(post, status="spam", minutes_ago=20 * 24 * 60)
    old_trash = make_comment(post, status="trash", minutes_ago=20 * 24 * 60)
    new_spam = make_comment(post, status="spam")
    old_approved = make_comment(post, status="approved", minutes_ago=20 * 24 * 60)
    recently_trashed = make_comment(post, status="approved", minutes_ago=20 * 24 * 60)
    with app.app_context():
        from blog.comments import states as comment_state
        from blog.models import User

        admin = db.session.scalar(select(User))
        comment = db.session.get(Comment, recently_trashed.id)
        comment_state.transition(admin, comment, "trash")
        db.session.commit()
        db.session.execute(
            update(CommentLogEntry)
            .where(CommentLogEntry.comment_id == old_spam.id)
            .values(at=utcnow() - timedelta(days=20))
        )
        db.session.commit()
    result = runner.invoke(args=["comments", "purge"])
    assert "Deleted 2 spam or trashed comment(s)." in result.output
    assert status_of(app, old_spam.id) is None and status_of(app, old_trash.id) is None
    assert status_of(app, new_spam.id) == "spam"
    assert status_of(app, old_approved.id) == "approved"
    assert status_of(app, recently_trashed.id) == "trash"
    result = runner.invoke(args=["comments", "purge", "--days", "0"])
    assert "Deleted 2" in result.output


def test_discussion_settings(app, client, make_user, auth):
    auth.login(make_user(Role.ADMIN, "boss"))
    page = client.get("/dashboard/settings/discussion/").get_data(as_text=True)
    assert "Comment must be manually approved" in page
    assert "Comment author must have a previously approved comment" in page
    response = client.post(
        "/dashboard/settings/discussion/",
        data={
            "comments_manual_approval": "y",
            "comments_max_links": "3",
            "comments_moderation_words": "casino\n",
            "comments_disallowed_words": "",
            "comments_close_after_days": "0",
            "akismet_api_key": "abc123",
            "privacy_text": "We keep **little**.",
        },
        follow_redirects=True,
    )
    assert "Discussion settings saved." in response.get_data(as_text=True)
    with app.app_context():
        from blog.site.settings import load_settings

        settings = load_settings()
    assert settings["comments_manual_approval"] is True
    assert settings["comments_previously_approved"] is False
    assert settings["comments_max_links"] == 3
    assert settings["akismet_api_key"] == "abc123"
    privacy = client.get("/privacy/").get_data(as_text=True)
    assert "We keep <strong>little</strong>." in privacy


@pytest.mark.parametrize(
    ("settings", "body", "extra", "status", "why"),
    [
        ({"comments_manual_approval": True}, "Hi", {}, "pending", "by hand"),
        (
            {"comments_max_links": 2},
            "https://a.example https://b.example",
            {},
            "pending",
            "2 links",
        ),
        ({"comments_max_links": 2}, "just https://a.example", {}, "approved", ""),
        (
            {"comments_moderation_words": "casino"},
            "Play CASINO games",
            {},
            "pending",
            "casino",
        ),
        (
            {"comments_moderation_words": "203.0.113."},
            "Hi",
            {},
            "pending",
            "203.0.113.",
        ),
        (
            {"comments_moderation_words": "evil.example"},
            "Hi",
            {"email": "x@evil.example"},
            "pending",
            "evil.example",
        ),
        (
            {"comments_moderation_words": "spammy"},
            "Hi",
            {"url": "https://spammy.example"},
            "pending",
            "spammy",
        ),
        ({"comments_disallowed_words": "viagra"}, "Buy Viagra", {}, "trash", "viagra"),
        (
            {"comments_disallowed_words": "Bad Name"},
            "Hi",
            {"name": "bad name"},
            "trash",
            "Bad Name",
        ),
    ],
)
def test_local_rules(app, make_post, post_comment, settings, body, extra, status, why):
    with app.app_context():
        save_settings({"comments_previously_approved": False, **settings})
        db.session.commit()
    post_comment(make_post("Talks"), body, **extra)
    with app.app_context():
        comment = db.session.scalars(select(Comment)).one()
        notes = " ".join(
            db.session.scalars(
                select(CommentLogEntry.note).where(
                    CommentLogEntry.comment_id == comment.id
                )
            )
        )
    assert comment.status == status
    assert why in notes


def test_pending_count_is_one_query(app, client, make_post, make_comment, editor):
    make_comment(make_post("Talks"), status="pending")
    with app.app_context():
        assert db.session.scalar(select(func.count(Comment.id))) == 1
    html = client.get("/dashboard/").get_data(as_text=True)
    assert re.search(r"Comments <span[^>]*>1<span[^>]*> pending</span>", html)


def test_deleting_a_post_deletes_its_comments(
    app, client, make_post, make_comment, editor
):
    post = make_post("Doomed")
    parent = make_comment(post)
    make_comment(post, "Reply", parent_id=parent.id)
    client.post(f"/dashboard/posts/{post.id}/trash")
    assert client.post(f"/dashboard/posts/{post.id}/delete").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Comment.id))) == 0
        assert db.session.scalar(select(func.count(CommentLogEntry.id))) == 0


def test_deleting_a_parent_keeps_its_replies(
    app, client, make_post, make_comment, editor
):
    post = make_post("Talks")
    parent = make_comment(post, "Parent", status="trash")
    reply = make_comment(post, "Orphan reply", parent_id=parent.id)
    client.post(f"/dashboard/comments/{parent.id}/delete")
    with app.app_context():
        kept = db.session.get(Comment, reply.id)
        assert kept is not None and kept.parent_id is None
    assert "Orphan reply" in client.get(url_of(post)).get_data(as_text=True)


def test_edit_refreshes_the_duplicate_check(
    app, client, make_post, make_comment, editor
):
    post = make_post("Talks")
    first = make_comment(post, body="Original words", email="sam@example.net")
    make_comment(post, body="Other words", email="sam@example.net")
    edit = {"name": "Sam", "email": "sam@example.net"}
    clash = client.post(
        f"/dashboard/comments/{first.id}/edit", data={**edit, "comment": "Other words"}
    )
    assert "Another comment on this post" in clash.get_data(as_text=True)
    client.post(
        f"/dashboard/comments/{first.id}/edit", data={**edit, "comment": "Edited words"}
    )
    with app.app_context():
        from blog.comments.checks import content_hash

        saved = db.session.get(Comment, first.id)
        assert saved.body_source == "Edited words"
        assert saved.content_hash == content_hash(
            post.id, "sam@example.net", "Edited words"
        )
