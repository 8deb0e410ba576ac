"""Comments on posts, and the log of everything that happened to each."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.extensions import Model
from blog.models.base import UTCDateTime, utcnow, value_enum
from blog.models.post import Post
from blog.models.user import User


class CommentStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    SPAM = "spam"
    TRASH = "trash"


class CommentKind(enum.StrEnum):
    """A reader's comment, or another site's notice that it linked here
    (WordPress's pingbacks and trackbacks, kept when a site is imported)."""

    COMMENT = "comment"
    PINGBACK = "pingback"
    TRACKBACK = "trackback"


class SpamCheck(enum.StrEnum):
    """What Akismet said; ``unchecked`` comments are retried by the recheck job."""

    UNCHECKED = "unchecked"
    HAM = "ham"
    SPAM = "spam"
    DISCARD = "discard"
    ERROR = "error"  # gave up retrying
    IMPORTED = "imported"  # came with an import: never sent to Akismet


class Comment(Model):
    __tablename__ = "comments"
    __table_args__ = (
        Index(
            "ix_comments_post_id_status_submitted_at",
            "post_id",
            "status",
            "submitted_at",
        ),
        # A page of a thread: its top-level comments (root_id NULL) in order,
        # then their replies, read from the index whatever the thread's size.
        Index(
            "ix_comments_post_id_status_root_id_submitted_at",
            "post_id",
            "status",
            "root_id",
            "submitted_at",
            "id",
        ),
        Index("ix_comments_status_submitted_at", "status", "submitted_at"),
        Index("ix_comments_author_email_submitted_at", "author_email", "submitted_at"),
        Index("ix_comments_author_ip_submitted_at", "author_ip", "submitted_at"),
        # Two identical concurrent submissions make one row.
        UniqueConstraint(
            "post_id", "content_hash", name="uq_comments_post_id_content_hash"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL"), index=True
    )
    #: The top-level comment an approved reply is shown under; ``None`` for
    #: a comment readers see at the top level, and for any comment they do
    #: not see. Kept by :mod:`blog.comments.roots` on every flush.
    root_id: Mapped[int | None]
    kind: Mapped[CommentKind] = mapped_column(
        value_enum(CommentKind),
        default=CommentKind.COMMENT,
        server_default=CommentKind.COMMENT.value,
    )
    #: Staff commenting as themselves; ``None`` for readers.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    author_name: Mapped[str] = mapped_column(String(100))
    author_email: Mapped[str] = mapped_column(String(254))
    author_url: Mapped[str] = mapped_column(String(200), default="")
    author_ip: Mapped[str] = mapped_column(String(45), default="")
    author_user_agent: Mapped[str] = mapped_column(String(500), default="")
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    #: ``rendering.RENDERER_VERSION`` that produced ``body_html``.
    rendered_version: Mapped[int] = mapped_column(default=0)
    status: Mapped[CommentStatus] = mapped_column(
        value_enum(CommentStatus), default=CommentStatus.PENDING
    )
    spam_check: Mapped[SpamCheck] = mapped_column(
        value_enum(SpamCheck), default=SpamCheck.UNCHECKED
    )
    submitted_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, index=True
    )
    #: The secret in the author's "awaiting moderation" link.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    #: sha256 of author and body: the same words twice from one author are a duplicate.
    content_hash: Mapped[str] = mapped_column(String(64))
    #: The Akismet fields as first submitted, for submit-spam and submit-ham.
    submitted: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: A moderator notification waits to be sent (mail was off or failed).
    notification_pending: Mapped[bool] = mapped_column(default=False, index=True)
    #: When its first approval was announced (follow-up mail to subscribers,
    #: the approval notice to its author): set once, so approving it again
    #: after an "Unapprove" mails nobody twice.
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    post: Mapped[Post] = relationship(lazy="joined", innerjoin=True)
    user: Mapped[User | None] = relationship(lazy="select")
    #: What happened to the comment, oldest first (the moderation history).
    history: Mapped[list[CommentLogEntry]] = relationship(
        back_populates="comment",
        order_by="CommentLogEntry.at, CommentLogEntry.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="select",
    )

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    def __repr__(self) -> str:
        return f"<Comment {self.id} {self.status}>"


class CommentLogEntry(Model):
    """One change to a comment: who, what, when, why."""

    __tablename__ = "comment_log_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="history")
    actor: Mapped[User | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<CommentLogEntry {self.comment_id} {self.action}>"
