"""Follow-up comments by email: "Notify me of follow-up comments by email."

A reader who ticks the box gets a subscription (``pending``) and one
confirmation mail (double opt-in); its link makes it ``active``. From then
on an approved reply to their comment (scope ``replies``), or any new
comment on the post (scope ``all``), is mailed to them. Every mail to a
subscriber carries a one-click unsubscribe (RFC 8058: the
``List-Unsubscribe`` and ``List-Unsubscribe-Post`` headers and the same
link in the text) and the link to the page that lists and ends all of the
address's subscriptions (its key is the address, signed).

Abuse guard: while an address has a subscription waiting for confirmation
made in the last :data:`CONFIRM_INTERVAL`, no other confirmation mail is
sent to it; a new subscription then waits unmailed, and its owner confirms
it from the subscriptions page (whose link the first mail carries).

:func:`announce_approved` is called wherever a comment becomes approved
(:func:`blog.comments.submit.settle`, :func:`blog.comments.moderation.moderate`
and ``reply``, the recheck job), in the transaction that approves it; it
queues the follow-up mail and the approval notice at most once per comment
(``Comment.announced_at``). Nothing here commits: callers do, so the mail
exists exactly when the change it reports does (:mod:`blog.mail.outbox`).
"""

from __future__ import annotations

import enum
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from blog.comments import subscription_mail
from blog.comments.settings import CommentSettings
from blog.database import rowcount
from blog.extensions import db
from blog.models import (
    Comment,
    CommentStatus,
    CommentSubscription,
    SpamCheck,
    SubscriptionScope,
    SubscriptionStatus,
    utcnow,
)

#: No second confirmation mail to an address within this time of a
#: subscription of its that still waits for confirmation.
CONFIRM_INTERVAL = timedelta(hours=24)
#: ``secrets.token_urlsafe(32)`` is 43 characters; anything else is not ours.
TOKEN_LENGTHS = range(20, 65)


# Lookups -------------------------------------------------------------------


def by_token(token: str) -> CommentSubscription | None:
    """The subscription whose links carry ``token`` (one query, or none)."""
    if len(token) not in TOKEN_LENGTHS:
        return None
    return db.session.scalar(
        select(CommentSubscription).where(CommentSubscription.token == token)
    )


def of_address(email: str) -> ColumnElement[bool]:
    """Subscriptions of ``email``, however its letters were typed."""
    return func.lower(CommentSubscription.email) == email.strip().lower()


def subscriptions_for(
    email: str, *, include_ended: bool = False
) -> list[CommentSubscription]:
    """An address's subscriptions (any case), newest first, with their posts
    (one query): pending and active ones, and ended ones if asked."""
    query = select(CommentSubscription).where(of_address(email))
    if not include_ended:
        query = query.where(CommentSubscription.status != SubscriptionStatus.ENDED)
    query = query.order_by(
        CommentSubscription.created_at.desc(), CommentSubscription.id.desc()
    )
    return list(db.session.scalars(query))


def end_all_for(email: str, now: datetime | None = None) -> int:
    """End every subscription of an address (the caller commits); how many."""
    return rowcount(
        db.session.execute(
            update(CommentSubscription)
            .where(
                of_address(email),
                CommentSubscription.status != SubscriptionStatus.ENDED,
            )
            .values(status=SubscriptionStatus.ENDED, ended_at=now or utcnow())
            .execution_options(synchronize_session="fetch")
        )
    )


# A reader's own changes (these commit) ----------------------------------------


def confirm(subscription: CommentSubscription, now: datetime | None = None) -> bool:
    """Make a pending subscription active (commits); False if it was ended."""
    if subscription.status == SubscriptionStatus.PENDING:
        subscription.status = SubscriptionStatus.ACTIVE
        subscription.confirmed_at = now or utcnow()
        db.session.commit()
    return subscription.status == SubscriptionStatus.ACTIVE


def unsubscribe(subscription: CommentSubscription, now: datetime | None = None) -> int:
    """The one-click unsubscribe (commits): no more mail about this post to
    this address, whichever of its subscriptions there the mail came from.
    Returns how many were ended."""
    ended = rowcount(
        db.session.execute(
            update(CommentSubscription)
            .where(
                of_address(subscription.email),
                CommentSubscription.post_id == subscription.post_id,
                CommentSubscription.status != SubscriptionStatus.ENDED,
            )
            .values(status=SubscriptionStatus.ENDED, ended_at=now or utcnow())
            .execution_options(synchronize_session="fetch")
        )
    )
    db.session.commit()
    return ended


class PageAction(enum.StrEnum):
    """The buttons of an address's subscriptions page."""

    CONFIRM = "confirm"
    END = "end"
    END_ALL = "end_all"


def act(
    email: str,
    action: PageAction,
    subscription_id: int | None = None,
    now: datetime | None = None,
) -> bool:
    """Press a button of the address's subscriptions page (commits); False
    when the subscription it names is not the address's, or is ended."""
    now = now or utcnow()
    if action == PageAction.END_ALL:
        end_all_for(email, now)
        db.session.commit()
        return True
    found = (
        db.session.get(CommentSubscription, subscription_id)
        if subscription_id is not None
        else None
    )
    if (
        found is None
        or found.email.strip().lower() != email.strip().lower()
        or found.status == SubscriptionStatus.ENDED
    ):
        return False
    if action == PageAction.CONFIRM:
        return confirm(found, now)
    found.status = SubscriptionStatus.ENDED
    found.ended_at = now
    db.session.commit()
    return True


# Subscribing ------------------------------------------------------------------


def subscribe(
    comment: Comment,
    scope: SubscriptionScope,
    settings: CommentSettings,
    *,
    now: datetime | None = None,
) -> CommentSubscription | None:
    """The subscription a reader asked for with ``comment``, once its spam
    check is settled, and its confirmation mail (the caller commits).

    None, and nothing written, when mail is off, for staff (who comment as
    themselves and moderate), for spam and trash, and when an active
    subscription of the same address already covers it.
    """
    if (
        not settings.mail.enabled
        or comment.user_id is not None
        or comment.status in (CommentStatus.SPAM, CommentStatus.TRASH)
    ):
        return None
    now = now or utcnow()
    email = comment.author_email.strip()
    live = subscriptions_for(email)
    recent = now - CONFIRM_INTERVAL
    if _covered(live, comment.post_id, recent):
        return None
    subscription = CommentSubscription(
        post_id=comment.post_id,
        comment_id=comment.id,
        email=email,
        scope=scope,
        status=SubscriptionStatus.PENDING,
        token=secrets.token_urlsafe(32),
        created_at=now,
    )
    db.session.add(subscription)
    waiting = any(
        s.status == SubscriptionStatus.PENDING and s.created_at > recent for s in live
    )
    if not waiting and _vetted(comment):
        subscription_mail.queue_confirmation(subscription, comment.post, settings, now)
    return subscription


def _vetted(comment: Comment) -> bool:
    """Whether mail may go to the address a comment gives: approved, or
    cleared by Akismet. A comment nobody has vetted yet (no Akismet, or it
    was down) waits for a moderator, so that no robot can make the site
    mail addresses of its choosing; its confirmation goes out on approval
    (:func:`announce_approved`)."""
    return (
        comment.status == CommentStatus.APPROVED or comment.spam_check == SpamCheck.HAM
    )


def _covered(
    live: Sequence[CommentSubscription], post_id: int, recent: datetime
) -> bool:
    """Whether the address already gets every comment on this post, or asked
    to since ``recent`` (its confirmation may still come)."""
    return any(
        s.post_id == post_id
        and s.scope == SubscriptionScope.ALL
        and (s.status == SubscriptionStatus.ACTIVE or s.created_at > recent)
        for s in live
    )


# Announcing an approved comment -----------------------------------------------


def announce_approved(
    comment: Comment,
    settings: CommentSettings,
    *,
    moderated: bool = False,
    now: datetime | None = None,
) -> int:
    """Queue what a comment's approval sends (the caller commits): mail to
    the post's confirmed subscribers, and the approval notice to its author
    when the Discussion setting asks for it. Returns how many messages.

    Does nothing for a comment that is not approved, or was announced
    before; callers call it after any change that may approve. One query
    for the subscribers, however many they are.

    :param moderated: a moderator approved it just now (held, then
        approved): the only case the approval notice is for.
    """
    if comment.status != CommentStatus.APPROVED or comment.announced_at is not None:
        return 0
    now = now or utcnow()
    if not _claim(comment, now):  # another request announced it meanwhile
        return 0
    post = comment.post
    if not settings.mail.enabled:
        return 0
    confirmations = _confirm_on_approval(comment, settings, now)
    if not post.is_visible(now):
        return confirmations
    recipients = _recipients(comment)
    notice = (
        moderated
        and comment.user_id is None
        and bool(settings.site.get("comments_notify_author_on_approval"))
    )
    if not recipients and not notice:
        return confirmations
    with subscription_mail.links(settings) as made:
        comment_url = made.comment(comment)
        for subscription, is_reply in recipients:
            subscription_mail.queue_follow_up(
                made, subscription, comment, comment_url, is_reply=is_reply, now=now
            )
        if notice:
            subscription_mail.queue_approval_notice(made, comment, comment_url, now=now)
    return confirmations + len(recipients) + int(notice)


def _confirm_on_approval(
    comment: Comment, settings: CommentSettings, now: datetime
) -> int:
    """The confirmation mail of a subscription made with a comment nobody
    had vetted when it was posted (see :func:`_vetted`): sent now that a
    moderator approved it. (A vetted one had its mail then.)"""
    if comment.spam_check == SpamCheck.HAM or comment.user_id is not None:
        return 0
    waiting = db.session.scalars(
        select(CommentSubscription).where(
            CommentSubscription.comment_id == comment.id,
            CommentSubscription.status == SubscriptionStatus.PENDING,
        )
    ).all()
    for subscription in waiting:
        subscription_mail.queue_confirmation(subscription, comment.post, settings, now)
    return len(waiting)


def _claim(comment: Comment, now: datetime) -> bool:
    """Mark the comment announced with one conditional ``UPDATE``: of two
    moderators approving it at the same moment, one sends the mail."""
    claimed = rowcount(
        db.session.execute(
            update(Comment)
            .where(Comment.id == comment.id, Comment.announced_at.is_(None))
            .values(announced_at=now)
            .execution_options(synchronize_session=False)
        )
    )
    set_committed_value(comment, "announced_at", now)
    return claimed == 1


def _recipients(comment: Comment) -> list[tuple[CommentSubscription, bool]]:
    """One active subscription per address to mail about ``comment``, and
    whether it is a reply to that address's comment: subscribers to the
    whole post, and to the comment it answers; never its own author; only
    subscriptions older than the comment (it is a follow-up)."""
    wanted = CommentSubscription.scope == SubscriptionScope.ALL
    if comment.parent_id is not None:
        wanted = or_(wanted, CommentSubscription.comment_id == comment.parent_id)
    found = db.session.scalars(
        select(CommentSubscription)
        .where(
            CommentSubscription.post_id == comment.post_id,
            CommentSubscription.status == SubscriptionStatus.ACTIVE,
            CommentSubscription.created_at <= comment.submitted_at,
            wanted,
        )
        .order_by(CommentSubscription.id)
    )
    author = comment.author_email.strip().lower()
    chosen: dict[str, tuple[CommentSubscription, bool]] = {}
    for subscription in found:
        address = subscription.email.strip().lower()
        is_reply = (
            comment.parent_id is not None
            and subscription.comment_id == comment.parent_id
        )
        if address != author and (address not in chosen or is_reply):
            chosen[address] = (subscription, is_reply)
    return list(chosen.values())
