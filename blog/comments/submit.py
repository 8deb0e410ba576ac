"""Submitting a comment: the form's checks, flood and duplicate rules, then
save first and check for spam after.

A comment is saved first (pending, spam check "unchecked") and committed;
only then is Akismet asked, outside any transaction, and the verdict and the
Discussion rules applied in a second, short transaction
(:mod:`blog.comments.rules`). Whatever fails after the save, the comment is
kept. Services take plain data and an explicit actor; they never read the
request.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import exists, or_, select
from sqlalchemy.exc import IntegrityError

from blog import rendering
from blog.comments import akismet, notify
from blog.comments.permissions import is_moderator_of
from blog.comments.rules import apply_verdict, note_key_state
from blog.comments.settings import CommentSettings
from blog.comments.states import record
from blog.errors import FieldError
from blog.extensions import db
from blog.models import Comment, CommentStatus, Post, SpamCheck, User, utcnow
from blog.validation import email_address, http_url

log = logging.getLogger(__name__)

NAME_MAX, URL_MAX = 100, 200
TOKEN_LENGTHS = range(20, 65)


class CommentError(Exception):
    """Base class of what the commenter is told."""


class CommentsClosed(CommentError):
    """The post does not take comments (or does not exist, for all readers know)."""


class CommentInvalid(FieldError):
    """Field errors, keyed by the form's field names (``name``, ``comment``...)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(errors=errors)


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
    """The signed timestamp the comment form carries (bound to the post)."""
    return _serializer(secret).dumps(post_id)


def form_age(secret: str, token: str, post_id: int, now: datetime) -> float | None:
    """Seconds since :func:`form_token` made ``token`` for this post, or None."""
    try:
        value, signed_at = _serializer(secret).loads(token, return_timestamp=True)
    except (BadSignature, TypeError, ValueError):
        return None
    if value != post_id:
        return None
    return float((now - signed_at).total_seconds())


# Checking ---------------------------------------------------------------------


def comments_open(post: Post, site: Mapping[str, Any], now: datetime) -> bool:
    """Visible, comments allowed on it, and not past the site's closing age."""
    if not post.is_visible(now) or not post.comments_open:
        return False
    days = int(site.get("comments_close_after_days") or 0)
    return not days or (
        post.published_at is not None and post.published_at > now - timedelta(days=days)
    )


def open_post(post_id: int, site: Mapping[str, Any], now: datetime) -> Post | None:
    """The post with ``post_id`` if it takes comments now."""
    post = db.session.get(Post, post_id)
    return post if post is not None and comments_open(post, site, now) else None


def validate(data: Submission, staff: User | None) -> dict[str, str]:
    """Field errors, keyed by form field name (``name``, ``email``, ...)."""
    errors: dict[str, str] = {}
    if staff is None:
        errors |= _author_errors(data)
    try:
        rendering.check_comment_source(data.body)
    except rendering.ContentRejected as error:
        errors["comment"] = str(error)
    return errors


def _author_errors(data: Submission) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = "Please enter your name."
    elif "\r" in data.name or "\n" in data.name:
        errors["name"] = "Your name must fit on one line."
    elif len(name) > NAME_MAX:
        errors["name"] = f"Keep your name under {NAME_MAX} characters."
    if not data.email.strip():
        errors["email"] = "Please enter your email address."
    else:
        errors |= _field_error(
            email_address, data.email, message="Please enter a valid email address."
        )
    return errors | _field_error(
        http_url,
        data.url,
        "url",
        max_length=URL_MAX,
        message="Enter a web address starting with http:// or https:// "
        f"(up to {URL_MAX} characters), or leave it empty.",
    )


def _field_error(
    check: Callable[..., str], *args: Any, **kwargs: Any
) -> dict[str, str]:
    """The errors of one :mod:`blog.validation` check, collected, not raised."""
    try:
        check(*args, **kwargs)
    except FieldError as error:
        return error.errors
    return {}


def checked_html(data: Submission, staff: User | None) -> str:
    """The comment's HTML, once every field passed :func:`validate`.

    :raises CommentInvalid: with a message per field.
    """
    errors = validate(data, staff)
    if errors:
        raise CommentInvalid(errors)
    try:
        return rendering.render_comment(data.body)
    except rendering.ContentRejected as error:  # refused while rendering
        raise CommentInvalid({"comment": str(error)}) from None


def content_hash(post_id: int, author_key: str, body: str) -> str:
    """The duplicate check's key: the same words from the same author here."""
    normal = " ".join(body.split())
    digest = hashlib.sha256(f"{post_id}\0{author_key.lower()}\0{normal}".encode())
    return digest.hexdigest()


def is_duplicate(post_id: int, digest: str, *, other_than: int | None = None) -> bool:
    query = exists().where(Comment.post_id == post_id, Comment.content_hash == digest)
    if other_than is not None:
        query = query.where(Comment.id != other_than)
    return bool(db.session.scalar(select(query)))


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


def _flooded(ip: str, email: str, now: datetime, seconds: int) -> bool:
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


def _hold_reason(data: Submission, settings: CommentSettings) -> str:
    if data.form_age is None:
        return "The form's timestamp was missing or not ours"
    if data.form_age < settings.min_form_seconds:
        return f"Sent {max(data.form_age, 0):.0f} seconds after the form was shown"
    if data.form_age > settings.max_form_age:
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
    staff = actor if actor is not None and actor.is_authenticated else None
    moderator = is_moderator_of(staff, post)
    comment = _new_comment(post, data, staff, moderator, settings, now)
    params = akismet_params(comment, post, data)
    hold = "" if staff else _hold_reason(data, settings)
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
    return db.session.get(Comment, comment_id) or comment


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
    email = staff.email if staff else email_address(data.email)
    if not moderator and _flooded(data.ip, email, now, settings.flood_seconds):
        raise Flooded(
            "You are posting comments too quickly. Please wait a few seconds "
            "and post again; your comment is below."
        )
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
    """Ask Akismet (no transaction open), then store the outcome. Never raises
    for Akismet or mail trouble: the comment stays pending.

    :param moderator: the author moderates the post (approved at once).
    """
    verdict: akismet.Verdict | None = None
    if staff is None and settings.akismet.enabled:
        verdict = akismet.check(settings.akismet, params)  # outside any transaction
    comment = db.session.get(Comment, comment_id)
    if comment is None:  # deleted meanwhile
        return
    if moderator:
        comment.status = CommentStatus.APPROVED
        record(comment, "staff_approved")
    else:
        apply_verdict(comment, verdict, settings.site)
    note_key_state(verdict, settings.site)
    queued = notify.queue_if_held(comment, settings.mail)
    db.session.commit()
    if queued:
        notify.deliver(comment_id, settings.mail, settings.site_url)


def held_comment(token: str) -> Comment | None:
    """The comment whose author holds the private link with ``token``."""
    if len(token) not in TOKEN_LENGTHS:
        return None
    return db.session.scalar(select(Comment).where(Comment.token == token))
