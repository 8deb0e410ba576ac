"""The outbox: mail queued in the database, sent after the response or by
cron, retried with back-off, never sent twice, never inside a request."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.mail import MailConfig, outbox
from blog.mail.background import sender_of
from blog.models import Comment, OutboxMessage, Role, utcnow
from tests.akismet_server import wait_until
from tests.fixtures_comments import finish_response, refused_port


def queue(app, count: int = 1, **fields) -> list[int]:  # type: ignore[no-untyped-def]
    """Queue ``count`` messages directly; their ids."""
    with app.app_context():
        messages = [
            outbox.enqueue(
                to=fields.get("to", ["ed@example.org"]),
                subject=fields.get("subject", f"Message {n}"),
                body=fields.get("body", f"Body {n}"),
                now=fields.get("now"),
            )
            for n in range(count)
        ]
        db.session.commit()
        return [message.id for message in messages if message is not None]


def row(app, message_id: int) -> OutboxMessage:  # type: ignore[no-untyped-def]
    with app.app_context():
        message = db.session.get(OutboxMessage, message_id)
        assert message is not None
        db.session.expunge(message)
        return message


def config_of(app, **changes) -> MailConfig:  # type: ignore[no-untyped-def]
    app.config.update(changes)
    return MailConfig.from_config(app.config)


def deliver(app, config: MailConfig, now=None):  # type: ignore[no-untyped-def]
    with app.app_context():
        return outbox.deliver_outbox(config, now)


def test_delivers_to_the_mail_server(app, smtp_server):
    [first, second] = queue(app, 2)
    result = deliver(app, config_of(app, MAIL_SENDER="blog@example.org"))
    assert (result.sent, result.failed, result.stopped) == (2, 0, False)
    assert [m["Subject"] for m in smtp_server.messages] == ["Message 0", "Message 1"]
    message = smtp_server.messages[0]
    assert message["From"] == "blog@example.org" and message["To"] == "ed@example.org"
    assert message["Message-ID"].endswith("@example.org>") and message["Date"]
    assert message.get_payload(decode=True).decode().strip() == "Body 0"
    for message_id in (first, second):
        sent = row(app, message_id)
        assert sent.status == "sent" and sent.sent_at is not None
        assert sent.attempts == 1 and sent.last_error == ""
    assert deliver(app, config_of(app)).sent == 0  # nothing is sent twice


def test_failures_are_retried_with_growing_back_off(app, smtp_server):
    start = utcnow()
    [message_id] = queue(app, now=start)
    down = config_of(app, MAIL_PORT=refused_port())
    result = deliver(app, down, start)
    assert (result.sent, result.failed, result.stopped) == (0, 1, True)
    first = row(app, message_id)
    assert first.status == "queued" and first.attempts == 1
    assert first.last_error == "ConnectionRefusedError"
    assert first.next_attempt_at == start + timedelta(minutes=1)
    assert deliver(app, down, start + timedelta(seconds=59)).failed == 0  # not due
    assert row(app, message_id).attempts == 1
    retry = start + timedelta(minutes=1)
    assert deliver(app, down, retry).failed == 1
    second = row(app, message_id)
    assert second.attempts == 2
    assert second.next_attempt_at == retry + timedelta(minutes=2)  # twice as long
    up = config_of(app, MAIL_PORT=smtp_server.port)
    assert deliver(app, up, retry + timedelta(minutes=2)).sent == 1
    assert row(app, message_id).status == "sent"
    assert len(smtp_server.messages) == 1


def test_gives_up_after_the_last_attempt_and_keeps_the_message(app, runner):
    [message_id] = queue(app, subject="Please moderate")
    down = config_of(
        app, MAIL_SERVER="127.0.0.1", MAIL_PORT=refused_port(), MAIL_MAX_ATTEMPTS=2
    )
    now = utcnow()
    assert deliver(app, down, now).failed == 1
    result = deliver(app, down, now + timedelta(hours=1))
    assert (result.failed, result.gave_up) == (0, 1)
    failed = row(app, message_id)
    assert failed.status == "failed" and failed.attempts == 2
    assert deliver(app, down, now + timedelta(days=1)).gave_up == 0  # left alone
    status = runner.invoke(args=["mail", "status"])
    assert "failed: 1" in status.output
    assert "2 attempt(s), ConnectionRefusedError: Please moderate" in status.output
    assert "Queued 1 failed" in runner.invoke(args=["mail", "retry"]).output
    again = row(app, message_id)
    assert again.status == "queued" and again.attempts == 0


def test_gives_up_after_the_retry_days(app):
    start = utcnow()
    [message_id] = queue(app, now=start)
    down = config_of(app, MAIL_SERVER="127.0.0.1", MAIL_PORT=refused_port())
    deliver(app, down, start)
    result = deliver(app, down, start + timedelta(days=3, minutes=1))
    assert result.gave_up == 1
    assert row(app, message_id).status == "failed"


def test_a_refused_recipient_does_not_hold_the_others(app, smtp_server):
    smtp_server.refuse.add("gone@example.org")
    [bad, good] = queue(app, to=["gone@example.org"]) + queue(app)
    result = deliver(app, config_of(app))
    assert (result.sent, result.failed, result.stopped) == (1, 1, False)
    assert row(app, bad).last_error == "SMTPRecipientsRefused"
    assert row(app, good).status == "sent"


def test_the_servers_words_never_reach_the_row(app, smtp_server):
    smtp_server.data_reply = "554 rejected: token s3cr3t-canary"
    [message_id] = queue(app)
    assert deliver(app, config_of(app)).stopped
    assert row(app, message_id).last_error == "SMTPDataError 554"


def test_a_message_is_claimed_by_one_sender_only(app):
    [message_id] = queue(app)
    config = config_of(app, MAIL_SERVER="127.0.0.1")
    now = utcnow()
    with app.app_context():
        assert outbox.claim(message_id, config, now) is not None
        assert outbox.claim(message_id, config, now) is None
    # The first sender died: once its lease ends, another sends the message.
    assert row(app, message_id).attempts == 1
    with app.app_context():
        assert outbox.claim(message_id, config, now + outbox.LEASE) is not None
    assert row(app, message_id).attempts == 2


def test_two_senders_at_once_send_each_message_once(app, smtp_server):
    ids = queue(app, 12)
    config = config_of(app)
    start = threading.Barrier(2)
    results = []

    def sender() -> None:
        start.wait()
        with app.app_context():
            results.append(outbox.deliver_outbox(config))

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(result.sent for result in results) == 12
    subjects = sorted(message["Subject"] for message in smtp_server.messages)
    assert subjects == sorted(f"Message {n}" for n in range(12))
    assert {row(app, message_id).status for message_id in ids} == {"sent"}


def test_mail_send_command(app, runner, smtp_server):
    queue(app, 2)
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "Sent 2 message(s)" in result.output
    assert len(smtp_server.messages) == 2


def test_mail_send_without_a_server(app, runner):
    queue(app)
    result = runner.invoke(args=["mail", "send"])
    assert "Mail is off" in result.output


def test_old_sent_mail_is_deleted(app, smtp_server):
    old = utcnow() - timedelta(days=20)
    [sent_old] = queue(app, now=old)
    deliver(app, config_of(app), old)
    [waiting] = queue(app)
    with app.app_context():
        assert outbox.purge(15) == 1
        assert db.session.get(OutboxMessage, sent_old) is None
        assert db.session.get(OutboxMessage, waiting) is not None


def test_no_recipient_no_message(app):
    with app.app_context():
        assert outbox.enqueue(to=[" ", ""], subject="x", body="y") is None
        [message_id] = queue(
            app, to=["b@example.org", "a@example.org", "b@example.org"]
        )
        message = db.session.get(OutboxMessage, message_id)
        assert message is not None
        assert message.recipients == ["a@example.org", "b@example.org"]


def test_subject_is_one_line(app, smtp_server):
    queue(app, subject="Please\r\nBcc: victim@example.org\n moderate")
    deliver(app, config_of(app))
    [message] = smtp_server.messages
    assert message["Subject"] == "Please Bcc: victim@example.org moderate"
    assert message["Bcc"] is None


# Through the comment form ------------------------------------------------------


@pytest.fixture
def held(app, make_post, make_user, post_comment):  # type: ignore[no-untyped-def]
    """Post a comment that the rules hold, with an editor to tell."""
    make_user(Role.EDITOR, "ed", email="ed@example.org")
    post = make_post("Talks")

    def submit(body: str = "Hold me"):  # type: ignore[no-untyped-def]
        return post_comment(post, body, email="hal@example.net")

    return submit


def queued_rows(app) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage)))
        db.session.expunge_all()
        return rows


def test_a_hanging_mail_server_never_holds_the_request(app, held, hanging_smtp):
    response = held()
    assert response.status_code == 303
    # The response is complete and the mail server has not been contacted.
    assert hanging_smtp.connections == 0
    [message] = queued_rows(app)
    assert message.status == "queued" and message.attempts == 0
    finish_response(app, response)  # after the response: one try, a timeout
    assert wait_until(lambda: hanging_smtp.connections == 1)
    [message] = queued_rows(app)
    assert message.status == "queued" and message.attempts == 1
    assert message.last_error == "SMTPServerDisconnected"
    with app.app_context():
        assert db.session.scalars(select(Comment.status)).one() == "pending"


def test_without_sending_after_the_response_cron_sends(app, runner, held, smtp_server):
    app.config["MAIL_SEND_AFTER_RESPONSE"] = False
    finish_response(app, held())
    assert smtp_server.messages == []
    [message] = queued_rows(app)
    assert message.status == "queued" and message.attempts == 0
    assert "Sent 1 message(s)" in runner.invoke(args=["mail", "send"]).output
    assert len(smtp_server.messages) == 1


def test_mail_of_several_requests_is_sent_after_them(app, held, smtp_server):
    responses = [held(f"Hold me {n}") for n in range(3)]
    for response in responses:
        response.close()
    finish_response(app, responses[0])
    assert len(smtp_server.messages) == 3
    assert {message.status for message in queued_rows(app)} == {"sent"}


def test_a_failed_comment_save_queues_no_mail(app, held, smtp_server):
    held("Same words")
    again = held("Same words")  # a duplicate: refused, nothing saved
    assert again.status_code == 409
    finish_response(app, again)
    assert len(queued_rows(app)) == 1


def test_a_real_server_sends_after_the_response(
    app, live_server, make_post, make_user, smtp_server
):
    import httpx

    from blog.comments.checks import form_token

    app.config.update(COMMENT_FLOOD_SECONDS=0, COMMENT_MIN_SECONDS=0)
    make_user(Role.EDITOR, "ed", email="ed@example.org")
    post = make_post("Talks")
    response = httpx.post(
        f"{live_server.url}/comments/post/{post.id}",
        data={
            "name": "Hal",
            "email": "hal@example.net",
            "comment": "Hold me",
            "ts": form_token(app.config["SECRET_KEY"], post.id),
        },
    )
    assert response.status_code == 303
    assert wait_until(lambda: len(smtp_server.messages) == 1)
    assert "Talks" in smtp_server.messages[0]["Subject"]
    sender_of(app).join(timeout=30)  # done with the database before teardown
