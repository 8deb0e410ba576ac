"""The search index's documents: one row of plain text per post.

:mod:`blog.search` keeps the rows and the database's own full-text index
over them (SQLite FTS5, PostgreSQL ``tsvector``); those parts differ by
database, so they are made by DDL events (:mod:`blog.search.schema`) and
migration 0013 rather than described here.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from blog.extensions import Model


class SearchDocument(Model):
    """What search reads of a post: its title, and the plain text of its
    body, excerpt, categories and tags. Every status is indexed (the
    dashboard searches drafts too); readers' searches filter by
    :meth:`blog.models.Post.visible_at` when they run."""

    __tablename__ = "search_documents"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    title: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text, default="")
