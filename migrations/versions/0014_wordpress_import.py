"""Moving from WordPress: import_links (each imported item's WordPress id
and GUID, so an import runs again without duplicates), import_runs (imports
started from the dashboard), redirects (old addresses answering 301),
comments.kind (pingbacks and trackbacks) and terms.parent_id (nested
categories).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27 07:03:00

"""

import sqlalchemy as sa
from alembic import op

import blog.models.base


# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "import_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_site", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.String(length=100), nullable=False),
        sa.Column("guid", sa.String(length=500), nullable=False),
        sa.Column("local_id", sa.Integer(), nullable=False),
        sa.Column("created_at", blog.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_links")),
        sa.UniqueConstraint(
            "source_site", "kind", "source_id", name="uq_import_links_source"
        ),
    )
    with op.batch_alter_table("import_links", schema=None) as batch_op:
        batch_op.create_index(
            "ix_import_links_source_site_guid", ["source_site", "guid"], unique=False
        )

    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("stored_path", sa.String(length=500), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "queued",
                "running",
                "done",
                "failed",
                name="importstate",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", blog.models.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", blog.models.base.UTCDateTime(), nullable=False),
        sa.Column("bytes_total", sa.BigInteger(), nullable=False),
        sa.Column("bytes_done", sa.BigInteger(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["started_by_id"],
            ["users.id"],
            name=op.f("fk_import_runs_started_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_runs")),
    )
    op.create_table(
        "redirects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("target", sa.String(length=500), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("created_at", blog.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_redirects_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_redirects")),
        sa.UniqueConstraint("source", name=op.f("uq_redirects_source")),
    )
    with op.batch_alter_table("redirects", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_redirects_post_id"), ["post_id"], unique=False
        )

    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "kind",
                sa.Enum(
                    "comment",
                    "pingback",
                    "trackback",
                    name="commentkind",
                    native_enum=False,
                    length=20,
                ),
                server_default="comment",
                nullable=False,
            )
        )

    with op.batch_alter_table("terms", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_terms_parent_id"), ["parent_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_terms_parent_id_terms"),
            "terms",
            ["parent_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("terms", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_terms_parent_id_terms"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_terms_parent_id"))
        batch_op.drop_column("parent_id")

    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_column("kind")

    with op.batch_alter_table("redirects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_redirects_post_id"))

    op.drop_table("redirects")
    op.drop_table("import_runs")
    with op.batch_alter_table("import_links", schema=None) as batch_op:
        batch_op.drop_index("ix_import_links_source_site_guid")

    op.drop_table("import_links")
