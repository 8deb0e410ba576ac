"""Mail over SMTP (``MAIL_SERVER``, ``MAIL_PORT``, ``MAIL_SENDER``), never
sent inside a request.

Off when ``MAIL_SERVER`` is empty. Features render their messages and
:func:`~blog.mail.outbox.enqueue` them in the transaction that decided to
send them (comment notifications in :mod:`blog.comments.notify`); the
outbox is delivered after the response (:mod:`blog.mail.background`) and by
``flask --app blog mail send`` from cron, with a short timeout, retries with
growing back-off, and no message sent twice by two workers.
"""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from flask import current_app


@dataclass(frozen=True)
class MailConfig:
    server: str = ""
    port: int = 25
    sender: str = "blog@localhost"
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
            timeout=float(config.get("MAIL_TIMEOUT") or 5.0),
            max_attempts=int(config.get("MAIL_MAX_ATTEMPTS") or 20),
            retry_days=float(config.get("MAIL_RETRY_DAYS") or 3.0),
            retention_days=float(config.get("MAIL_RETENTION_DAYS", 15.0)),
        )


#: What a failed delivery raises; callers keep the message queued.
MailError = (OSError, smtplib.SMTPException)


def render_text(template: str, **context: Any) -> str:
    """The body of a plain-text message from ``templates/email/<template>``.

    Rendered without the request's context processors, so commands (cron
    jobs) write the same mail as requests do.
    """
    return current_app.jinja_env.get_template(f"email/{template}").render(**context)


def send(config: MailConfig, message: EmailMessage) -> None:
    """Send one message now; requests queue theirs instead (:mod:`.outbox`).

    :raises OSError: or ``smtplib.SMTPException``, when the server fails.
    """
    with smtplib.SMTP(config.server, config.port, timeout=config.timeout) as smtp:
        smtp.send_message(message)
