"""Moderating comments: the dashboard's actions, the recheck and purge jobs.

Each action goes through :func:`blog.comment_state.transition`, which checks the
permission and the state machine and writes an audit row. Akismet is taught
(submit-spam / submit-ham) after the commit, outside any transaction; if it
cannot be reached the moderation action still stands.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Select, case, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from blog import mail, rendering, spam
from blog.comment_state import TransitionRefused, record, transition
from blog.comments import (
    CommentInvalid,
    Duplicate,
    Submission,
    apply_verdict,
    content_hash,
    note_key_state,
    validate,
)
from blog.extensions import db
from blog.models import (
    Comment,
    CommentEvent,
    CommentStatus,
    Post,
    SpamCheck,
    User,
    utcnow,
)
from blog.permissions import can_moderate, can_moderate_all, require

STATUSES = tuple(CommentStatus)


def queue(actor: User, status: str = "", search: str = "") -> Select[tuple[Comment]]:
    """The comments an actor moderates, newest first, with their history loaded.

    "All" shows pending and approved, as WordPress does; spam and trash have
    their own tabs.
    """
    query = select(Comment).options(selectinload(Comment.events))
    if not can_moderate_all(actor):
        query = query.join(Post, Post.id == Comment.post_id).where(
            Post.author_id == actor.id
        )
    if status in STATUSES:
        query = query.where(Comment.status == status)
    else:
        query = query.where(
            Comment.status.in_([CommentStatus.PENDING, CommentStatus.APPROVED])
        )
    words = search.strip()
    if words:
        like = (
            "%"
            + (words.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_"))
            + "%"
        )
        query = query.where(
            Comment.author_name.ilike(like, escape="\\")
            | Comment.author_email.ilike(like, escape="\\")
            | Comment.author_url.ilike(like, escape="\\")
            | Comment.author_ip.ilike(like, escape="\\")
            | Comment.body_source.ilike(like, escape="\\")
        )
    return query.order_by(Comment.submitted_at.desc(), Comment.id.desc())


def status_counts(actor: User) -> dict[str, int]:
    """How many comments the actor moderates in each status (one query)."""
    query = select(Comment.status, func.count()).group_by(Comment.status)
    if not can_moderate_all(actor):
        query = query.join(Post, Post.id == Comment.post_id).where(
            Post.author_id == actor.id
        )
    counts = {status.value: 0 for status in CommentStatus}
    counts.update({status: n for status, n in db.session.execute(query)})
    return counts


def pending_count(actor: User) -> int:
    """For the dashboard navigation (one COUNT query)."""
    query = select(func.count(Comment.id)).where(
        Comment.status == CommentStatus.PENDING
    )
    if not can_moderate_all(actor):
        query = query.join(Post, Post.id == Comment.post_id).where(
            Post.author_id == actor.id
        )
    return int(db.session.scalar(query) or 0)


@dataclass(frozen=True)
class AuthorRecord:
    approved: int = 0
    spam: int = 0


def author_records(comments: Iterable[Comment]) -> dict[str, AuthorRecord]:
    """Approved and spam counts per author email, for one page (one query)."""
    emails = {c.author_email for c in comments}
    if not emails:
        return {}
    rows = db.session.execute(
        select(
            Comment.author_email,
            func.sum(case((Comment.status == CommentStatus.APPROVED, 1), else_=0)),
            func.sum(case((Comment.status == CommentStatus.SPAM, 1), else_=0)),
        )
        .where(Comment.author_email.in_(emails))
        .group_by(Comment.author_email)
    )
    return {email: AuthorRecord(int(a or 0), int(s or 0)) for email, a, s in rows}


@dataclass
class Outcome:
    done: int = 0
    refused: list[str] = field(default_factory=list)
    akismet_failed: int = 0


def moderate(
    actor: User,
    comments: Iterable[Comment],
    action: str,
    settings: Mapping[str, Any],
) -> Outcome:
    """Apply one action to several comments, commit, then teach Akismet.

    Comments the action does not apply to are skipped and reported.

    :raises PermissionDenied: the actor may not moderate one of them.
    """
    outcome = Outcome()
    lessons: list[tuple[dict[str, Any], bool]] = []
    for comment in comments:
        try:
            transition(actor, comment, action)
        except TransitionRefused as error:
            outcome.refused.append(str(error))
            continue
        outcome.done += 1
        if action in ("spam", "not_spam") and comment.user_id is None:
            lessons.append((dict(comment.submitted or {}), action == "spam"))
    db.session.commit()
    if lessons:
        conf = spam.akismet_config(current_app.config, settings)
        if conf.enabled:
            for n, (params, is_spam) in enumerate(lessons):  # no transaction open
                if not spam.submit(conf, params, spam=is_spam):
                    # Akismet is down: don't make the moderator wait for each.
                    outcome.akismet_failed = len(lessons) - n
                    break
    return outcome


def edit_comment(actor: User, comment: Comment, data: Submission) -> None:
    """Change a comment's author fields and text (commits).

    :raises CommentInvalid: with a message per field.
    """
    require(can_moderate(actor, comment))
    errors = validate(data, None)
    if errors:
        raise CommentInvalid(errors)
    try:
        comment.body_html = rendering.render_comment(data.body)
    except rendering.ContentRejected as error:
        raise CommentInvalid({"comment": str(error)}) from None
    digest = content_hash(comment.post_id, data.email.strip(), data.body)
    if db.session.scalar(
        select(
            exists().where(
                Comment.post_id == comment.post_id,
                Comment.content_hash == digest,
                Comment.id != comment.id,
            )
        )
    ):
        raise CommentInvalid(
            {"comment": "Another comment on this post by the same email says that."}
        )
    comment.body_source = data.body
    comment.rendered_version = rendering.RENDERER_VERSION
    comment.author_name = " ".join(data.name.split())
    comment.author_email = data.email.strip()
    comment.author_url = data.url.strip()
    # The duplicate check compares with what the comment says now.
    comment.content_hash = digest
    record(comment, "edit", actor=actor)
    db.session.commit()


def reply(actor: User, parent: Comment, body: str, *, now: datetime | None = None):  # type: ignore[no-untyped-def]
    """A moderator's approved reply, threaded under ``parent`` (commits).

    A pending parent is approved first, as WordPress's "Approve and Reply".

    :raises CommentInvalid: the reply is empty or too long.
    :raises Duplicate: the same reply was already posted.
    """
    require(can_moderate(actor, parent))
    now = now or utcnow()
    errors = validate(Submission(body=body), actor)
    if errors:
        raise CommentInvalid(errors)
    try:
        html = rendering.render_comment(body)
    except rendering.ContentRejected as error:
        raise CommentInvalid({"comment": str(error)}) from None
    if parent.status == CommentStatus.PENDING:
        transition(actor, parent, "approve")
    if parent.status != CommentStatus.APPROVED:
        raise TransitionRefused("Only approved comments can be replied to.")
    answer = Comment(
        post_id=parent.post_id,
        parent_id=parent.id,
        user_id=actor.id,
        author_name=actor.display_name,
        author_email=actor.email,
        body_source=body,
        body_html=html,
        rendered_version=rendering.RENDERER_VERSION,
        status=CommentStatus.APPROVED,
        spam_check=SpamCheck.UNCHECKED,
        submitted_at=now,
        token=secrets.token_urlsafe(32),
        content_hash=content_hash(parent.post_id, actor.email, body),
        submitted={},
    )
    db.session.add(answer)
    record(answer, "staff_approved")
    record(parent, "reply", actor=actor)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Duplicate("You've already said that.") from None
    return answer


@dataclass
class RecheckResult:
    checked: int = 0
    gave_up: int = 0
    stopped: bool = False
    mail_sent: int = 0
    mail_failed: int = 0


def recheck(
    settings: Mapping[str, Any],
    *,
    now: datetime | None = None,
    batch: int = 20,
    max_batches: int = 10,
) -> RecheckResult:
    """Retry Akismet for pending unchecked comments, oldest first.

    Stops at the first failure (Akismet is still down); gives up on
    comments older than ``AKISMET_RETRY_DAYS`` (they stay pending for a
    human). Also retries queued moderator notifications.
    """
    now = now or utcnow()
    result = RecheckResult()
    conf = spam.akismet_config(current_app.config, settings)
    if conf.enabled:
        cutoff = now - timedelta(days=int(current_app.config["AKISMET_RETRY_DAYS"]))
        stale = db.session.scalars(
            select(Comment).where(
                Comment.status == CommentStatus.PENDING,
                Comment.spam_check == SpamCheck.UNCHECKED,
                Comment.user_id.is_(None),
                Comment.submitted_at < cutoff,
            )
        ).all()
        for comment in stale:
            comment.spam_check = SpamCheck.ERROR
            record(comment, "akismet_gave_up")
        result.gave_up = len(stale)
        db.session.commit()
        for _ in range(max_batches):
            rows = db.session.execute(
                select(Comment.id, Comment.submitted)
                .where(
                    Comment.status == CommentStatus.PENDING,
                    Comment.spam_check == SpamCheck.UNCHECKED,
                    Comment.user_id.is_(None),
                )
                .order_by(Comment.submitted_at, Comment.id)
                .limit(batch)
            ).all()
            db.session.commit()  # no transaction open while Akismet answers
            for comment_id, params in rows:
                verdict = spam.check(conf, params or {})
                if verdict in (spam.Verdict.ERROR, spam.Verdict.INVALID_KEY):
                    note_key_state(verdict, settings)
                    db.session.commit()
                    result.stopped = True
                    break
                comment = db.session.get(Comment, comment_id)
                if comment is not None and comment.status == CommentStatus.PENDING:
                    apply_verdict(comment, verdict, settings)
                    note_key_state(verdict, settings)
                    result.checked += 1
                db.session.commit()
            if result.stopped or len(rows) < batch:
                break
    result.mail_sent, result.mail_failed = mail.deliver_queued()
    return result


def purge(*, now: datetime | None = None, days: int | None = None) -> int:
    """Delete spam and trash untouched for ``days`` (default SPAM_RETENTION_DAYS)."""
    now = now or utcnow()
    days = int(current_app.config["SPAM_RETENTION_DAYS"] if days is None else days)
    cutoff = now - timedelta(days=days)
    recent = exists().where(
        CommentEvent.comment_id == Comment.id, CommentEvent.at >= cutoff
    )
    doomed = db.session.scalars(
        select(Comment).where(
            Comment.status.in_([CommentStatus.SPAM, CommentStatus.TRASH]),
            Comment.submitted_at < cutoff,
            ~recent,
        )
    ).all()
    for comment in doomed:
        db.session.delete(comment)
    db.session.commit()
    return len(doomed)


def rerender_stale(batch: int = 200) -> int:
    """Re-render comments whose HTML came from an older renderer."""
    count = 0
    while True:
        stale = db.session.scalars(
            select(Comment)
            .where(Comment.rendered_version != rendering.RENDERER_VERSION)
            .limit(batch)
        ).all()
        if not stale:
            return count
        for comment in stale:
            try:
                comment.body_html = rendering.render_comment(comment.body_source)
            except rendering.ContentRejected:
                comment.body_html = rendering.render_inline_text(comment.body_source)
            comment.rendered_version = rendering.RENDERER_VERSION
        db.session.commit()
        count += len(stale)
