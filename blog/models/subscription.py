"""Readers' follow-up subscriptions: "Notify me of follow-up comments by email."

A subscription starts ``pending`` and becomes ``active`` when its owner
follows the link in the confirmation email (double opt-in); it is
``ended`` by the one-click unsubscribe, the subscriptions page, or an
erasure request. Ended rows are kept (without being mailed again) so a
reader who ended one is not asked twice by the same form.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.extensions import Model
from blog.models.base import UTCDateTime, utcnow, value_enum
from blog.models.post import Post


class SubscriptionScope(enum.StrEnum):
    #: Replies to the comment the reader subscribed with.
    REPLIES = "replies"
    #: Every new comment on the post.
    ALL = "all"


class SubscriptionStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for the confirmation link
    ACTIVE = "active"
    ENDED = "ended"


class CommentSubscription(Model):
    __tablename__ = "comment_subscriptions"
    __table_args__ = (
        Index("ix_comment_subscriptions_post_id_status", "post_id", "status"),
        Index("ix_comment_subscriptions_email", "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    #: The comment it was made with: its replies are what ``replies`` means.
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL"), index=True
    )
    #: Stored as typed in the comment form (compared case-insensitively).
    email: Mapped[str] = mapped_column(String(254))
    scope: Mapped[SubscriptionScope] = mapped_column(value_enum(SubscriptionScope))
    status: Mapped[SubscriptionStatus] = mapped_column(
        value_enum(SubscriptionStatus), default=SubscriptionStatus.PENDING
    )
    #: The secret in the confirmation and unsubscribe links.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    post: Mapped[Post] = relationship(lazy="joined", innerjoin=True)

    def __repr__(self) -> str:
        return f"<CommentSubscription {self.id} {self.scope} {self.status}>"
