"""Akismet through a real local server: every answer, every failure, recheck."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from blog.comments import akismet as spam
from blog.extensions import db
from blog.models import Comment, CommentLogEntry, Role, Setting
from blog.site.settings import save_settings
from tests.fixtures_comments import url_of


def only_comment(app) -> Comment:  # type: ignore[no-untyped-def]
    with app.app_context():
        [comment] = db.session.scalars(select(Comment)).all()
        _ = comment.history
        db.session.expunge_all()
        return comment


def history(app, comment_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return list(
            db.session.scalars(
                select(CommentLogEntry.action)
                .where(CommentLogEntry.comment_id == comment_id)
                .order_by(CommentLogEntry.id)
            )
        )


@pytest.fixture
def open_rules(app):  # type: ignore[no-untyped-def]
    """No local rule holds a clean comment, so Akismet's verdict decides."""
    with app.app_context():
        save_settings({"comments_previously_approved": False})
        db.session.commit()


def test_ham_is_approved_and_fields_are_sent(
    app, make_post, post_comment, akismet_server, open_rules
):
    post = make_post("Talks")
    response = post_comment(
        post,
        "A fine point.",
        name="Ann",
        email="ann@example.net",
        url="https://ann.example",
        comment_parent=None,
    )
    comment = only_comment(app)
    assert comment.status == "approved" and comment.spam_check == "ham"
    assert response.headers["Location"].endswith(f"#comment-{comment.id}")
    [sent] = akismet_server.calls("comment-check")
    assert sent["user_ip"] == "203.0.113.7"
    assert sent["user_agent"] == "Mozilla/5.0 (CommentTest)"
    assert sent["referrer"] == "http://localhost/somewhere"
    assert sent["permalink"] == "http://localhost" + url_of(post)
    assert sent["comment_type"] == "comment"
    assert sent["comment_author"] == "Ann"
    assert sent["comment_author_email"] == "ann@example.net"
    assert sent["comment_author_url"] == "https://ann.example"
    assert sent["comment_content"] == "A fine point."
    assert sent["comment_date_gmt"] and sent["comment_post_modified_gmt"]
    assert sent["blog_lang"] == "en" and sent["blog_charset"] == "UTF-8"
    assert sent["is_test"] in ("1", "True", "true")
    assert sent["blog"] == "http://localhost"
    assert history(app, comment.id) == ["submitted", "akismet_ham", "rule_approved"]


def test_production_does_not_send_is_test(
    app, make_post, post_comment, akismet_server, open_rules
):
    app.config["ENV"] = "production"
    post_comment(make_post("Talks"), "Hello")
    [sent] = akismet_server.calls("comment-check")
    assert "is_test" not in sent


def test_reply_is_sent_as_reply(
    app, make_post, make_comment, post_comment, akismet_server, open_rules
):
    post = make_post("Talks")
    parent = make_comment(post)
    post_comment(post, "Answer", comment_parent=str(parent.id))
    assert akismet_server.calls("comment-check")[0]["comment_type"] == "reply"


def test_spam_goes_to_the_spam_list(
    app, client, make_post, post_comment, akismet_server
):
    akismet_server.mode = "spam"
    post = make_post("Talks")
    response = post_comment(post, "Cheap pills")
    comment = only_comment(app)
    assert comment.status == "spam" and comment.spam_check == "spam"
    assert "unapproved=" in response.headers["Location"]
    held = client.get(response.headers["Location"].split("#")[0])
    assert "Your comment is awaiting moderation." in held.get_data(as_text=True)
    assert "Cheap pills" not in client.get(url_of(post)).get_data(as_text=True)
    assert history(app, comment.id)[-1] == "akismet_spam"


def test_discard_is_kept_as_spam_for_anonymous(
    app, make_post, post_comment, akismet_server
):
    akismet_server.mode = "discard"
    post_comment(make_post("Talks"), "Blatant")
    comment = only_comment(app)
    assert comment.status == "spam" and comment.spam_check == "discard"


def test_discard_does_not_apply_to_staff(app, make_post, make_user):
    """Staff are never sent to Akismet; if a discard came back for a logged-in
    commenter it would be an ordinary spam verdict."""
    from blog.comments.rules import apply_verdict
    from blog.models import Comment as C

    with app.app_context():
        comment = C(
            user_id=1,
            author_name="x",
            author_email="x@example.net",
            body_source="b",
            body_html="<p>b</p>",
            submitted={},
        )
        apply_verdict(comment, spam.Verdict.DISCARD, {})
        assert comment.status == "spam" and comment.spam_check == "spam"


@pytest.mark.parametrize("mode", ["500", "garbage", "hang", "invalid", "refused"])
def test_failures_keep_the_comment_pending(
    app, client, make_post, post_comment, akismet_server, open_rules, mode
):
    if mode == "refused":
        app.config["AKISMET_API_URL"] = "http://127.0.0.1:9"  # nothing listens
    else:
        akismet_server.mode = mode
    post = make_post("Talks")
    started = time.monotonic()
    response = post_comment(post, "Still here")
    assert time.monotonic() - started < 5  # bounded by AKISMET_TIMEOUT
    assert response.status_code == 303
    comment = only_comment(app)
    assert comment.status == "pending" and comment.spam_check == "unchecked"
    assert "akismet_error" in history(app, comment.id)
    page = client.get(response.headers["Location"].split("#")[0])
    assert "Your comment is awaiting moderation." in page.get_data(as_text=True)
    with app.app_context():
        invalid = db.session.get(Setting, "akismet_key_invalid")
        assert (invalid is not None and invalid.value is True) == (mode == "invalid")


def test_invalid_key_shows_one_warning(
    app, client, make_post, make_user, auth, post_comment, akismet_server
):
    akismet_server.mode = "invalid"
    post = make_post("Talks")
    post_comment(post, "One", email="one@example.net")
    post_comment(post, "Two", email="two@example.net")
    editor = make_user(Role.EDITOR, "ed")
    auth.login(editor)
    html = client.get("/dashboard/comments/").get_data(as_text=True)
    assert html.count("Akismet refused the API key.") == 1
    home = client.get("/dashboard/").get_data(as_text=True)
    assert home.count("Akismet refused the API key.") == 1
    akismet_server.mode = "ham"
    client.post("/dashboard/comments/recheck")
    html = client.get("/dashboard/comments/").get_data(as_text=True)
    assert "Akismet refused the API key." not in html


def test_key_never_logged(app, make_post, post_comment, akismet_server, caplog):
    akismet_server.mode = "invalid"
    with caplog.at_level("DEBUG"):
        post_comment(make_post("Talks"), "Hello")
    assert "test-akismet-key" not in caplog.text


def test_akismet_is_called_outside_a_transaction(
    app, make_post, post_comment, monkeypatch
):
    app.config.update(AKISMET_API_KEY="k", AKISMET_API_URL="http://127.0.0.1:9")
    seen = []

    def fake_check(conf, params):  # type: ignore[no-untyped-def]
        seen.append(db.session().in_transaction())
        return spam.Verdict.HAM

    monkeypatch.setattr(spam, "check", fake_check)
    post_comment(make_post("Talks"), "Hello")
    assert seen == [False]


def test_verify_key_is_called_outside_a_transaction(
    app, client, make_user, auth, monkeypatch
):
    app.config.update(AKISMET_API_KEY="k", AKISMET_API_URL="http://127.0.0.1:9")
    seen = []

    def fake_verify(conf, key):  # type: ignore[no-untyped-def]
        seen.append(db.session().in_transaction())
        return True

    monkeypatch.setattr(spam, "verify_key", fake_verify)
    auth.login(make_user(Role.ADMIN, "boss"))
    response = client.post(
        "/dashboard/settings/discussion/verify-key", follow_redirects=True
    )
    assert "Akismet accepted the key." in response.get_data(as_text=True)
    assert seen == [False]


def test_not_configured_skips_akismet(app, make_post, post_comment, open_rules):
    post_comment(make_post("Talks"), "Hello")
    comment = only_comment(app)
    assert comment.status == "approved" and comment.spam_check == "unchecked"


def test_recheck_retries_and_stops_at_first_failure(
    app, runner, make_post, post_comment, akismet_server, open_rules
):
    post = make_post("Talks")
    akismet_server.mode = "500"
    for n in range(3):
        post_comment(post, f"Comment {n}", email=f"c{n}@example.net")
    calls = len(akismet_server.calls("comment-check"))
    result = runner.invoke(args=["comments", "recheck"])
    assert result.exit_code == 0, result.output
    assert len(akismet_server.calls("comment-check")) == calls + 1  # stopped
    akismet_server.mode = "ham"
    result = runner.invoke(args=["comments", "recheck"])
    assert "Checked 3 comment(s)" in result.output
    with app.app_context():
        statuses = db.session.scalars(select(Comment.status)).all()
    assert statuses == ["approved"] * 3


def test_recheck_gives_up_after_the_retry_window(
    app, runner, make_post, make_comment, akismet_server
):
    post = make_post("Talks")
    old = make_comment(
        post, status="pending", spam_check="unchecked", minutes_ago=16 * 24 * 60
    )
    runner.invoke(args=["comments", "recheck"])
    with app.app_context():
        comment = db.session.get(Comment, old.id)
        assert comment.status == "pending" and comment.spam_check == "error"
    assert akismet_server.calls("comment-check") == []
    assert history(app, old.id)[-1] == "akismet_gave_up"


def test_spam_and_not_spam_teach_akismet_with_the_original(
    app, client, make_post, make_user, auth, post_comment, akismet_server
):
    post = make_post("Talks")
    post_comment(post, "Original words", name="Orig", email="orig@example.net")
    comment = only_comment(app)
    editor = make_user(Role.EDITOR, "ed")
    auth.login(editor)
    client.post(
        f"/dashboard/comments/{comment.id}/edit",
        data={"name": "Edited", "email": "orig@example.net", "comment": "New words"},
    )
    client.post(f"/dashboard/comments/{comment.id}/spam")
    [sent] = akismet_server.calls("submit-spam")
    assert sent["comment_content"] == "Original words"
    assert sent["comment_author"] == "Orig"
    client.post(f"/dashboard/comments/{comment.id}/not-spam")
    [sent] = akismet_server.calls("submit-ham")
    assert sent["comment_content"] == "Original words"


def test_moderation_works_when_akismet_is_down(
    app, client, make_post, make_user, auth, make_comment, akismet_server
):
    akismet_server.mode = "hang"
    post = make_post("Talks")
    comment = make_comment(post, status="pending")
    auth.login(make_user(Role.EDITOR, "ed"))
    response = client.post(f"/dashboard/comments/{comment.id}/spam")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Comment, comment.id).status == "spam"


def test_verify_key(app, client, make_user, auth, akismet_server):
    auth.login(make_user(Role.ADMIN, "boss"))
    response = client.post(
        "/dashboard/settings/discussion/verify-key", follow_redirects=True
    )
    assert "Akismet accepted the key." in response.get_data(as_text=True)
    akismet_server.mode = "invalid"
    response = client.post(
        "/dashboard/settings/discussion/verify-key", follow_redirects=True
    )
    assert "Akismet refused the key." in response.get_data(as_text=True)
    akismet_server.mode = "500"
    response = client.post(
        "/dashboard/settings/discussion/verify-key", follow_redirects=True
    )
    assert "could not be reached" in response.get_data(as_text=True)
    assert akismet_server.calls("verify-key")[0]["key"] == "test-akismet-key"


def test_dashboard_key_overrides_config(app, make_post, post_comment, akismet_server):
    app.config["AKISMET_API_KEY"] = ""
    with app.app_context():
        save_settings({"akismet_api_key": "test-akismet-key"})
        db.session.commit()
    post_comment(make_post("Talks"), "Hello")
    assert len(akismet_server.calls("comment-check")) == 1


def test_recheck_button(
    app, client, make_post, make_user, auth, make_comment, akismet_server
):
    post = make_post("Talks")
    make_comment(post, status="pending", spam_check="unchecked")
    auth.login(make_user(Role.EDITOR, "ed"))
    page = client.get("/dashboard/comments/").get_data(as_text=True)
    assert ">Check for spam</button>" in page
    response = client.post("/dashboard/comments/recheck", follow_redirects=True)
    assert "Checked 1 comment(s) for spam;" in response.get_data(as_text=True)


def test_the_recheck_button_checks_a_few_and_leaves_the_rest_to_cron(
    app, client, make_post, make_user, auth, make_comment, akismet_server
):
    """A press of the button waits for a few Akismet answers at most."""
    from blog.comments.moderation import RECHECK_FROM_DASHBOARD

    post = make_post("Talks")
    for n in range(RECHECK_FROM_DASHBOARD + 3):
        make_comment(post, f"Comment {n}", status="pending", spam_check="unchecked")
    auth.login(make_user(Role.EDITOR, "ed"))
    client.post("/dashboard/comments/recheck")
    assert len(akismet_server.calls("comment-check")) == RECHECK_FROM_DASHBOARD


def test_any_failure_after_the_save_keeps_the_comment(
    app, client, make_post, post_comment, monkeypatch
):
    app.config.update(AKISMET_API_KEY="k", AKISMET_API_URL="http://127.0.0.1:9")

    def broken(conf, params):  # type: ignore[no-untyped-def]
        raise RuntimeError("something unexpected")

    monkeypatch.setattr(spam, "check", broken)
    response = post_comment(make_post("Talks"), "Kept no matter what")
    assert response.status_code == 303
    comment = only_comment(app)
    assert comment.status == "pending" and comment.spam_check == "unchecked"
    page = client.get(response.headers["Location"].split("#")[0])
    assert "Your comment is awaiting moderation." in page.get_data(as_text=True)


def test_bulk_spam_with_akismet_down_waits_once(
    app, client, make_post, make_user, auth, make_comment, akismet_server
):
    akismet_server.mode = "hang"
    post = make_post("Talks")
    ids = [str(make_comment(post, f"c{n}", status="pending").id) for n in range(5)]
    auth.login(make_user(Role.EDITOR, "ed"))
    started = time.monotonic()
    response = client.post(
        "/dashboard/comments/bulk",
        data={"action": "spam", "ids": ids},
        follow_redirects=True,
    )
    assert time.monotonic() - started < 2.5  # one timeout (0.5 s), not five
    html = response.get_data(as_text=True)
    assert "5 comments marked as spam." in html
    assert "Akismet could not be told" in html
    assert len(akismet_server.calls("submit-spam")) == 1
