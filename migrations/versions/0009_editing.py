"""Editing without fear: revisions, autosaves, who is editing, a version
for optimistic locking, sticky articles, and pages (kind ``page``) with a
parent and an order.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 14:10:52

Downgrading keeps the pages' text: they become draft articles (their slug
gets ``-page-<id>`` so it cannot collide with an article's).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('post_autosaves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('article', 'event', 'page', name='postkind', native_enum=False, length=20), nullable=False),
    sa.Column('saved_at', sa.DateTime(), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_autosaves_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_post_autosaves_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_autosaves'))
    )
    with op.batch_alter_table('post_autosaves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_autosaves_post_id'), ['post_id'], unique=False)
        batch_op.create_index('ix_post_autosaves_user_id_post_id', ['user_id', 'post_id'], unique=False)

    op.create_table('post_editors',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_editors_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_post_editors_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'user_id', name=op.f('pk_post_editors'))
    )
    with op.batch_alter_table('post_editors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_editors_user_id'), ['user_id'], unique=False)

    op.create_table('post_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body_source', sa.Text(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_post_revisions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_revisions_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_revisions'))
    )
    with op.batch_alter_table('post_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_revisions_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_post_revisions_post_id_id', ['post_id', 'id'], unique=False)

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('sticky', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('menu_order', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index('ix_posts_kind_parent_id_slug', ['kind', 'parent_id', 'slug'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_posts_parent_id_posts'), 'posts', ['parent_id'], ['id'], ondelete='SET NULL')



def downgrade():
    op.execute(
        "UPDATE posts SET kind = 'article', status = 'draft', "
        "slug = slug || '-page-' || CAST(id AS VARCHAR(20)) WHERE kind = 'page'"
    )
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_posts_parent_id_posts'), type_='foreignkey')
        batch_op.drop_index('ix_posts_kind_parent_id_slug')
        batch_op.drop_column('menu_order')
        batch_op.drop_column('parent_id')
        batch_op.drop_column('sticky')
        batch_op.drop_column('version')

    with op.batch_alter_table('post_revisions', schema=None) as batch_op:
        batch_op.drop_index('ix_post_revisions_post_id_id')
        batch_op.drop_index(batch_op.f('ix_post_revisions_author_id'))

    op.drop_table('post_revisions')
    with op.batch_alter_table('post_editors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_post_editors_user_id'))

    op.drop_table('post_editors')
    with op.batch_alter_table('post_autosaves', schema=None) as batch_op:
        batch_op.drop_index('ix_post_autosaves_user_id_post_id')
        batch_op.drop_index(batch_op.f('ix_post_autosaves_post_id'))

    op.drop_table('post_autosaves')
