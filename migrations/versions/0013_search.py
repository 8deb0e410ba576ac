"""Full-text search: search_documents (a post's title and plain text) and
the database's own index over it, built for the posts already there.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-15 12:00:00

SQLite gets an FTS5 table kept by triggers; PostgreSQL a generated
``tsvector`` column with a GIN index (blog.search.schema). From now on
blog.search.indexing keeps the documents on every change.
"""

import sqlalchemy as sa
from alembic import op

from blog.search import indexing, schema

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "search_documents",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_search_documents_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("post_id", name=op.f("pk_search_documents")),
    )
    connection = op.get_bind()
    schema.install(connection)
    indexing.rebuild(connection)


def downgrade():
    schema.uninstall(op.get_bind())
    op.drop_table("search_documents")
