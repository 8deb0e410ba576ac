"""Terms: categories and tags (and, for events, audiences and units)."""

from __future__ import annotations

import enum

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blog.extensions import Model
from blog.models.base import value_enum


class Taxonomy(enum.StrEnum):
    CATEGORY = "category"
    TAG = "tag"
    AUDIENCE = "audience"  # an event's "Open to"
    UNIT = "unit"  # an event's organising units


post_terms = Table(
    "post_terms",
    Model.metadata,
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("term_id", ForeignKey("terms.id", ondelete="CASCADE"), primary_key=True),
    # A term's posts from the index alone (menus, archives, counts).
    Index("ix_post_terms_term_id_post_id", "term_id", "post_id"),
)


class Term(Model):
    __tablename__ = "terms"
    __table_args__ = (
        UniqueConstraint("taxonomy", "slug", name="uq_terms_taxonomy_slug"),
        UniqueConstraint("taxonomy", "name", name="uq_terms_taxonomy_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    taxonomy: Mapped[Taxonomy] = mapped_column(value_enum(Taxonomy))
    name: Mapped[str] = mapped_column(String(100))
    slug: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    #: A category's parent category (WordPress's nested categories).
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("terms.id", ondelete="SET NULL"), index=True
    )

    parent: Mapped[Term | None] = relationship(remote_side="Term.id", lazy="select")

    def __repr__(self) -> str:
        return f"<Term {self.taxonomy}:{self.slug}>"


__all__ = ["Taxonomy", "Term", "post_terms"]
