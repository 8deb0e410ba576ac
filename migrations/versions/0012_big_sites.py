"""Big sites: comments.root_id (the top-level comment an approved reply is
shown under) and indexes that keep every page's cost flat as a site grows.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 12:00:00

``root_id`` is computed here for the comments already there; from now on
``blog.comments.roots`` keeps it on every change.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('root_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_comments_post_id_status_root_id_submitted_at', ['post_id', 'status', 'root_id', 'submitted_at', 'id'], unique=False)

    with op.batch_alter_table('post_terms', schema=None) as batch_op:
        batch_op.drop_index('ix_post_terms_term_id')
        batch_op.create_index('ix_post_terms_term_id_post_id', ['term_id', 'post_id'], unique=False)

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_kind_status_published_at')
        batch_op.create_index('ix_posts_kind_status_published_at_id', ['kind', 'status', 'published_at', 'id'], unique=False)
        batch_op.drop_index('ix_posts_author_id_published_at')
        batch_op.create_index('ix_posts_author_id_kind_status_published_at', ['author_id', 'kind', 'status', 'published_at'], unique=False)
        batch_op.create_index('ix_posts_kind_status_sticky_published_at', ['kind', 'status', 'sticky', 'published_at', 'id'], unique=False)
        batch_op.create_index('ix_posts_kind_updated_at', ['kind', 'updated_at', 'id'], unique=False)

    _fill_root_ids(op.get_bind())


def _fill_root_ids(connection):
    """Each approved reply under an approved parent is shown in its parent's
    thread; every other comment has no root (as blog.comments.roots keeps it)."""
    comments = sa.table(
        'comments', sa.column('id'), sa.column('parent_id'), sa.column('status'), sa.column('root_id')
    )
    parents = dict(
        connection.execute(
            sa.select(comments.c.id, comments.c.parent_id).where(comments.c.status == 'approved')
        ).all()
    )
    roots = {}
    for start in parents:
        chain, seen = [], set()
        current = start
        while current in parents and current not in roots and current not in seen:
            chain.append(current)
            seen.add(current)
            current = parents[current]
        for comment_id in reversed(chain):
            parent = parents[comment_id]
            if parent in parents:  # an approved parent
                roots[comment_id] = roots.get(parent) or parent
            else:
                roots[comment_id] = None
    rows = [{'c_id': c, 'c_root': r} for c, r in roots.items() if r is not None]
    update = (
        comments.update()
        .where(comments.c.id == sa.bindparam('c_id'))
        .values(root_id=sa.bindparam('c_root'))
    )
    for start in range(0, len(rows), BATCH):
        connection.execute(update, rows[start:start + BATCH])


def downgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_kind_updated_at')
        batch_op.drop_index('ix_posts_kind_status_sticky_published_at')
        batch_op.drop_index('ix_posts_author_id_kind_status_published_at')
        batch_op.create_index('ix_posts_author_id_published_at', ['author_id', 'published_at'], unique=False)
        batch_op.drop_index('ix_posts_kind_status_published_at_id')
        batch_op.create_index('ix_posts_kind_status_published_at', ['kind', 'status', 'published_at'], unique=False)

    with op.batch_alter_table('post_terms', schema=None) as batch_op:
        batch_op.drop_index('ix_post_terms_term_id_post_id')
        batch_op.create_index('ix_post_terms_term_id', ['term_id'], unique=False)

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_post_id_status_root_id_submitted_at')
        batch_op.drop_column('root_id')
