"""Fixtures for comments, spam checking and mail (``make_comment``,
``akismet_server``, ``smtp_server``, ``hanging_smtp``, ``post_comment``)."""

from __future__ import annotations

import secrets
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from blog import rendering
from blog.comments.checks import content_hash, form_token
from blog.extensions import db
from blog.models import Comment, CommentStatus, Post, SpamCheck, utcnow
from tests.akismet_server import VALID_KEY, AkismetServer


@pytest.fixture
def akismet_server(app: Flask) -> Iterator[AkismetServer]:
    """A local Akismet, with the app configured to use it (timeout 1 s: short,
    yet enough for it to answer on a busy two-core machine)."""
    server = AkismetServer().start()
    server.hang_seconds = 3.0
    app.config.update(
        AKISMET_API_KEY=VALID_KEY,
        AKISMET_API_URL=server.url,
        AKISMET_TIMEOUT=1.0,
        AKISMET_BLOG_URL="http://localhost",
    )
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def make_comment(app: Flask) -> Callable[..., Comment]:
    """Store a comment directly (rendered through blog.rendering), detached."""
    counter = iter(range(1, 100_000))

    def make(
        post: Post,
        body: str = "A thoughtful comment.",
        status: str = CommentStatus.APPROVED,
        *,
        name: str | None = None,
        email: str | None = None,
        minutes_ago: float = 0,
        **fields: Any,
    ) -> Comment:
        n = next(counter)
        email = email or f"reader{n}@example.net"
        with app.app_context():
            comment = Comment(
                post_id=post.id,
                author_name=name or f"Reader {n}",
                author_email=email,
                author_url=fields.pop("author_url", ""),
                author_ip=fields.pop("author_ip", f"192.0.2.{n % 250}"),
                author_user_agent=fields.pop("author_user_agent", "TestAgent/1.0"),
                body_source=body,
                body_html=rendering.render_comment(body),
                rendered_version=rendering.RENDERER_VERSION,
                status=status,
                spam_check=fields.pop("spam_check", SpamCheck.HAM),
                submitted_at=utcnow() - timedelta(minutes=minutes_ago),
                token=secrets.token_urlsafe(32),
                content_hash=content_hash(post.id, email, body),
                submitted=fields.pop(
                    "submitted",
                    {"user_ip": "192.0.2.1", "comment_content": body},
                ),
                **fields,
            )
            db.session.add(comment)
            db.session.commit()
            db.session.refresh(comment)
            db.session.expunge(comment)
        return comment

    return make


class PostComment:
    """POST the public comment form as a browser would (with a valid timestamp)."""

    def __init__(self, app: Flask, client: FlaskClient) -> None:
        self.app = app
        self.client = client

    def __call__(
        self,
        post: Post,
        body: str = "Nice article.",
        *,
        name: str = "Reader",
        email: str = "reader@example.net",
        url: str = "",
        client: FlaskClient | None = None,
        **extra: Any,
    ):  # type: ignore[no-untyped-def]
        ip = extra.pop("ip", "203.0.113.7")
        user_agent = extra.pop("user_agent", "Mozilla/5.0 (CommentTest)")
        data = {
            "name": name,
            "email": email,
            "url": url,
            "comment": body,
            "ts": form_token(self.app.config["SECRET_KEY"], post.id),
            **extra,
        }
        data = {k: v for k, v in data.items() if v is not None}
        return (client or self.client).post(
            f"/comments/post/{post.id}",
            data=data,
            environ_base={
                "REMOTE_ADDR": ip,
                "HTTP_USER_AGENT": user_agent,
            },
            headers={"Referer": "http://localhost/somewhere"},
        )


@pytest.fixture
def post_comment(app: Flask, client: FlaskClient) -> PostComment:
    """Submit comments through the real form; no flood or timing rules by default
    (tests of those rules set ``COMMENT_FLOOD_SECONDS``/``COMMENT_MIN_SECONDS``
    and the ``comments_ip_burst`` setting)."""
    from blog.site import MAX_IP_BURST, save_settings

    app.config.update(COMMENT_FLOOD_SECONDS=0, COMMENT_MIN_SECONDS=0)
    with app.app_context():
        save_settings({"comments_ip_burst": MAX_IP_BURST})
        db.session.commit()
    return PostComment(app, client)


class SMTPServer:
    """aiosmtpd collecting messages; ``refuse`` holds recipients it answers
    550 to, ``data_reply`` replaces its answer to DATA (e.g. a 554)."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[Message] = []
        self.refuse: set[str] = set()
        self.data_reply = ""
        self.lock = threading.Lock()
        server = self

        class Handler:
            async def handle_RCPT(self, _server, _session, envelope, address, _options):  # type: ignore[no-untyped-def]  # noqa: N802, E501
                if address in server.refuse:
                    return "550 No such user here"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, _server, _session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
                if server.data_reply:
                    return server.data_reply
                with server.lock:
                    server.messages.append(message_from_bytes(envelope.content))
                return "250 Message accepted for delivery"

        with socket.socket() as probe:  # a free port (aiosmtpd needs a real one)
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def start(self) -> SMTPServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


@pytest.fixture
def smtp_server(app: Flask) -> Iterator[SMTPServer]:
    """A real SMTP server on 127.0.0.1 collecting messages; the app sends to it."""
    server = SMTPServer().start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    try:
        yield server
    finally:
        server.stop()


class HangingSMTP:
    """A mail server that accepts connections and never says a word: every
    exchange with it ends in the client's timeout. Counts connections."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def connections(self) -> int:
        with self.lock:
            return len(self.accepted)

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self.lock:
                self.accepted.append(connection)

    def start(self) -> HangingSMTP:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(5)
        self.listener.close()
        with self.lock:
            for connection in self.accepted:
                connection.close()


@pytest.fixture
def hanging_smtp(app: Flask) -> Iterator[HangingSMTP]:
    """A mail server that never answers; the app sends to it (timeout 0.3 s)."""
    server = HangingSMTP().start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_TIMEOUT=0.3)
    try:
        yield server
    finally:
        server.stop()


def refused_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def finish_response(app: Flask, response: Any) -> None:
    """What a WSGI server does once the response is sent (``close()``), then
    wait for the mail the request queued to be sent in the background."""
    from blog.mail.background import sender_of

    response.close()
    sender_of(app).join(timeout=30)


def url_of(post: Post) -> str:
    """An article's public address, as the tests' posts are dated."""
    assert post.published_at is not None
    return f"/{post.published_at:%Y}/{post.published_at:%m}/{post.slug}/"


@pytest.fixture
def approving(app: Flask) -> None:
    """Comments are approved at once: no earlier approval, no link limit."""
    from blog.site.settings import save_settings

    with app.app_context():
        save_settings({"comments_previously_approved": False, "comments_max_links": 0})
        db.session.commit()
