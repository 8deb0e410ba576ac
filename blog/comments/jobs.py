"""The comments' cron jobs: retry the spam check (and send the outbox),
purge old spam and trash, forget commenters' IP addresses and user agents
after the Discussion setting's days, re-render after an upgrade. ``flask
--app blog comments ...`` runs them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    exists,
    or_,
    select,
    update,
)

from blog import rendering
from blog.comments import akismet, breaker, notify, subscriptions
from blog.comments.rules import apply_verdict, note_key_state
from blog.comments.settings import CommentSettings
from blog.comments.states import record
from blog.extensions import db
from blog.mail import outbox
from blog.models import Comment, CommentLogEntry, CommentStatus, SpamCheck, utcnow


@dataclass
class RecheckResult:
    checked: int = 0
    gave_up: int = 0
    stopped: bool = False
    mail_sent: int = 0
    mail_failed: int = 0


def _unchecked() -> list[ColumnElement[bool]]:
    """Pending comments from readers that Akismet has not judged yet."""
    return [
        Comment.status == CommentStatus.PENDING,
        Comment.spam_check == SpamCheck.UNCHECKED,
        Comment.user_id.is_(None),
    ]


def recheck(
    settings: CommentSettings,
    *,
    now: datetime | None = None,
    batch: int = 20,
    max_batches: int = 10,
    send_mail: bool = False,
) -> RecheckResult:
    """Retry Akismet for pending unchecked comments, oldest first.

    Asks even while the circuit breaker is open: that is how it learns that
    Akismet answers again. Stops at the first failure (Akismet is still
    down); gives up on comments older than ``retry_days`` (they stay pending
    for a person).

    :param send_mail: also send the outbox and delete old sent mail (cron
        does; the dashboard's button leaves mail to the background sender).
    """
    result = RecheckResult()
    now = now or utcnow()
    if settings.akismet.enabled:
        result.gave_up = _give_up(now, settings.retry_days)
        for _ in range(max_batches):
            checked, stopped, full = _recheck_batch(settings, batch)
            result.checked += checked
            result.stopped = stopped
            if stopped or not full:
                break
    notify.queue_flagged(settings.mail, settings.site_url)
    if send_mail:
        delivery = outbox.deliver_outbox(settings.mail)
        result.mail_sent = delivery.sent
        result.mail_failed = delivery.failed + delivery.gave_up
        outbox.purge(settings.mail.retention_days)
    return result


def _give_up(now: datetime, retry_days: int) -> int:
    """Stop retrying comments older than the retry window (commits)."""
    cutoff = now - timedelta(days=retry_days)
    stale = db.session.scalars(
        select(Comment).where(*_unchecked(), Comment.submitted_at < cutoff)
    ).all()
    for comment in stale:
        comment.spam_check = SpamCheck.ERROR
        record(comment, "akismet_gave_up")
    db.session.commit()
    return len(stale)


def _recheck_batch(settings: CommentSettings, batch: int) -> tuple[int, bool, bool]:
    """Check one batch; returns (checked, stopped at a failure, batch was full)."""
    rows = db.session.execute(
        select(Comment.id, Comment.submitted)
        .where(*_unchecked())
        .order_by(Comment.submitted_at, Comment.id)
        .limit(batch)
    ).all()
    db.session.commit()  # no transaction open while Akismet answers
    gate = breaker.breaker_for(settings.breaker)
    checked = 0
    for comment_id, params in rows:
        verdict = akismet.check(settings.akismet, params or {})
        breaker.note(gate, verdict, utcnow())
        if verdict in (akismet.Verdict.ERROR, akismet.Verdict.INVALID_KEY):
            note_key_state(verdict, settings.site)
            db.session.commit()
            return checked, True, len(rows) == batch
        comment = db.session.get(Comment, comment_id)
        if comment is not None and comment.status == CommentStatus.PENDING:
            apply_verdict(comment, verdict, settings.site)
            note_key_state(verdict, settings.site)
            subscriptions.announce_approved(comment, settings)
            checked += 1
        db.session.commit()
    return checked, False, len(rows) == batch


def purge(retention_days: int, *, now: datetime | None = None) -> int:
    """Delete spam and trash untouched for ``retention_days`` (commits)."""
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    recent = exists().where(
        CommentLogEntry.comment_id == Comment.id, CommentLogEntry.at >= cutoff
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


#: The Akismet fields (``Comment.submitted``) that say where a comment came from.
CONNECTION_FIELDS = frozenset({"user_ip", "user_agent", "referrer"})


def forget_commenter_details(
    days: int, now: datetime | None = None, *, batch: int = 500
) -> int:
    """Remove the IP address and user agent of comments older than ``days``
    days, from their columns and from the Akismet fields kept with them
    (commits); how many comments. ``days`` 0 keeps them.

    Comments still waiting for Akismet keep theirs until the recheck job
    gives up on them (it needs them to ask). The JSON cannot be edited in
    one statement that both SQLite and PostgreSQL understand, so the rows
    go in batches (one ``UPDATE`` each, committed), in id order. Only
    columns no public page shows change, so the page cache's version is not
    bumped (the statement goes to the connection, below the session's
    events).
    """
    if days <= 0:
        return 0
    cutoff = (now or utcnow()) - timedelta(days=days)
    change = (
        update(Comment)
        .where(Comment.id == bindparam("row_id"))
        .values(
            author_ip="", author_user_agent="", submitted=bindparam("row_submitted")
        )
    )
    count, last_id = 0, 0
    while True:
        rows = db.session.execute(
            select(Comment.id, Comment.submitted)
            .where(
                Comment.id > last_id,
                Comment.submitted_at < cutoff,
                or_(Comment.author_ip != "", Comment.author_user_agent != ""),
                ~and_(*_unchecked()),
            )
            .order_by(Comment.id)
            .limit(batch)
        ).all()
        if not rows:
            return count
        db.session.connection().execute(
            change,
            [
                {"row_id": row_id, "row_submitted": _without_connection(submitted)}
                for row_id, submitted in rows
            ],
        )
        db.session.commit()
        count += len(rows)
        last_id = rows[-1][0]


def _without_connection(submitted: Any) -> dict[str, Any]:
    if not isinstance(submitted, dict):
        return {}
    return {k: v for k, v in submitted.items() if k not in CONNECTION_FIELDS}


def rerender_stale(batch: int = 200) -> int:
    """Re-render comments whose HTML came from an older renderer (commits)."""
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
