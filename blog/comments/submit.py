"""Submitting a comment: checked (:mod:`blog.comments.checks`), saved first,
checked for spam after.

A comment is saved first (pending, spam check "unchecked") and committed;
only then is Akismet asked, outside any transaction, and the verdict and the
Discussion rules applied in a second, short transaction
(:mod:`blog.comments.rules`), which also queues the moderators' mail. While
Akismet keeps failing, the circuit breaker (:mod:`blog.comments.breaker`)
skips it and the comment waits as unchecked. Whatever fails after the save,
the comment is kept. Services take plain data and an explicit actor; they
never read the request.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload

from blog import rendering
from blog.comments import akismet, breaker, notify, subscriptions
from blog.comments.checks import (
    Submission,
    checked_html,
    comments_open,
    content_hash,
    flood_reason,
    hold_reason,
    is_duplicate,
)
from blog.comments.permissions import is_moderator_of, staff_member
from blog.comments.rules import apply_verdict, note_key_state
from blog.comments.settings import CommentSettings
from blog.comments.states import record
from blog.extensions import db
from blog.models import (
    Comment,
    CommentStatus,
    Post,
    SpamCheck,
    SubscriptionScope,
    User,
    utcnow,
)

log = logging.getLogger(__name__)

TOKEN_LENGTHS = range(20, 65)


#: Reloading a comment after a commit: its post (joined by default, and the
#: post's terms with it) stays in the session and loads only if used.
ONLY_COMMENT = [lazyload(Comment.post)]


class CommentError(Exception):
    """Base class of what the commenter is told."""


class CommentsClosed(CommentError):
    """The post does not take comments (or does not exist, for all readers know)."""


class Flooded(CommentError):
    """Too soon after the last comment from the same email address, or too
    many in a minute from one IP address."""


class Duplicate(CommentError):
    """The same words from the same author on the same post."""


def open_post(post_id: int, site: Mapping[str, Any], now: datetime) -> Post | None:
    """The post with ``post_id`` if it takes comments now."""
    post = db.session.get(Post, post_id)
    return post if post is not None and comments_open(post, site, now) else None


def _valid_parent(post: Post, parent_id: int | None) -> Comment | None:
    if parent_id is None:
        return None
    parent = db.session.get(Comment, parent_id)
    if (
        parent is None
        or parent.post_id != post.id
        or parent.status != CommentStatus.APPROVED
    ):
        return None
    return parent


def akismet_params(comment: Comment, post: Post, data: Submission) -> dict[str, Any]:
    """The fields Akismet documents, as submitted (kept for submit-spam/ham)."""
    return {
        "user_ip": data.ip,
        "user_agent": data.user_agent[:500],
        "referrer": data.referrer[:500],
        "permalink": data.permalink,
        "comment_type": "reply" if comment.parent_id else "comment",
        "comment_author": comment.author_name,
        "comment_author_email": comment.author_email,
        "comment_author_url": comment.author_url,
        "comment_content": comment.body_source,
        "comment_date_gmt": comment.submitted_at.isoformat(),
        "comment_post_modified_gmt": post.updated_at.isoformat(),
        "blog_lang": "en",
        "blog_charset": "UTF-8",
    }


# Submitting -------------------------------------------------------------------


def submit_comment(
    post: Post,
    data: Submission,
    actor: User | None,
    settings: CommentSettings,
    *,
    now: datetime | None = None,
) -> Comment:
    """Save a reader's (or staff member's) comment, then check it for spam.

    :param actor: the logged-in staff member, or None for a reader.
    :raises CommentsClosed: the post takes no comments (also for drafts).
    :raises CommentInvalid: with a message per field; nothing is saved.
    :raises Flooded: a comment from the same IP or email came too recently.
    :raises Duplicate: the same author said the same thing here already.
    """
    now = now or utcnow()
    if not comments_open(post, settings.site, now):
        raise CommentsClosed
    staff = staff_member(actor)
    moderator = is_moderator_of(staff, post)
    comment = _new_comment(post, data, staff, moderator, settings, now)
    params = akismet_params(comment, post, data)
    hold = "" if staff else hold_reason(data, settings)
    comment.submitted = {**params, "hold_reason": hold}
    honeypot = bool(data.honeypot.strip()) and staff is None
    if honeypot:
        comment.status = CommentStatus.SPAM
    db.session.add(comment)
    record(comment, "submitted", note=hold)
    if honeypot:
        record(comment, "honeypot")
    try:
        db.session.flush()
        comment_id = comment.id
        db.session.commit()
    except IntegrityError:  # an identical comment won the race
        db.session.rollback()
        raise Duplicate("You've already said that.") from None
    if not honeypot:
        try:
            settle(
                comment_id, params, staff=staff, moderator=moderator, settings=settings
            )
        except Exception:  # the comment is saved: it waits as pending/unchecked
            log.exception("Checking comment %s failed; it stays pending", comment_id)
            db.session.rollback()
        if data.subscribe and staff is None:
            _subscribe(comment_id, SubscriptionScope(data.subscribe), settings, now)
    return (
        db.session.get(
            Comment, comment_id, options=ONLY_COMMENT, populate_existing=True
        )
        or comment
    )


def _new_comment(
    post: Post,
    data: Submission,
    staff: User | None,
    moderator: bool,
    settings: CommentSettings,
    now: datetime,
) -> Comment:
    """The checked, rendered comment, not yet added to the session.

    :raises CommentInvalid: :raises Flooded: :raises Duplicate:
    """
    body_html = checked_html(data, staff)
    # Checked by the validator, stored as typed: older comments match it.
    email = staff.email if staff else data.email.strip()
    if not moderator and (
        reason := flood_reason(
            data.ip,
            email,
            now,
            seconds=settings.flood_seconds,
            burst=int(settings.site.get("comments_ip_burst") or 0),
        )
    ):
        raise Flooded(reason)
    digest = content_hash(post.id, email, data.body)
    if is_duplicate(post.id, digest):
        raise Duplicate("You've already said that.")
    parent = _valid_parent(post, data.parent_id)
    return Comment(
        post_id=post.id,
        parent_id=parent.id if parent else None,
        user_id=staff.id if staff else None,
        author_name=staff.display_name if staff else " ".join(data.name.split()),
        author_email=email,
        author_url="" if staff else data.url.strip(),
        author_ip=data.ip[:45],
        author_user_agent=data.user_agent[:500],
        body_source=data.body,
        body_html=body_html,
        rendered_version=rendering.RENDERER_VERSION,
        status=CommentStatus.PENDING,
        spam_check=SpamCheck.UNCHECKED,
        submitted_at=now,
        token=secrets.token_urlsafe(32),
        content_hash=digest,
    )


def settle(
    comment_id: int,
    params: Mapping[str, Any],
    *,
    staff: User | None,
    moderator: bool,
    settings: CommentSettings,
) -> None:
    """Ask Akismet (no transaction open) unless its breaker is open, then
    store the outcome and queue the moderators' mail in one transaction.
    Never raises for Akismet trouble: the comment stays pending.

    :param moderator: the author moderates the post (approved at once).
    """
    verdict: akismet.Verdict | None = None
    gate = breaker.breaker_for(settings.breaker)
    if staff is None and settings.akismet.enabled:
        if gate.allow(utcnow()):  # ends the transaction
            verdict = akismet.check(settings.akismet, params)  # none open
        else:
            verdict = akismet.Verdict.SKIPPED
    breaker.note(gate, verdict, utcnow())  # in the transaction below
    comment = db.session.get(
        Comment, comment_id, options=ONLY_COMMENT, populate_existing=True
    )
    if comment is None:  # deleted meanwhile
        db.session.commit()
        return
    if moderator:
        comment.status = CommentStatus.APPROVED
        record(comment, "staff_approved")
    else:
        apply_verdict(comment, verdict, settings.site)
    note_key_state(verdict, settings.site)
    notify.queue_if_held(comment, settings.mail, settings.site_url)
    subscriptions.announce_approved(comment, settings)
    db.session.commit()


def _subscribe(
    comment_id: int,
    scope: SubscriptionScope,
    settings: CommentSettings,
    now: datetime,
) -> None:
    """The follow-up mail the commenter asked for, once the spam check is
    settled (spam and trash get none), in its own transaction: a failure
    here loses no comment."""
    try:
        comment = db.session.get(Comment, comment_id, options=ONLY_COMMENT)
        if comment is not None:
            subscriptions.subscribe(comment, scope, settings, now=now)
        db.session.commit()
    except Exception:
        log.exception("Subscribing with comment %s failed", comment_id)
        db.session.rollback()


def held_comment(token: str) -> Comment | None:
    """The comment whose author holds the private link with ``token``."""
    if len(token) not in TOKEN_LENGTHS:
        return None
    return db.session.scalar(select(Comment).where(Comment.token == token))
