"""Moderator notifications over SMTP (``MAIL_SERVER``, ``MAIL_PORT``).

Off when ``MAIL_SERVER`` is empty. A notification is queued on the comment
(``notification_pending``) in the same transaction that holds it, and sent
after the commit; if the mail server is down the flag stays set and
``flask --app blog comments recheck`` sends it later. Mail trouble never
loses a comment and never shows the commenter an error.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from blog.extensions import db
from blog.models import Comment, CommentStatus, Role, User

log = logging.getLogger(__name__)


def enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def queue_if_held(comment: Comment) -> bool:
    """Flag a held comment for a notification; True when one was queued."""
    if not enabled() or comment.status != CommentStatus.PENDING:
        return False
    comment.notification_pending = True
    return True


def moderators_for(comment: Comment) -> list[str]:
    """Editors, admins and the post's author (when an author): who may moderate."""
    users = db.session.scalars(
        select(User).where(
            (User.role.in_([Role.ADMIN, Role.EDITOR]))
            | ((User.role == Role.AUTHOR) & (User.id == comment.post.author_id))
        )
    ).all()
    return sorted({user.email for user in users})


def _message(comment: Comment, recipients: list[str]) -> EmailMessage:
    message = EmailMessage()
    title = " ".join(comment.post.title.split())[:150]
    message["Subject"] = f'Please moderate: "{title}"'
    message["From"] = current_app.config.get("MAIL_SENDER") or "blog@localhost"
    message["To"] = ", ".join(recipients)
    site_url = str(current_app.config.get("SITE_URL") or "").rstrip("/")
    # Rendered without the request's context processors: the CLI sends mail too.
    template = current_app.jinja_env.get_template("email/comment_held.txt")
    message.set_content(template.render(comment=comment, site_url=site_url))
    return message


def send(message: EmailMessage) -> None:
    """Send one message; raises ``OSError``/``smtplib.SMTPException`` on failure."""
    config = current_app.config
    with smtplib.SMTP(
        config["MAIL_SERVER"],
        int(config.get("MAIL_PORT") or 25),
        timeout=float(config.get("MAIL_TIMEOUT") or 5.0),
    ) as smtp:
        smtp.send_message(message)


def deliver(comment_id: int) -> bool:
    """Send the queued notification for one comment; True when sent.

    The message is built in a short read, the transaction ends before the
    mail server is contacted, and the flag is cleared afterwards.
    """
    if not enabled():
        return False
    comment = db.session.get(Comment, comment_id)
    if comment is None or not comment.notification_pending:
        db.session.commit()
        return False
    recipients = moderators_for(comment)
    message = _message(comment, recipients) if recipients else None
    db.session.commit()  # no transaction open while talking to the mail server
    if message is not None:
        try:
            send(message)
        except (OSError, smtplib.SMTPException) as error:
            log.warning("Moderator notification not sent: %s", type(error).__name__)
            return False
    comment = db.session.get(Comment, comment_id)
    if comment is not None:
        comment.notification_pending = False
        db.session.commit()
    return message is not None


def deliver_queued(limit: int = 100) -> tuple[int, int]:
    """Retry queued notifications (the recheck job); returns (sent, failed)."""
    if not enabled():
        return 0, 0
    ids = db.session.scalars(
        select(Comment.id)
        .where(Comment.notification_pending.is_(True))
        .order_by(Comment.id)
        .limit(limit)
    ).all()
    db.session.commit()
    sent = failed = 0
    for comment_id in ids:
        if deliver(comment_id):
            sent += 1
        else:
            failed += 1
            break  # the server is down: try again next run
    return sent, failed
