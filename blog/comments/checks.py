"""What a comment must pass before it is saved: the form's signed timestamp,
the fields, the post still taking comments, the flood and duplicate rules.

Pure checks and read-only queries; :mod:`blog.comments.submit` applies them.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import exists, func, select

from blog import rendering
from blog.comments.settings import CommentSettings
from blog.errors import FieldError
from blog.extensions import db
from blog.models import Comment, Post, SubscriptionScope, User
from blog.validation import (
    clean_text,
    email_address,
    http_url,
    is_one_line,
    strip_invisible,
)

NAME_MAX, URL_MAX = 100, 200


class CommentInvalid(FieldError):
    """Field errors, keyed by the form's field names (``name``, ``comment``...)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(errors=errors)


@dataclass
class Submission:
    """What a commenter sent, as plain data (the view fills it from the request).

    Its text is cleaned when it is made, whoever makes it (the form, the
    command line, an importer): line breaks as ``"\\n"``, no NUL or other
    control character (PostgreSQL refuses NUL), and no invisible format
    character (bidi controls, zero-width characters) in the name, email and
    website (:mod:`blog.validation`). The body keeps what right-to-left and
    other scripts need; ``blog.rendering`` takes care of its links.
    """

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
    #: "Notify me of follow-up comments by email.": which ones, or None.
    subscribe: SubscriptionScope | None = None

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, str):
                setattr(self, field.name, clean_text(value))
        self.name = strip_invisible(self.name)
        self.email = strip_invisible(self.email)
        self.url = strip_invisible(self.url)


# The form's signed timestamp ------------------------------------------------


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="comment-form")


#: Tokens signed this second, by secret and post: they carry whole seconds,
#: so a second's tokens are all the same, and a page served from the cache
#: needs a fresh one on every response. Emptied when the second changes.
_signed: dict[tuple[str, int], str] = {}
_signed_second = 0


def form_token(secret: str, post_id: int) -> str:
    """The signed timestamp the comment form carries (bound to the post)."""
    global _signed_second
    second = int(time.time())
    if second != _signed_second:
        _signed.clear()
        _signed_second = second
    key = (secret, post_id)
    token = _signed.get(key)
    if token is None:
        token = _signed[key] = _serializer(secret).dumps(post_id)
    return token


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
    elif not is_one_line(name):
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


#: The window of the per-IP burst limit.
BURST_WINDOW = timedelta(minutes=1)
TOO_QUICK = (
    "You are posting comments too quickly. Please wait a few seconds "
    "and post again; your comment is below."
)
TOO_MANY_FROM_NETWORK = (
    "Many comments came from your network in the last minute. Please wait "
    "a minute and post again; your comment is below."
)


def flood_reason(
    ip: str, email: str, now: datetime, *, seconds: int, burst: int
) -> str:
    """Why this comment comes too soon, or "".

    One email address may comment once every ``seconds``; one IP address,
    which several people may share (a campus, an office), ``burst`` times a
    minute. (Counted on the comments table's email and IP indexes.)
    """
    if seconds > 0:
        since = now - timedelta(seconds=seconds)
        recent = select(
            exists().where(
                # Read from the ``submitted_at`` index: a few seconds' rows.
                func.lower(Comment.author_email) == email.lower(),
                Comment.submitted_at > since,
            )
        )
        if db.session.scalar(recent):
            return TOO_QUICK
    if ip and burst > 0:
        since = now - BURST_WINDOW
        latest = (
            select(Comment.id)
            .where(Comment.author_ip == ip, Comment.submitted_at > since)
            .limit(burst)
            .subquery()
        )
        if (db.session.scalar(select(func.count()).select_from(latest)) or 0) >= burst:
            return TOO_MANY_FROM_NETWORK
    return ""


def hold_reason(data: Submission, settings: CommentSettings) -> str:
    """Why the submission looks like a robot's (held for moderation), or ""."""
    if data.form_age is None:
        return "The form's timestamp was missing or not ours"
    if data.form_age < settings.min_form_seconds:
        return f"Sent {max(data.form_age, 0):.0f} seconds after the form was shown"
    if data.form_age > settings.max_form_age:
        return "The form was more than a day old"
    return ""
