"""blog.mail: its settings, the outbox's back-off and what a failure records,
and logging in to a real SMTP server over STARTTLS or TLS."""

from __future__ import annotations

import logging
import shutil
import smtplib
import socket
import ssl
import subprocess
from datetime import timedelta
from email import message_from_bytes
from email.message import EmailMessage, Message
from pathlib import Path

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.mail import MailConfig, outbox, send
from blog.mail.outbox import LEASE, describe, retry_delay
from blog.models import OutboxMessage, utcnow


def test_mail_config():
    config = MailConfig.from_config(
        {"MAIL_SERVER": "smtp.example.org", "MAIL_PORT": "2525", "MAIL_TIMEOUT": 2}
    )
    assert config.enabled and config.port == 2525 and config.timeout == 2.0
    assert config.sender == "blog@localhost"
    assert not MailConfig.from_config({"MAIL_SERVER": ""}).enabled


def test_back_off_doubles_up_to_four_hours():
    delays = [retry_delay(attempts) for attempts in range(1, 12)]
    assert delays[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert delays[-1] == timedelta(hours=4) == max(delays)
    assert delays == sorted(delays)
    assert retry_delay(1000) == timedelta(hours=4)  # no overflow


def test_a_lease_outlasts_a_slow_exchange():
    # Each SMTP step waits at most MAIL_TIMEOUT (5 s); a message takes a few.
    assert LEASE >= timedelta(seconds=5 * 10)


def test_a_failure_is_described_by_its_kind_and_code_only():
    refused = smtplib.SMTPSenderRefused(550, b"user s3cret@example.org", "me@x")
    assert describe(refused) == "SMTPSenderRefused 550"
    auth = smtplib.SMTPAuthenticationError(535, b"password hunter2 rejected")
    assert describe(auth) == "SMTPAuthenticationError 535"
    assert describe(ConnectionRefusedError(111, "refused")) == "ConnectionRefusedError"


# --- SMTP login and encryption, against a real aiosmtpd -----------------------

USER, SECRET = "blog-mailer", "s3cret-Mail-pw-9"


class SecureSMTP:
    """aiosmtpd that speaks TLS (STARTTLS, or from the first byte with
    ``implicit``), requires a login over it, and keeps what it received."""

    def __init__(self, certificate: tuple[Path, Path], implicit: bool = False) -> None:
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        self.messages: list[Message] = []
        #: (encrypted, login) of each message's session.
        self.sessions: list[tuple[bool, bytes]] = []
        server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_context.load_cert_chain(*certificate)
        collected = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
                collected.messages.append(message_from_bytes(envelope.content))
                encrypted = server.transport.get_extra_info("ssl_object") is not None
                login = session.auth_data.login if session.authenticated else b""
                collected.sessions.append((encrypted, login))
                return "250 Message accepted for delivery"

        def authenticator(_server, _session, _envelope, _mechanism, auth_data):  # type: ignore[no-untyped-def]
            right = auth_data.login == USER.encode() and (
                auth_data.password == SECRET.encode()
            )
            if not right:
                return AuthResult(success=False, handled=False)  # a 535
            return AuthResult(success=True, auth_data=auth_data)

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        # aiosmtpd counts only STARTTLS as encryption for its AUTH rules: with
        # TLS from the first byte it is told not to require it (nor AUTH).
        tls: dict[str, object] = (
            {"ssl_context": server_context, "auth_require_tls": False}
            if implicit
            else {
                "tls_context": server_context,
                "require_starttls": True,
                "auth_required": True,
                "auth_require_tls": True,
            }
        )
        self.controller = Controller(
            Handler(),
            hostname="127.0.0.1",
            port=self.port,
            authenticator=authenticator,
            **tls,  # type: ignore[arg-type]
        )

    def __enter__(self) -> SecureSMTP:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (made with ``openssl``)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def trusted(certificate, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """The test certificate, trusted by Python's default TLS context."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    return certificate  # type: ignore[no-any-return]


def secure_config(port: int, **changes: object) -> MailConfig:
    settings: dict[str, object] = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_USERNAME": USER,
        "MAIL_PASSWORD": SECRET,
        "MAIL_USE_TLS": True,
        "MAIL_TIMEOUT": 5,
        **changes,
    }
    return MailConfig.from_config(settings)


def a_message(to: str = "ed@example.org") -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "blog@example.org", to, "Hi"
    message.set_content("Hello over TLS.")
    return message


def test_the_password_is_never_shown():
    config = MailConfig.from_config({"MAIL_USERNAME": USER, "MAIL_PASSWORD": SECRET})
    assert config.password == SECRET and config.username == USER
    assert SECRET not in repr(config) and SECRET not in str(config)
    assert USER in repr(config)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), ("true", True), ("1", True), ("yes", True), ("", False)]
    + [("false", False), ("0", False), (0, False), (False, False)],
)
def test_tls_settings_read_as_flags(value, expected):  # type: ignore[no-untyped-def]
    config = MailConfig.from_config({"MAIL_USE_TLS": value, "MAIL_USE_SSL": value})
    assert config.use_tls is expected and config.use_ssl is expected
    assert MailConfig.from_config({}).use_tls is False


def test_starttls_then_login(trusted):  # type: ignore[no-untyped-def]
    with SecureSMTP(trusted) as server:
        send(secure_config(server.port), a_message())
    [message] = server.messages
    assert message["Subject"] == "Hi"
    assert server.sessions == [(True, USER.encode())]  # encrypted, logged in


def test_tls_from_the_first_byte_then_login(trusted):  # type: ignore[no-untyped-def]
    with SecureSMTP(trusted, implicit=True) as server:
        config = secure_config(server.port, MAIL_USE_TLS=False, MAIL_USE_SSL=True)
        send(config, a_message())
    assert server.sessions == [(True, USER.encode())]


def test_an_untrusted_certificate_is_refused(certificate):  # type: ignore[no-untyped-def]
    with SecureSMTP(certificate) as server:
        with pytest.raises(ssl.SSLCertVerificationError):
            send(secure_config(server.port), a_message())
    assert server.messages == []


def test_no_login_without_encryption(trusted):  # type: ignore[no-untyped-def]
    """The server offers no login before STARTTLS: nothing is sent."""
    with SecureSMTP(trusted) as server:
        with pytest.raises(smtplib.SMTPException):
            send(secure_config(server.port, MAIL_USE_TLS=False), a_message())
    assert server.messages == []


def test_a_refused_login_keeps_the_mail_and_the_password_secret(  # type: ignore[no-untyped-def]
    app, trusted, caplog
):
    caplog.set_level(logging.DEBUG)
    with SecureSMTP(trusted) as server:
        app.config.update(
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=server.port,
            MAIL_USERNAME=USER,
            MAIL_PASSWORD="wrong-" + SECRET,
            MAIL_USE_TLS=True,
        )
        with app.app_context():
            outbox.enqueue(to=["ed@example.org"], subject="Hi", body="Body")
            db.session.commit()
            config = MailConfig.from_config(app.config)
            result = outbox.deliver_outbox(config)
            message = db.session.scalars(select(OutboxMessage)).one()
            assert (result.sent, result.failed, result.stopped) == (0, 1, True)
            assert message.status == "queued" and message.body == "Body"
            assert message.last_error == "SMTPAuthenticationError 535"
            # Right password: sent, and the body (maybe a one-use link) is gone.
            app.config["MAIL_PASSWORD"] = SECRET
            later = utcnow() + timedelta(hours=1)
            sent = outbox.deliver_outbox(MailConfig.from_config(app.config), later)
            assert sent.sent == 1
            db.session.refresh(message)
            assert message.status == "sent" and message.body == ""
    assert len(server.messages) == 1
    assert SECRET not in caplog.text and "wrong-" not in caplog.text
