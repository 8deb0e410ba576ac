"""Posts: articles (and events, which are posts of another kind)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    and_,
    false,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.extensions import Model
from blog.models.base import UTCDateTime, utcnow, value_enum
from blog.models.media import Media, media_uses
from blog.models.term import Taxonomy, Term, post_terms
from blog.models.user import User

if TYPE_CHECKING:
    from blog.models.event import Event


class PostKind(enum.StrEnum):
    ARTICLE = "article"
    EVENT = "event"
    PAGE = "page"  # a static page (About, Contact): no date, byline or category


class PostStatus(enum.StrEnum):
    DRAFT = "draft"
    PENDING = "pending"  # a contributor's post, waiting for review
    PUBLISHED = "published"  # live once published_at has passed (else scheduled)
    TRASH = "trash"


class Post(Model):
    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("kind", "slug", name="uq_posts_kind_slug"),
        # Archives by date: a page, its cursor (published_at, id) and its count.
        Index(
            "ix_posts_kind_status_published_at_id",
            "kind",
            "status",
            "published_at",
            "id",
        ),
        # The home page: sticky articles first, then by date.
        Index(
            "ix_posts_kind_status_sticky_published_at",
            "kind",
            "status",
            "sticky",
            "published_at",
            "id",
        ),
        # An author's archive, its pages and its count, from the index alone.
        Index(
            "ix_posts_author_id_kind_status_published_at",
            "author_id",
            "kind",
            "status",
            "published_at",
        ),
        # The dashboard's lists: most recently changed first.
        Index("ix_posts_kind_updated_at", "kind", "updated_at", "id"),
        Index("ix_posts_kind_parent_id_slug", "kind", "parent_id", "slug"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PostKind] = mapped_column(
        value_enum(PostKind), default=PostKind.ARTICLE
    )
    status: Mapped[PostStatus] = mapped_column(
        value_enum(PostStatus), default=PostStatus.DRAFT
    )
    title: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(200))
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    excerpt_source: Mapped[str] = mapped_column(Text, default="")
    excerpt_html: Mapped[str] = mapped_column(Text, default="")
    #: ``rendering.RENDERER_VERSION`` that produced the stored HTML.
    rendered_version: Mapped[int] = mapped_column(default=0)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )
    comments_open: Mapped[bool] = mapped_column(default=True)
    featured_image_id: Mapped[int | None] = mapped_column(
        ForeignKey("media.id", ondelete="SET NULL"), index=True
    )
    featured_image_alt: Mapped[str] = mapped_column(String(300), default="")
    featured_image_caption: Mapped[str] = mapped_column(String(500), default="")
    #: Counts saves; a save made from an older version is refused (optimistic
    #: locking: SQLAlchemy checks it in every UPDATE).
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    #: "Stick to the top of the blog": sticky articles lead the home page.
    sticky: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: A page's parent page (``/<parent>/<slug>/``); ``None`` at the top.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL")
    )
    #: Where a page sorts among its siblings.
    menu_order: Mapped[int] = mapped_column(default=0, server_default="0")

    #: "unnested": an inner join, but a LEFT OUTER one when it hangs off an
    #: outer join (a page's parent), rather than a nested ``(posts JOIN
    #: users)`` that SQLite evaluates by reading every post.
    author: Mapped[User] = relationship(
        lazy="joined",
        innerjoin="unnested",  # type: ignore[arg-type]  # documented, not typed
    )
    terms: Mapped[list[Term]] = relationship(
        secondary=post_terms, order_by=Term.name, lazy="selectin"
    )
    #: Joined with the post itself, so pages stay at a constant query count.
    featured_image: Mapped[Media | None] = relationship(lazy="joined")
    #: Library items the body and excerpt refer to; set by rendering.
    media_refs: Mapped[list[Media]] = relationship(
        secondary=media_uses, passive_deletes=True
    )
    #: An event's date, place and people (``None`` for articles).
    event: Mapped[Event | None] = relationship(
        back_populates="post", cascade="all, delete-orphan", passive_deletes=True
    )

    parent: Mapped[Post | None] = relationship(
        remote_side="Post.id", lazy="joined", join_depth=1
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def categories(self) -> list[Term]:
        return [t for t in self.terms if t.taxonomy == Taxonomy.CATEGORY]

    @property
    def primary_category(self) -> Term | None:
        """The category an article is filed under first (alphabetically):
        its section in sharing cards and its breadcrumb."""
        categories = self.categories
        return categories[0] if categories else None

    @property
    def tags(self) -> list[Term]:
        return [t for t in self.terms if t.taxonomy == Taxonomy.TAG]

    # The one rule for what readers see: published, and its date has come.
    # Both forms stay together: SQL for queries, Python for a loaded post.
    @classmethod
    def visible_at(cls, now: datetime) -> ColumnElement[bool]:
        """The posts readers may see at ``now``, as a query's condition."""
        return and_(cls.status == PostStatus.PUBLISHED, cls.published_at <= now)

    def is_visible(self, now: datetime) -> bool:
        """Whether readers may see this post at ``now`` (see :meth:`visible_at`)."""
        return (
            self.status == PostStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
        )

    @property
    def modified_at(self) -> datetime:
        """When readers last saw this post change: edited, or come due (a
        post scheduled ahead was saved before it was published)."""
        if self.published_at is None:
            return self.updated_at
        return max(self.updated_at, self.published_at)

    @property
    def is_scheduled(self) -> bool:
        """Published with a date still to come: readers see it then."""
        return self.status == PostStatus.PUBLISHED and not self.is_visible(utcnow())

    @classmethod
    def has_term(cls, *criteria: ColumnElement[bool]) -> ColumnElement[bool]:
        """The post carries a term matching ``criteria`` (``Term.id == 3``).

        A correlated ``EXISTS``, looked up in ``post_terms``'s primary key
        for each post a page reads, rather than an ``IN`` list of every post
        of the term built on each query (9,000 posts in a big category).
        """
        return (
            select(post_terms.c.post_id)
            .join(Term, Term.id == post_terms.c.term_id)
            .where(post_terms.c.post_id == cls.id, *criteria)
            .exists()
        )

    def __repr__(self) -> str:
        return f"<Post {self.kind}:{self.slug}>"


class SlugRedirect(Model):
    """An old slug that answers with a 301 to the post's current address."""

    __tablename__ = "slug_redirects"
    __table_args__ = (
        UniqueConstraint("kind", "old_slug", name="uq_slug_redirects_kind_old_slug"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PostKind] = mapped_column(value_enum(PostKind))
    old_slug: Mapped[str] = mapped_column(String(200))
    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), index=True
    )
