"""Submitting comments, and the comment state machine.

A comment is saved first (pending, spam check "unchecked") and committed;
only then is Akismet asked, outside any transaction, and the verdict and the
local discussion rules applied in a second, short transaction. Whatever
fails after the save, the comment is kept. The state machine is
:mod:`blog.comment_state`; moderation (the dashboard's actions, recheck,
purge) lives in :mod:`blog.moderation`.

Services take plain data and an explicit actor; they never read the request.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import exists, or_, select
from sqlalchemy.exc import IntegrityError

from blog import mail, rendering, spam
from blog.comment_state import record
from blog.extensions import db
from blog.models import (
    Comment,
    CommentStatus,
    Post,
    Setting,
    SpamCheck,
    User,
    utcnow,
)
from blog.permissions import is_moderator_of

log = logging.getLogger(__name__)

NAME_MAX, EMAIL_MAX, URL_MAX = 100, 254, 200
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_URL_RE = re.compile(r"https?://[^\s/?#]+\.[^\s]*|https?://localhost[^\s]*", re.I)


class CommentError(Exception):
    """Base class of what the commenter is told."""


class CommentsClosed(CommentError):
    """The post does not take comments (or does not exist, for all readers know)."""


class CommentInvalid(CommentError):
    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = dict(errors)


class Flooded(CommentError):
    """Too soon after the last comment from the same IP or email address."""


class Duplicate(CommentError):
    """The same words from the same author on the same post."""


@dataclass
class Submission:
    """What a commenter sent, as plain data (the view fills it from the request)."""

    name: str = ""
    email: str = ""
    url: str = ""
    body: str = ""
    parent_id: int | None = None
    ip: str = ""
    user_agent: str = ""
    referrer: str = ""
    permalink: str = ""
    honeypot: str = ""
    #: Seconds since the form was served, from its signed timestamp; None if
    #: the timestamp was missing or forged.
    form_age: float | None = None


# The form's signed timestamp ------------------------------------------------


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="comment-form")


def form_token(secret: str, post_id: int) -> str:
    return _serializer(secret).dumps(post_id)


def form_age(secret: str, token: str, post_id: int, now: datetime) -> float | None:
    """Seconds since :func:`form_token` made ``token`` for this post, or None."""
    try:
        value, signed_at = _serializer(secret).loads(token, return_timestamp=True)
    except (BadSignature, TypeError, ValueError):
        return None
    if value != post_id:
        return None
    return (now - signed_at).total_seconds()


# Submitting -------------------------------------------------------------------


def comments_open(post: Post, settings: Mapping[str, Any], now: datetime) -> bool:
    """Visible, comments allowed on it, and not past the site's closing age."""
    if not post.is_visible(now) or not post.comments_open:
        return False
    days = int(settings.get("comments_close_after_days") or 0)
    assert post.published_at is not None
    return not days or post.published_at > now - timedelta(days=days)


def validate(data: Submission, staff: User | None) -> dict[str, str]:
    """Field errors, keyed by form field name (``name``, ``email``, ...)."""
    errors: dict[str, str] = {}
    if staff is None:
        name = data.name.strip()
        if not name:
            errors["name"] = "Please enter your name."
        elif "\r" in data.name or "\n" in data.name:
            errors["name"] = "Your name must fit on one line."
        elif len(name) > NAME_MAX:
            errors["name"] = f"Keep your name under {NAME_MAX} characters."
        email = data.email.strip()
        if not email:
            errors["email"] = "Please enter your email address."
        elif len(email) > EMAIL_MAX or not _EMAIL_RE.fullmatch(email):
            errors["email"] = "Please enter a valid email address."
        url = data.url.strip()
        if url and (len(url) > URL_MAX or not _URL_RE.fullmatch(url)):
            errors["url"] = (
                f"Enter a web address starting with http:// or https:// "
                f"(up to {URL_MAX} characters), or leave it empty."
            )
    try:
        rendering.check_comment_source(data.body)
    except rendering.ContentRejected as error:
        errors["comment"] = str(error)
    return errors


def content_hash(post_id: int, author_key: str, body: str) -> str:
    normal = " ".join(body.split())
    digest = hashlib.sha256(f"{post_id}\0{author_key.lower()}\0{normal}".encode())
    return digest.hexdigest()


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


def _flooded(ip: str, email: str, now: datetime) -> bool:
    seconds = int(current_app.config.get("COMMENT_FLOOD_SECONDS") or 0)
    if seconds <= 0:
        return False
    since = now - timedelta(seconds=seconds)
    same = [Comment.author_email == email]
    if ip:
        same.append(Comment.author_ip == ip)
    return bool(
        db.session.scalar(
            select(exists().where(or_(*same), Comment.submitted_at > since))
        )
    )


def _hold_reason(data: Submission) -> str:
    config = current_app.config
    if data.form_age is None:
        return "The form's timestamp was missing or not ours"
    if data.form_age < float(config.get("COMMENT_MIN_SECONDS") or 0):
        return f"Sent {max(data.form_age, 0):.0f} seconds after the form was shown"
    if data.form_age > float(config.get("COMMENT_MAX_FORM_AGE") or 86400):
        return "The form was more than a day old"
    return ""


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


def submit_comment(
    post: Post,
    data: Submission,
    actor: User | None,
    settings: Mapping[str, Any],
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
    if not comments_open(post, settings, now):
        raise CommentsClosed
    staff = actor if actor is not None and actor.is_authenticated else None
    errors = validate(data, staff)
    if errors:
        raise CommentInvalid(errors)
    try:
        body_html = rendering.render_comment(data.body)
    except rendering.ContentRejected as error:
        raise CommentInvalid({"comment": str(error)}) from None
    moderator = is_moderator_of(staff, post)
    name = staff.display_name if staff else " ".join(data.name.split())
    email = staff.email if staff else data.email.strip()
    if not moderator and _flooded(data.ip, email, now):
        raise Flooded(
            "You are posting comments too quickly. Please wait a few seconds "
            "and post again; your comment is below."
        )
    digest = content_hash(post.id, email, data.body)
    if db.session.scalar(
        select(
            exists().where(Comment.post_id == post.id, Comment.content_hash == digest)
        )
    ):
        raise Duplicate("You've already said that.")
    parent = _valid_parent(post, data.parent_id)
    comment = Comment(
        post_id=post.id,
        parent_id=parent.id if parent else None,
        user_id=staff.id if staff else None,
        author_name=name,
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
    params = akismet_params(comment, post, data)
    hold = "" if staff else _hold_reason(data)
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
    return db.session.get(Comment, comment_id)  # type: ignore[return-value]


def settle(
    comment_id: int,
    params: Mapping[str, Any],
    *,
    staff: User | None,
    moderator: bool,
    settings: Mapping[str, Any],
) -> None:
    """Ask Akismet (no transaction open), then store the outcome. Never raises
    for Akismet or mail trouble: the comment stays pending."""
    conf = spam.akismet_config(current_app.config, settings)
    verdict: spam.Verdict | None = None
    if staff is None and conf.enabled:
        verdict = spam.check(conf, params)  # outside any transaction
    comment = db.session.get(Comment, comment_id)
    if comment is None:  # deleted meanwhile
        return
    if moderator:
        comment.status = CommentStatus.APPROVED
        record(comment, "staff_approved")
    else:
        apply_verdict(comment, verdict, settings)
    note_key_state(verdict, settings)
    queued = mail.queue_if_held(comment)
    db.session.commit()
    if queued:
        mail.deliver(comment_id)


def note_key_state(verdict: spam.Verdict | None, settings: Mapping[str, Any]) -> None:
    """Remember an invalid key (one warning on the dashboard) until a check works."""
    invalid = verdict == spam.Verdict.INVALID_KEY
    if verdict in (None, spam.Verdict.ERROR):
        return
    if bool(settings.get("akismet_key_invalid")) != invalid:
        db.session.merge(Setting(key="akismet_key_invalid", value=invalid))


def apply_verdict(
    comment: Comment, verdict: spam.Verdict | None, settings: Mapping[str, Any]
) -> None:
    """Akismet's verdict (None: not asked), then the local rules."""
    if verdict == spam.Verdict.SPAM or (
        verdict == spam.Verdict.DISCARD and comment.user_id is not None
    ):
        comment.spam_check, comment.status = SpamCheck.SPAM, CommentStatus.SPAM
        record(comment, "akismet_spam")
        return
    if verdict == spam.Verdict.DISCARD:
        comment.spam_check, comment.status = SpamCheck.DISCARD, CommentStatus.SPAM
        record(comment, "akismet_discard")
        return
    unchecked = verdict in (spam.Verdict.ERROR, spam.Verdict.INVALID_KEY)
    if unchecked:
        record(
            comment,
            "akismet_error",
            "The API key was refused" if verdict == spam.Verdict.INVALID_KEY else "",
        )
    elif verdict == spam.Verdict.HAM:
        comment.spam_check = SpamCheck.HAM
        record(comment, "akismet_ham")
    status, reason = local_rules(comment, settings)
    if status == CommentStatus.APPROVED and unchecked:
        status, reason = CommentStatus.PENDING, ""
    comment.status = status
    if status == CommentStatus.TRASH:
        record(comment, "rule_trash", reason)
    elif status == CommentStatus.PENDING:
        if reason:
            record(comment, "rule_held", reason)
    else:
        record(comment, "rule_approved")


def local_rules(comment: Comment, settings: Mapping[str, Any]) -> tuple[str, str]:
    """WordPress's discussion rules (:func:`blog.spam.local_rules`): (status, why)."""
    return spam.local_rules(
        [
            comment.body_source,
            comment.author_name,
            comment.author_email,
            comment.author_url,
            comment.author_ip,
        ],
        settings,
        hold_reason=(comment.submitted or {}).get("hold_reason") or "",
        approved_before=lambda: _approved_before(comment),
    )


def _approved_before(comment: Comment) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Comment.author_email == comment.author_email,
                    Comment.author_name == comment.author_name,
                    Comment.status == CommentStatus.APPROVED,
                    Comment.id != comment.id,
                )
            )
        )
    )
