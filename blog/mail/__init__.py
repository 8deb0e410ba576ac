"""Mail over SMTP, never sent inside a request.

Settings: ``MAIL_SERVER``, ``MAIL_PORT``, ``MAIL_SENDER``, a login with
``MAIL_USERNAME`` and ``MAIL_PASSWORD``, and encryption with ``MAIL_USE_TLS``
(STARTTLS, usually port 587) or ``MAIL_USE_SSL`` (TLS from the first byte,
usually port 465); the server's certificate is checked against the system's
trusted authorities (``SSL_CERT_FILE`` names others).

Off when ``MAIL_SERVER`` is empty. Features render their messages and
:func:`~blog.mail.outbox.enqueue` them in the transaction that decided to
send them (comment notifications in :mod:`blog.comments.notify`); the
outbox is delivered after the response (:mod:`blog.mail.background`) and by
``flask --app blog mail send`` from cron, with a short timeout, retries with
growing back-off, and no message sent twice by two workers.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from flask import current_app

#: Texts a setting read from a file or the environment may say "yes" with.
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})


def _flag(value: object) -> bool:
    """A boolean setting, given as a bool or as text (``"true"``, ``"0"``)."""
    if isinstance(value, str):
        return value.strip().lower() in TRUE_WORDS
    return bool(value)


@dataclass(frozen=True)
class MailConfig:
    server: str = ""
    port: int = 25
    sender: str = "blog@localhost"
    #: Log in with these when ``username`` is set (SMTP AUTH).
    username: str = ""
    #: Never shown: not in ``repr()``, logs or the outbox's errors.
    password: str = field(default="", repr=False)
    #: STARTTLS after connecting...
    use_tls: bool = False
    #: ... or TLS from the first byte (``SMTP_SSL``).
    use_ssl: bool = False
    #: Seconds for each exchange with the server.
    timeout: float = 5.0
    #: A message is given up (kept as failed) after this many tries...
    max_attempts: int = 20
    #: ... or this many days after it was queued.
    retry_days: float = 3.0
    #: Sent and failed messages are deleted after this many days.
    retention_days: float = 15.0

    @property
    def enabled(self) -> bool:
        return bool(self.server)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MailConfig:
        """From the ``MAIL_*`` configuration keys."""
        return cls(
            server=str(config.get("MAIL_SERVER") or ""),
            port=int(config.get("MAIL_PORT") or 25),
            sender=str(config.get("MAIL_SENDER") or "blog@localhost"),
            username=str(config.get("MAIL_USERNAME") or ""),
            password=str(config.get("MAIL_PASSWORD") or ""),
            use_tls=_flag(config.get("MAIL_USE_TLS", False)),
            use_ssl=_flag(config.get("MAIL_USE_SSL", False)),
            timeout=float(config.get("MAIL_TIMEOUT") or 5.0),
            max_attempts=int(config.get("MAIL_MAX_ATTEMPTS") or 20),
            retry_days=float(config.get("MAIL_RETRY_DAYS") or 3.0),
            retention_days=float(config.get("MAIL_RETENTION_DAYS", 15.0)),
        )


#: What a failed delivery raises; callers keep the message queued.
#: (``ssl.SSLError``, a bad certificate among them, is an ``OSError``.)
MailError = (OSError, smtplib.SMTPException)


def render_text(template: str, **context: Any) -> str:
    """The body of a plain-text message from ``templates/email/<template>``.

    Rendered without the request's context processors, so commands (cron
    jobs) write the same mail as requests do.
    """
    return current_app.jinja_env.get_template(f"email/{template}").render(**context)


def connect(config: MailConfig) -> smtplib.SMTP:
    """An open, encrypted (if configured) and logged-in (if configured)
    connection; every step waits at most ``config.timeout`` seconds.

    :raises OSError: or ``smtplib.SMTPException`` (a failed login among
        them), when the server fails; the connection is closed then.
    """
    context = ssl.create_default_context()  # checks the certificate and name
    smtp: smtplib.SMTP
    if config.use_ssl:
        smtp = smtplib.SMTP_SSL(
            config.server, config.port, timeout=config.timeout, context=context
        )
    else:
        smtp = smtplib.SMTP(config.server, config.port, timeout=config.timeout)
    try:
        if config.use_tls and not config.use_ssl:
            smtp.starttls(context=context)
        if config.username:
            smtp.login(config.username, config.password)
    except BaseException:
        smtp.close()
        raise
    return smtp


def send(config: MailConfig, message: EmailMessage) -> None:
    """Send one message now; requests queue theirs instead (:mod:`.outbox`).

    :raises OSError: or ``smtplib.SMTPException``, when the server fails.
    """
    with connect(config) as smtp:
        smtp.send_message(message)
