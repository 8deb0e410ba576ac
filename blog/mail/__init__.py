"""Sending mail over SMTP (``MAIL_SERVER``, ``MAIL_PORT``, ``MAIL_SENDER``).

Off when ``MAIL_SERVER`` is empty. Features build their messages (comment
notifications in :mod:`blog.comments.notify`) and send them here, always
outside a database transaction and with a short timeout.
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
    timeout: float = 5.0

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
        )


#: What a failed delivery raises; callers keep the message queued.
MailError = (OSError, smtplib.SMTPException)


def text_message(
    config: MailConfig, *, to: list[str], subject: str, template: str, **context: Any
) -> EmailMessage:
    """A plain-text message from ``templates/email/<template>``.

    Rendered without the request's context processors, so commands (cron
    jobs) send the same mail as requests do.
    """
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config.sender
    message["To"] = ", ".join(to)
    body = current_app.jinja_env.get_template(f"email/{template}").render(**context)
    message.set_content(body)
    return message


def send(config: MailConfig, message: EmailMessage) -> None:
    """Send one message.

    :raises OSError: or ``smtplib.SMTPException``, when the server fails.
    """
    with smtplib.SMTP(config.server, config.port, timeout=config.timeout) as smtp:
        smtp.send_message(message)
