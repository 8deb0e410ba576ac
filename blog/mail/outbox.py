"""The outbox: mail queued in the database, sent outside any request.

A feature calls :func:`enqueue` inside the transaction that decided to send
the message, so the mail exists exactly when the change it reports does.
:func:`deliver_outbox` sends what is due, from the thread that runs after a
response (:mod:`blog.mail.background`) and from ``flask --app blog mail
send`` (cron). Several senders may run at once, in one process or many: each
message is claimed with one conditional ``UPDATE`` that moves it a lease
ahead, so only one of them sends it. A sender that dies leaves the message
to be claimed again when the lease ends. Failures are retried with a
growing back-off; after ``MAIL_MAX_ATTEMPTS`` tries or ``MAIL_RETRY_DAYS``
days the message is kept as failed (``flask --app blog mail status``).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

from flask import g, has_app_context
from sqlalchemy import (
    ColumnElement,
    delete,
    func,
    or_,
    select,
    update,
)

from blog import mail
from blog.database import rowcount
from blog.extensions import db
from blog.mail import MailConfig
from blog.models import OutboxMessage, OutboxStatus, utcnow

log = logging.getLogger(__name__)

#: How long a claimed message is left to its sender before another may try.
#: Far longer than one SMTP exchange, however slow (each step has a timeout).
LEASE = timedelta(minutes=5)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=4)

#: Header lines up to RFC 5322's limit: a header that is one long word (the
#: address in ``List-Unsubscribe``) stays as written, not an encoded word
#: that mail clients could not read.
MESSAGE_POLICY = policy.default.clone(max_line_length=998)

#: Set on ``g`` when a message was queued: the request hook sends it after
#: the response.
QUEUED_FLAG = "mail_queued"


@dataclass
class DeliveryResult:
    sent: int = 0
    #: Tries that failed; the messages wait for a retry.
    failed: int = 0
    #: Messages given up now (too many tries or days).
    gave_up: int = 0
    #: Stopped at a failure of the server itself; the rest waits.
    stopped: bool = False


def enqueue(
    *,
    to: Iterable[str],
    subject: str,
    body: str,
    headers: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> OutboxMessage | None:
    """Queue a plain-text message in the caller's transaction (the caller
    commits); ``None`` when it has no recipient.

    :param headers: extra headers, such as ``List-Unsubscribe`` (one line each).
    """
    recipients = sorted({address.strip() for address in to if address.strip()})
    if not recipients:
        return None
    now = now or utcnow()
    message = OutboxMessage(
        recipients=recipients,
        subject=" ".join(subject.split())[:300],  # one header line
        body=body,
        headers={
            name: " ".join(str(value).split())
            for name, value in (headers or {}).items()
        },
        status=OutboxStatus.QUEUED,
        created_at=now,
        next_attempt_at=now,
        attempts=0,
        last_error="",
    )
    db.session.add(message)
    if has_app_context():
        setattr(g, QUEUED_FLAG, True)
    return message


def retry_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed try: 1, 2, 4 ... minutes, at
    most :data:`LONGEST_RETRY`."""
    doublings = min(max(attempts - 1, 0), 16)  # 2**16 minutes is past the cap
    return min(FIRST_RETRY * (1 << doublings), LONGEST_RETRY)


def _due(now: datetime) -> list[ColumnElement[bool]]:
    return [
        OutboxMessage.status == OutboxStatus.QUEUED,
        OutboxMessage.next_attempt_at <= now,
    ]


def deliver_outbox(
    config: MailConfig, now: datetime | None = None, limit: int = 50
) -> DeliveryResult:
    """Send up to ``limit`` due messages, oldest first (commits).

    No transaction is open while the mail server answers. Stops at the first
    failure of the server itself (down, slow, refusing us); a refused
    recipient fails only its own message.
    """
    result = DeliveryResult()
    if not config.enabled:
        return result
    now = now or utcnow()
    result.gave_up = _give_up_stale(config, now)
    ids = db.session.scalars(
        select(OutboxMessage.id)
        .where(*_due(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    ).all()
    db.session.commit()
    for message_id in ids:
        email = claim(message_id, config, now)
        if email is None:  # another sender has it
            continue
        try:
            mail.send(config, email)
        except mail.MailError as error:
            if _failed(message_id, error, config, now):
                result.gave_up += 1
            else:
                result.failed += 1
            if not isinstance(error, smtplib.SMTPRecipientsRefused):
                result.stopped = True
                break
        else:
            _sent(message_id, now)
            result.sent += 1
    return result


def claim(message_id: int, config: MailConfig, now: datetime) -> EmailMessage | None:
    """Take a due message for this sender, or ``None`` if another took it
    first (commits). Counts the attempt, so a message that kills its sender
    is still given up in the end."""
    claimed = rowcount(
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, *_due(now))
            .values(next_attempt_at=now + LEASE, attempts=OutboxMessage.attempts + 1)
            .execution_options(synchronize_session=False)
        )
    )
    message = db.session.get(OutboxMessage, message_id) if claimed == 1 else None
    email = _email(config, message) if message is not None else None
    db.session.commit()
    return email


def _email(config: MailConfig, message: OutboxMessage) -> EmailMessage:
    email = EmailMessage(policy=MESSAGE_POLICY)
    email["Subject"] = message.subject
    email["From"] = config.sender
    email["To"] = ", ".join(message.recipients)
    email["Date"] = format_datetime(message.created_at)
    # The same on every try, so a mail client can drop a duplicate.
    domain = config.sender.rpartition("@")[2] or "localhost"
    email["Message-ID"] = (
        f"<outbox.{message.id}.{int(message.created_at.timestamp())}@{domain}>"
    )
    for name, value in (message.headers or {}).items():
        email[name] = value
    email.set_content(message.body)
    return email


def describe(error: BaseException) -> str:
    """The kind of failure and its SMTP code: never the server's words,
    which may echo addresses or credentials."""
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__


def _failed(
    message_id: int, error: BaseException, config: MailConfig, now: datetime
) -> bool:
    """Schedule the retry, or give up; True when given up (commits)."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        db.session.commit()
        return False
    message.last_error = describe(error)[:200]
    too_old = now - message.created_at >= timedelta(days=config.retry_days)
    gave_up = message.attempts >= config.max_attempts or too_old
    if gave_up:
        message.status = OutboxStatus.FAILED
        log.warning(
            "Gave up on mail %s after %s attempt(s): %s",
            message_id,
            message.attempts,
            message.last_error,
        )
    else:
        message.next_attempt_at = now + retry_delay(message.attempts)
        log.warning("Mail %s not sent (%s); will retry", message_id, message.last_error)
    db.session.commit()
    return gave_up


def _sent(message_id: int, now: datetime) -> None:
    """Mark the message sent and forget its body: one-use links (password
    reset, invitation, email change) must not outlive their delivery."""
    message = db.session.get(OutboxMessage, message_id)
    if message is not None:
        message.status = OutboxStatus.SENT
        message.sent_at = now
        message.last_error = ""
        message.body = ""
    db.session.commit()


def _give_up_stale(config: MailConfig, now: datetime) -> int:
    """Give up on due messages past their tries or days, e.g. left by a
    sender that died on its last try (commits)."""
    cutoff = now - timedelta(days=config.retry_days)
    count = rowcount(
        db.session.execute(
            update(OutboxMessage)
            .where(
                *_due(now),
                or_(
                    OutboxMessage.attempts >= config.max_attempts,
                    OutboxMessage.created_at < cutoff,
                ),
            )
            .values(status=OutboxStatus.FAILED)
            .execution_options(synchronize_session=False)
        )
    )
    db.session.commit()
    if count:
        log.warning("Gave up on %s queued mail message(s)", count)
    return count


def purge(retention_days: float, now: datetime | None = None) -> int:
    """Delete sent and failed messages older than ``retention_days``: they
    quote commenters' addresses (commits)."""
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    count = rowcount(
        db.session.execute(
            delete(OutboxMessage)
            .where(
                OutboxMessage.status.in_([OutboxStatus.SENT, OutboxStatus.FAILED]),
                OutboxMessage.created_at < cutoff,
            )
            .execution_options(synchronize_session=False)
        )
    )
    db.session.commit()
    return count


def retry_failed(now: datetime | None = None) -> int:
    """Queue every failed message again, with fresh tries (commits)."""
    now = now or utcnow()
    count = rowcount(
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.FAILED)
            .values(
                status=OutboxStatus.QUEUED,
                attempts=0,
                created_at=now,
                next_attempt_at=now,
            )
            .execution_options(synchronize_session=False)
        )
    )
    db.session.commit()
    return count


def counts() -> dict[OutboxStatus, int]:
    """How many messages are queued, sent and failed."""
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    found = {OutboxStatus(status): int(count) for status, count in rows}
    return {status: found.get(status, 0) for status in OutboxStatus}


def failed_messages(limit: int = 20) -> list[OutboxMessage]:
    """The most recent messages given up on, for the operator."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.FAILED)
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        )
    )
