"""Telling moderators that a comment waits for them (by mail).

A notification is queued on the comment (``notification_pending``) in the
same transaction that holds it, and sent after the commit; if the mail
server is down the flag stays set and ``flask --app blog comments recheck``
sends it later. Mail trouble never loses a comment and never shows the
commenter an error.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from blog import mail
from blog.extensions import db
from blog.mail import MailConfig
from blog.models import EDITOR_ROLES, Comment, CommentStatus, Role, User

log = logging.getLogger(__name__)


def queue_if_held(comment: Comment, config: MailConfig) -> bool:
    """Flag a held comment for a notification; True when one was queued."""
    if not config.enabled or comment.status != CommentStatus.PENDING:
        return False
    comment.notification_pending = True
    return True


def moderators_for(comment: Comment) -> list[str]:
    """Editors, admins and the post's author (when an author): who may moderate."""
    users = db.session.scalars(
        select(User).where(
            (User.role.in_(EDITOR_ROLES))
            | ((User.role == Role.AUTHOR) & (User.id == comment.post.author_id))
        )
    ).all()
    return sorted({user.email for user in users})


def deliver(comment_id: int, config: MailConfig, site_url: str) -> bool:
    """Send the queued notification for one comment; True when sent.

    The message is built in a short read, the transaction ends before the
    mail server is contacted, and the flag is cleared afterwards.
    """
    if not config.enabled:
        return False
    comment = db.session.get(Comment, comment_id)
    if comment is None or not comment.notification_pending:
        db.session.commit()
        return False
    recipients = moderators_for(comment)
    title = " ".join(comment.post.title.split())[:150]
    message = (
        mail.text_message(
            config,
            to=recipients,
            subject=f'Please moderate: "{title}"',
            template="comment_held.txt",
            comment=comment,
            site_url=site_url,
        )
        if recipients
        else None
    )
    db.session.commit()  # no transaction open while talking to the mail server
    if message is not None:
        try:
            mail.send(config, message)
        except mail.MailError as error:
            log.warning("Moderator notification not sent: %s", type(error).__name__)
            return False
    comment = db.session.get(Comment, comment_id)
    if comment is not None:
        comment.notification_pending = False
        db.session.commit()
    return message is not None


def deliver_queued(
    config: MailConfig, site_url: str, limit: int = 100
) -> tuple[int, int]:
    """Retry queued notifications (the recheck job); returns (sent, failed)."""
    if not config.enabled:
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
        if deliver(comment_id, config, site_url):
            sent += 1
        else:
            failed += 1
            break  # the server is down: try again next run
    return sent, failed
