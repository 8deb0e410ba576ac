"""The media library: uploaded images (with their resized variants) and
attachments (PDF), stored under server-chosen names in the instance folder,
and which posts' bodies refer to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.extensions import Model
from blog.models.base import UTCDateTime, utcnow
from blog.models.user import User

#: Which library items a post's body (or excerpt) shows or links to, by
#: ``media:ID`` or ``/media/<name>``; kept by rendering, so that the library
#: can say where each item is used without reading every body.
media_uses = Table(
    "media_uses",
    Model.metadata,
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "media_id",
        ForeignKey("media.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Media(Model):
    """An upload: an image (decoded, cleaned, re-encoded) or an attachment
    (a PDF, kept as sent and only ever served as a download)."""

    __tablename__ = "media"
    __table_args__ = (Index("ix_media_created_at_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(100), unique=True)
    mimetype: Mapped[str] = mapped_column(String(50))
    #: Pixels of the stored image; ``None`` for an attachment.
    width: Mapped[int | None]
    height: Mapped[int | None]
    original_name: Mapped[str] = mapped_column(String(255), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The file holds pixels only (stored by today's rules, or cleaned by
    #: ``flask media clean``); until then it may change, so no cache keeps it.
    pixels_only: Mapped[bool] = mapped_column(default=True, server_default=false())
    #: What the image shows, for people who cannot see it (the library's
    #: default when a body or featured image gives none).
    alt_text: Mapped[str] = mapped_column(String(300), default="", server_default="")
    caption: Mapped[str] = mapped_column(String(500), default="", server_default="")
    title: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: Size of the stored file (0: stored by a version that did not count).
    byte_size: Mapped[int] = mapped_column(default=0, server_default="0")

    uploaded_by: Mapped[User | None] = relationship()
    #: Smaller copies for ``srcset``, narrowest first; loaded with the image
    #: in one more query whatever the number of images.
    variants: Mapped[list[MediaVariant]] = relationship(
        back_populates="media",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(MediaVariant.width, MediaVariant.mimetype)",
        lazy="selectin",
    )

    @property
    def is_image(self) -> bool:
        return self.mimetype.startswith("image/")

    @property
    def label(self) -> str:
        """How people know the item: its title, else the name it was uploaded as."""
        return self.title or self.original_name or self.filename


class MediaVariant(Model):
    """An image resized (never enlarged) and encoded as WebP or in a format
    like the original's, from the stored image's pixels only."""

    __tablename__ = "media_variants"

    id: Mapped[int] = mapped_column(primary_key=True)
    media_id: Mapped[int] = mapped_column(
        ForeignKey("media.id", ondelete="CASCADE"), index=True
    )
    width: Mapped[int]
    height: Mapped[int]
    mimetype: Mapped[str] = mapped_column(String(50))
    filename: Mapped[str] = mapped_column(String(100), unique=True)
    byte_size: Mapped[int] = mapped_column(default=0)

    media: Mapped[Media] = relationship(back_populates="variants")
