"""comments: comments on posts and their audit trail

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 02:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=100), nullable=False),
    sa.Column('author_email', sa.String(length=254), nullable=False),
    sa.Column('author_url', sa.String(length=200), nullable=False),
    sa.Column('author_ip', sa.String(length=45), nullable=False),
    sa.Column('author_user_agent', sa.String(length=500), nullable=False),
    sa.Column('body_source', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('rendered_version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('spam_check', sa.String(length=20), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('submitted', sa.JSON(), nullable=False),
    sa.Column('notification_pending', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['comments.id'], name=op.f('fk_comments_parent_id_comments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_comments_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_comments_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments')),
    sa.UniqueConstraint('post_id', 'content_hash', name='uq_comments_post_id_content_hash'),
    sa.UniqueConstraint('token', name=op.f('uq_comments_token'))
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_author_email_submitted_at', ['author_email', 'submitted_at'], unique=False)
        batch_op.create_index('ix_comments_author_ip_submitted_at', ['author_ip', 'submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_notification_pending'), ['notification_pending'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_post_id'), ['post_id'], unique=False)
        batch_op.create_index('ix_comments_post_id_status_submitted_at', ['post_id', 'status', 'submitted_at'], unique=False)
        batch_op.create_index('ix_comments_status_submitted_at', ['status', 'submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_submitted_at'), ['submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_user_id'), ['user_id'], unique=False)

    op.create_table('comment_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_comment_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_comment_events_comment_id_comments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_events'))
    )
    with op.batch_alter_table('comment_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_events_comment_id'), ['comment_id'], unique=False)


def downgrade():
    with op.batch_alter_table('comment_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_events_comment_id'))

    op.drop_table('comment_events')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_user_id'))
        batch_op.drop_index(batch_op.f('ix_comments_submitted_at'))
        batch_op.drop_index('ix_comments_status_submitted_at')
        batch_op.drop_index('ix_comments_post_id_status_submitted_at')
        batch_op.drop_index(batch_op.f('ix_comments_post_id'))
        batch_op.drop_index(batch_op.f('ix_comments_parent_id'))
        batch_op.drop_index(batch_op.f('ix_comments_notification_pending'))
        batch_op.drop_index('ix_comments_author_ip_submitted_at')
        batch_op.drop_index('ix_comments_author_email_submitted_at')

    op.drop_table('comments')
