"""Telling moderators that a comment waits for them (by mail).

The notification is written to the outbox (:mod:`blog.mail.outbox`) in the
same transaction that holds the comment, and sent after the response or by
cron's ``flask --app blog mail send`` (``comments recheck`` sends it too).
Mail trouble never loses a comment, never shows the commenter an error, and
never holds a request.
"""

from __future__ import annotations

from sqlalchemy import select

from blog import mail
from blog.extensions import db
from blog.mail import MailConfig, outbox
from blog.models import EDITOR_ROLES, Comment, CommentStatus, Role, User


def queue_if_held(comment: Comment, config: MailConfig, site_url: str) -> bool:
    """Queue the moderators' mail for a held comment in the session's
    transaction (the caller commits); True when one was queued."""
    if not config.enabled or comment.status != CommentStatus.PENDING:
        return False
    recipients = moderators_for(comment)
    if not recipients:
        return False
    title = " ".join(comment.post.title.split())[:150]
    body = mail.render_text("comment_held.txt", comment=comment, site_url=site_url)
    outbox.enqueue(to=recipients, subject=f'Please moderate: "{title}"', body=body)
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


def queue_flagged(config: MailConfig, site_url: str, limit: int = 100) -> int:
    """Move notifications flagged on comments (``notification_pending``, by
    versions before the outbox) to the outbox; returns how many (commits)."""
    if not config.enabled:
        return 0
    flagged = db.session.scalars(
        select(Comment)
        .where(Comment.notification_pending.is_(True))
        .order_by(Comment.id)
        .limit(limit)
    ).all()
    queued = 0
    for comment in flagged:
        comment.notification_pending = False
        queued += queue_if_held(comment, config, site_url)
    db.session.commit()
    return queued
