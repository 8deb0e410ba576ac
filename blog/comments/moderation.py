"""Moderating comments from the dashboard: the list and its counts, the
actions (one comment or many), editing, and moderators' replies.

Each action goes through :func:`blog.comments.states.transition`, which
checks the permission and the state machine and writes a log entry. Akismet
is taught (submit-spam / submit-ham) after the commit, outside any
transaction; if it cannot be reached the moderation action still stands.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from blog import rendering
from blog.comments import akismet, subscriptions
from blog.comments.checks import (
    CommentInvalid,
    Submission,
    checked_html,
    content_hash,
    is_duplicate,
)
from blog.comments.jobs import RecheckResult, recheck
from blog.comments.permissions import can_moderate, can_moderate_all, moderated_by
from blog.comments.settings import CommentSettings
from blog.comments.states import (
    DELETABLE,
    TRANSITIONS,
    Action,
    TransitionRefused,
    record,
    transition,
)
from blog.database import contains
from blog.errors import require
from blog.extensions import db
from blog.models import (
    Comment,
    CommentLogEntry,
    CommentStatus,
    SpamCheck,
    User,
    utcnow,
)
from blog.paging import COUNT_CAP, capped, count_up_to

#: How many comments one bulk action takes at most.
BULK_LIMIT = 200
ALREADY_SAID = "You've already said that."
#: What the "All" tab leaves out, as WordPress does: they have tabs of their
#: own. (Leaving out, rather than listing pending and approved, lets the
#: newest-first list read the ``submitted_at`` index backwards and stop at a
#: page: it need not merge two statuses' ranges.)
UNLISTED = (CommentStatus.SPAM, CommentStatus.TRASH)


def queue(actor: User, status: str = "", search: str = "") -> Select[Comment]:
    """The comments an actor moderates, newest first, with their history
    and staff authors (their pictures) loaded.

    "All" shows pending and approved, as WordPress does; spam and trash have
    their own tabs.
    """
    return _view(actor, status, search).options(
        selectinload(Comment.history), joinedload(Comment.user)
    )


def _view(actor: User, status: str, search: str) -> Select[Comment]:
    """:func:`queue` without its loading options (for counting)."""
    query = select(Comment).where(moderated_by(actor))
    if status in set(CommentStatus):
        query = query.where(Comment.status == status)
    else:
        query = query.where(Comment.status.not_in(UNLISTED))
    words = search.strip()
    if words:
        query = query.where(
            contains(
                words,
                Comment.author_name,
                Comment.author_email,
                Comment.author_url,
                Comment.author_ip,
                Comment.body_source,
            )
        )
    return query.order_by(Comment.submitted_at.desc(), Comment.id.desc())


def status_counts(actor: User, cap: int = COUNT_CAP) -> dict[str, int]:
    """How many comments the actor moderates in each status, and ``all``
    (pending and approved), each counted up to ``cap`` (one query: a
    million approved comments are not counted on every page; beyond the
    cap a count is an :class:`~blog.paging.AtLeast`, shown "1,000+")."""
    mine = select(Comment.id).where(moderated_by(actor))
    tabs = {
        status.value: mine.where(Comment.status == status) for status in CommentStatus
    }
    tabs["all"] = mine.where(Comment.status.not_in(UNLISTED))
    row = db.session.execute(
        select(*(count_up_to(query, cap) for query in tabs.values()))
    ).one()
    return {name: capped(n, cap) for name, n in zip(tabs, row, strict=True)}


def count_matching(
    actor: User, status: str = "", search: str = "", cap: int = COUNT_CAP
) -> int:
    """How many comments a view of the list (tab and search) holds, up to
    ``cap`` (one query; the tabs' counts leave the search out)."""
    query = _view(actor, status, search)
    return capped(db.session.scalar(select(count_up_to(query, cap))), cap)


def pending_count(actor: User, cap: int = COUNT_CAP) -> int:
    """For the dashboard navigation (one COUNT query, up to ``cap``)."""
    query = select(Comment.id).where(
        Comment.status == CommentStatus.PENDING, moderated_by(actor)
    )
    return capped(db.session.scalar(select(count_up_to(query, cap))), cap)


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


#: What Akismet is told about a comment: its original fields, and whether
#: it is spam.
Lesson = tuple[dict[str, Any], bool]


@dataclass
class Outcome:
    done: int = 0
    refused: list[str] = field(default_factory=list)
    akismet_failed: int = 0
    #: What the action changed, for its "Undo" (:mod:`blog.comments.undo`):
    #: the ids of the log entries it wrote, by the status each comment had
    #: before. Empty after "Delete Permanently", which cannot be undone.
    undoable: dict[CommentStatus, list[int]] = field(default_factory=dict)
    #: An action on every comment of a view stopped at its limit.
    more_left: bool = False


@dataclass
class _Work:
    """What an action leaves to do after its loop: the log entries to note
    once flushed (they get their ids), and Akismet's lessons."""

    outcome: Outcome = field(default_factory=Outcome)
    written: list[tuple[CommentStatus, CommentLogEntry]] = field(default_factory=list)
    lessons: list[Lesson] = field(default_factory=list)

    def apply(
        self,
        actor: User,
        comments: Iterable[Comment],
        action: Action,
        settings: CommentSettings,
    ) -> None:
        """Move each comment (nothing is committed); skip and report those
        the action does not apply to."""
        # By status, so that each status's log entries get ids in a row (a
        # short undo token: blog.comments.undo).
        for comment in sorted(comments, key=lambda c: str(c.status)):
            before = comment.status
            try:
                transition(actor, comment, action)
            except TransitionRefused as error:
                self.outcome.refused.append(str(error))
                continue
            self.outcome.done += 1
            if action != Action.DELETE:
                self.written.append((before, comment.history[-1]))
            subscriptions.announce_approved(comment, settings, moderated=True)
            if action in (Action.SPAM, Action.NOT_SPAM) and comment.user_id is None:
                lesson = (dict(comment.submitted or {}), action == Action.SPAM)
                self.lessons.append(lesson)

    def commit(self) -> None:
        """Flush, note the new log entries' ids for an undo, commit."""
        db.session.flush()
        undoable = self.outcome.undoable
        for before, entry in self.written:
            undoable.setdefault(before, []).append(entry.id)
        self.written.clear()
        db.session.commit()

    def teach(self, settings: CommentSettings, limit: int | None = None) -> Outcome:
        """After the last commit: tell Akismet (at most ``limit`` lessons)."""
        lessons = self.lessons if limit is None else self.lessons[:limit]
        self.outcome.akismet_failed = teach(settings.akismet, lessons)
        return self.outcome


def moderate(
    actor: User,
    comments: Iterable[Comment],
    action: Action,
    settings: CommentSettings,
) -> Outcome:
    """Apply one action to several comments, commit, then teach Akismet.

    Comments the action does not apply to are skipped and reported.

    :raises PermissionDenied: the actor may not moderate one of them
        (nothing is changed).
    """
    chosen = list(comments)
    for comment in chosen:
        require(can_moderate(actor, comment))
    work = _Work()
    work.apply(actor, chosen, action, settings)
    work.commit()
    return work.teach(settings)


def moderate_ids(
    actor: User, ids: Sequence[int], action: Action, settings: CommentSettings
) -> Outcome:
    """:func:`moderate` for the comments with these ids (at most ``BULK_LIMIT``)."""
    found = db.session.scalars(
        select(Comment)
        .options(selectinload(Comment.history))
        .where(Comment.id.in_(list(ids)[:BULK_LIMIT]))
    ).all()
    return moderate(actor, found, action, settings)


#: Comments one press of "Apply to all comments in this view" changes at
#: most (in batches of ``BULK_LIMIT``, each committed); pressing again
#: goes on with the rest.
MATCHING_LIMIT = 5_000


def applies_to(action: Action) -> frozenset[CommentStatus]:
    """The statuses a comment must be in for ``action`` to apply."""
    return DELETABLE if action == Action.DELETE else TRANSITIONS[action][0]


def moderate_matching(
    actor: User,
    action: Action,
    settings: CommentSettings,
    *,
    status: str = "",
    search: str = "",
    limit: int = MATCHING_LIMIT,
) -> Outcome:
    """Apply an action to every comment of a view of the list (its tab and
    search: :func:`queue`, so only comments the actor moderates) that the
    action applies to, ``BULK_LIMIT`` to a commit, up to ``limit``;
    ``more_left`` says whether some remain.

    Akismet is taught about the first ``BULK_LIMIT`` comments only, as a
    page's bulk action would be: thousands of lessons, one request each,
    would keep the moderator waiting for minutes.

    :raises PermissionDenied: the actor may not moderate one of them (the
        batches before it stay done).
    """
    sources = Comment.status.in_(applies_to(action))
    matching = queue(actor, status, search).where(sources)
    work = _Work()
    while work.outcome.done < limit:
        batch = db.session.scalars(
            matching.limit(min(BULK_LIMIT, limit - work.outcome.done))
        ).all()
        for comment in batch:
            require(can_moderate(actor, comment))
        done = work.outcome.done
        work.apply(actor, batch, action, settings)
        work.commit()
        if work.outcome.done == done:  # nothing left, or nothing would move
            break
    else:
        work.outcome.more_left = bool(
            db.session.scalar(
                select(_view(actor, status, search).where(sources).exists())
            )
        )
    return work.teach(settings, limit=BULK_LIMIT)


def teach(conf: akismet.AkismetConfig, lessons: Sequence[Lesson]) -> int:
    """Submit spam/ham to Akismet (no transaction open); how many were not sent.

    A lesson is the comment's original Akismet fields and whether it is spam.
    """
    if not lessons or not conf.enabled:
        return 0
    for n, (params, is_spam) in enumerate(lessons):
        if not akismet.submit(conf, params, spam=is_spam):
            # Akismet is down: don't make the moderator wait for each.
            return len(lessons) - n
    return 0


def edit_comment(actor: User, comment: Comment, data: Submission) -> None:
    """Change a comment's author fields and text (commits).

    :raises PermissionDenied: the actor may not moderate this comment.
    :raises CommentInvalid: with a message per field; nothing is written.
    """
    require(can_moderate(actor, comment))
    html = checked_html(data, None)
    email = data.email.strip()  # checked by checked_html, stored as typed
    digest = content_hash(comment.post_id, email, data.body)
    if is_duplicate(comment.post_id, digest, other_than=comment.id):
        raise CommentInvalid(
            {"comment": "Another comment on this post by the same email says that."}
        )
    comment.body_source = data.body
    comment.body_html = html
    comment.rendered_version = rendering.RENDERER_VERSION
    comment.author_name = " ".join(data.name.split())
    comment.author_email = email
    comment.author_url = data.url.strip()
    # The duplicate check compares with what the comment says now.
    comment.content_hash = digest
    record(comment, "edit", actor=actor)
    db.session.commit()


def reply(
    actor: User,
    parent: Comment,
    body: str,
    *,
    now: datetime | None = None,
    settings: CommentSettings | None = None,
) -> Comment:
    """A moderator's approved reply, threaded under ``parent`` (commits).

    A pending parent is approved first, as WordPress's "Approve and Reply".

    :raises PermissionDenied: the actor may not moderate this comment.
    :raises CommentInvalid: the reply is empty or too long.
    :raises TransitionRefused: the parent is spam or in the trash.
    :raises CommentInvalid: also when the same reply was already posted.
    :param settings: for the follow-up mail the reply (and an approved
        parent) sends; ``None``: none is sent.
    """
    require(can_moderate(actor, parent))
    submission = Submission(body=body)  # cleaned as every comment is
    body, html = submission.body, checked_html(submission, actor)
    digest = content_hash(parent.post_id, actor.email, body)
    if is_duplicate(parent.post_id, digest):
        raise CommentInvalid({"comment": ALREADY_SAID})
    if parent.status == CommentStatus.PENDING:
        transition(actor, parent, Action.APPROVE)
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
        submitted_at=now or utcnow(),
        token=secrets.token_urlsafe(32),
        content_hash=digest,
        submitted={},
    )
    try:
        with db.session.no_autoflush:  # flushed by the commit, inside the try
            db.session.add(answer)
            record(answer, "staff_approved")
            record(parent, "reply", actor=actor)
        if settings is not None:
            subscriptions.announce_approved(parent, settings, moderated=True)
            db.session.flush()  # the answer's id, for its mail
            subscriptions.announce_approved(answer, settings)
        db.session.commit()
    except IntegrityError:  # the same reply, sent twice at once
        db.session.rollback()
        raise CommentInvalid({"comment": ALREADY_SAID}) from None
    return answer


#: Comments one press of "Check for spam" asks Akismet about: a request
#: waits at most this many of Akismet's timeouts; cron checks the rest.
RECHECK_FROM_DASHBOARD = 5


def recheck_held(actor: User, settings: CommentSettings) -> RecheckResult:
    """Ask Akismet again about the oldest unchecked comments, site-wide:
    editors and admins only, since it touches comments on everyone's posts.

    :raises PermissionDenied: for authors and contributors.
    """
    require(can_moderate_all(actor))
    return recheck(settings, batch=RECHECK_FROM_DASHBOARD, max_batches=1)
