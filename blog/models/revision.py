"""What keeps editors from losing work: revisions of every save, per-user
autosaves, and who has a post open in the editor."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.extensions import Model
from blog.models.base import UTCDateTime, utcnow, value_enum
from blog.models.post import Post, PostKind
from blog.models.user import User


class PostRevision(Model):
    """A post as one save left it: its title and body, and in ``content``
    the rest (slug, excerpt, categories, tags, an event's details)."""

    __tablename__ = "post_revisions"
    __table_args__ = (Index("ix_post_revisions_post_id_id", "post_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    title: Mapped[str] = mapped_column(String(300))
    body_source: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: What made it, when not a plain save ("Restored from the revision of …").
    note: Mapped[str] = mapped_column(String(200), default="")

    author: Mapped[User | None] = relationship(lazy="joined")
    post: Mapped[Post] = relationship()


class PostAutosave(Model):
    """One person's unsaved text of a post (or of a new one, ``post_id`` None),
    kept apart from the post until they restore it."""

    __tablename__ = "post_autosaves"
    __table_args__ = (Index("ix_post_autosaves_user_id_post_id", "user_id", "post_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[PostKind] = mapped_column(value_enum(PostKind))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The post's version the text was written against.
    base_version: Mapped[int] = mapped_column(default=0)
    #: The editor's fields by name, as the form sent them.
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class PostEditor(Model):
    """Someone has the post open in the editor (refreshed while they do)."""

    __tablename__ = "post_editors"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")
