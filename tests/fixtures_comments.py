"""Fixtures for comments and spam checking (``make_comment``, ``akismet_server``,
``smtp_server``, ``post_comment``)."""

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
    """A local Akismet, with the app configured to use it (timeout 0.5 s)."""
    server = AkismetServer().start()
    server.hang_seconds = 2.0
    app.config.update(
        AKISMET_API_KEY=VALID_KEY,
        AKISMET_API_URL=server.url,
        AKISMET_TIMEOUT=0.5,
        AKISMET_BLOG_URL="http://localhost",
    )
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def make_comment(app: Flask) -> Callable[..., Comment]:
    """Store a comment directly (rendered through rendering.py), detached."""
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
    (tests of those rules set ``COMMENT_FLOOD_SECONDS``/``COMMENT_MIN_SECONDS``)."""
    app.config.update(COMMENT_FLOOD_SECONDS=0, COMMENT_MIN_SECONDS=0)
    return PostComment(app, client)


class SMTPServer:
    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[Message] = []
        self.lock = threading.Lock()
        server = self

        class Handler:
            async def handle_DATA(self, _server, _session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
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
