"""Erase Personal Data: once the person has confirmed, an administrator's
"Erase personal data" anonymizes every comment written with the address
(matched case-insensitively), ends its subscriptions and deletes the mail
to or about it still in the outbox.

An anonymized comment is kept in its thread (replies keep their place):
its name becomes "Anonymous"; its email, website, IP address, user agent
and the fields once sent to Akismet are removed; with the Discussion
setting ``privacy_erase_removes_text`` its text is replaced by a note.
Comments by staff accounts (``user_id`` set) are left alone: the account
is the person there, handled on the Users screen.

The duplicate check's key (``content_hash``, unique per post) is made
again from the comment's own id instead of an email (``erased:<id>``), so
two erased comments saying the same thing on one post never collide, and
no new comment is taken for a duplicate of an erased one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import selectinload

from blog import rendering
from blog.comments.checks import content_hash
from blog.comments.states import record
from blog.comments.subscriptions import of_address
from blog.database import contains
from blog.errors import require
from blog.extensions import db
from blog.models import (
    Comment,
    CommentSubscription,
    OutboxMessage,
    PrivacyRequest,
    PrivacyRequestKind,
    PrivacyRequestStatus,
    SpamCheck,
    SubscriptionStatus,
    User,
    utcnow,
)
from blog.privacy import audit
from blog.privacy.export import discard_exports_of
from blog.privacy.settings import PrivacySettings
from blog.privacy.states import PrivacyError, written_with
from blog.site import can_manage_settings

ANONYMOUS = "Anonymous"
REMOVED_TEXT = "[This comment was removed at its author's request.]"


@dataclass(frozen=True)
class ErasePreview:
    """What "Erase personal data" would change, for its confirmation page."""

    comments: int
    staff_comments: int
    subscriptions: int
    removes_text: bool


def _count(query: ColumnElement[bool], *more: ColumnElement[bool]) -> int:
    return int(db.session.scalar(select(func.count()).where(query, *more)) or 0)


def _check(actor: User, request: PrivacyRequest) -> None:
    require(can_manage_settings(actor))
    if request.kind != PrivacyRequestKind.ERASE:
        raise PrivacyError("This is not an erasure request.")
    if request.status != PrivacyRequestStatus.CONFIRMED:
        raise PrivacyError(
            "Only a request the person has confirmed can be carried out."
            if request.status != PrivacyRequestStatus.COMPLETED
            else "This request has been carried out already."
        )


def erase_preview(
    actor: User, request: PrivacyRequest, settings: PrivacySettings
) -> ErasePreview:
    """The counts the confirmation page shows.

    :raises PermissionDenied: only admins use the privacy tools.
    :raises PrivacyError: not a confirmed erasure request.
    """
    _check(actor, request)
    readers = select(func.count(Comment.id)).where(written_with(request.email))
    return ErasePreview(
        comments=int(db.session.scalar(readers.where(Comment.user_id.is_(None))) or 0),
        staff_comments=int(
            db.session.scalar(readers.where(Comment.user_id.is_not(None))) or 0
        ),
        subscriptions=int(
            db.session.scalar(
                select(func.count(CommentSubscription.id)).where(
                    of_address(request.email),
                    CommentSubscription.status != SubscriptionStatus.ENDED,
                )
            )
            or 0
        ),
        removes_text=settings.erase_removes_text,
    )


def erase_personal_data(
    actor: User,
    request: PrivacyRequest,
    settings: PrivacySettings,
    now: datetime | None = None,
) -> str:
    """Carry out a confirmed erasure (commits); what was done, in a line,
    also kept as the request's ``result`` and in the log.

    Public pages show the change at once: the comments are changed through
    the session, whose flush bumps the page cache's version
    (:mod:`blog.site.cache_version`).

    :raises PermissionDenied: only admins use the privacy tools.
    :raises PrivacyError: not a confirmed erasure request.
    """
    _check(actor, request)
    now = now or utcnow()
    comments = db.session.scalars(
        select(Comment)
        .where(written_with(request.email), Comment.user_id.is_(None))
        .options(selectinload(Comment.history))
        .order_by(Comment.id)
    ).all()
    for comment in comments:
        anonymize(comment, removes_text=settings.erase_removes_text, actor=actor)
    ended = end_subscriptions(request.email, now)
    mail = forget_mail(request.email)
    exports = discard_exports_of(request.email, settings)
    staff = _count(written_with(request.email), Comment.user_id.is_not(None))
    result = (
        f"{len(comments)} comment{'s' if len(comments) != 1 else ''} anonymized, "
        f"{ended} subscription{'s' if ended != 1 else ''} ended"
    )
    if mail:
        result += f", {mail} queued or sent email{'s' if mail != 1 else ''} deleted"
    if exports:
        result += f", {exports} export{'s' if exports != 1 else ''} deleted"
    if staff:
        result += (
            f"; {staff} comment{'s' if staff != 1 else ''} by a staff account kept"
        )
    request.status = PrivacyRequestStatus.COMPLETED
    request.completed_at = now
    request.result = result[:500]
    audit.log(request, "erased", actor, result, now=now)
    db.session.commit()
    return result


def anonymize(comment: Comment, *, removes_text: bool, actor: User | None) -> None:
    """Remove what identifies the comment's author (the caller commits)."""
    comment.author_name = ANONYMOUS
    comment.author_email = ""
    comment.author_url = ""
    comment.author_ip = ""
    comment.author_user_agent = ""
    comment.submitted = {}
    if comment.spam_check == SpamCheck.UNCHECKED:
        # Nothing is left to ask Akismet about: the recheck job stops trying.
        comment.spam_check = SpamCheck.ERROR
    if removes_text:
        comment.body_source = REMOVED_TEXT
        comment.body_html = rendering.render_comment(REMOVED_TEXT)
        comment.rendered_version = rendering.RENDERER_VERSION
    comment.content_hash = content_hash(
        comment.post_id, f"erased:{comment.id}", comment.body_source
    )
    record(comment, "erased", actor=actor)


def end_subscriptions(email: str, now: datetime) -> int:
    """End the address's follow-up subscriptions and forget the address on
    them (the caller commits); how many were pending or active."""
    rows = db.session.scalars(
        select(CommentSubscription).where(of_address(email))
    ).all()
    ended = 0
    for row in rows:
        if row.status != SubscriptionStatus.ENDED:
            row.status = SubscriptionStatus.ENDED
            row.ended_at = now
            ended += 1
        row.email = ""
    return ended


def forget_mail(email: str) -> int:
    """Delete the outbox's messages to or about ``email`` (queued ones are
    then never sent; sent ones are the record of what was mailed to it);
    the caller commits. How many."""
    address = email.strip().lower()
    rows = db.session.execute(select(OutboxMessage.id, OutboxMessage.recipients)).all()
    doomed = {
        row_id
        for row_id, recipients in rows
        if any(str(to).strip().lower() == address for to in recipients or [])
    }
    doomed.update(
        db.session.scalars(
            select(OutboxMessage.id).where(contains(address, OutboxMessage.body))
        )
    )
    if doomed:
        db.session.execute(
            delete(OutboxMessage)
            .where(OutboxMessage.id.in_(sorted(doomed)))
            .execution_options(synchronize_session=False)
        )
    return len(doomed)
