"""events: event details, people and sponsors; featured images on posts.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 02:40:00

Written by hand so that it does not depend on what 0002 (comments) holds.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('featured_image_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('featured_image_alt', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('featured_image_caption', sa.String(length=500), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_posts_featured_image_id'), ['featured_image_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_posts_featured_image_id_media'), 'media',
            ['featured_image_id'], ['id'], ondelete='SET NULL',
        )

    op.create_table('events',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('all_day', sa.Boolean(), nullable=False),
    sa.Column('venue_name', sa.String(length=200), nullable=False),
    sa.Column('venue_address', sa.String(length=500), nullable=False),
    sa.Column('room', sa.String(length=200), nullable=False),
    sa.Column('online_url', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('registration_url', sa.String(length=500), nullable=False),
    sa.Column('cost', sa.String(length=100), nullable=False),
    sa.Column('contact_name', sa.String(length=100), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('contact_phone', sa.String(length=50), nullable=False),
    sa.Column('accommodations_deadline', sa.Date(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_events_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_ends_at'), ['ends_at'], unique=False)

    op.create_table('event_people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('affiliation', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.post_id'], name=op.f('fk_event_people_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_people'))
    )
    with op.batch_alter_table('event_people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_people_event_id'), ['event_id'], unique=False)

    op.create_table('event_sponsors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.post_id'], name=op.f('fk_event_sponsors_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_sponsors'))
    )
    with op.batch_alter_table('event_sponsors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_sponsors_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('event_sponsors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_sponsors_event_id'))
    op.drop_table('event_sponsors')
    with op.batch_alter_table('event_people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_people_event_id'))
    op.drop_table('event_people')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_ends_at'))
        batch_op.drop_index(batch_op.f('ix_events_starts_at'))
    op.drop_table('events')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_posts_featured_image_id_media'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_posts_featured_image_id'))
        batch_op.drop_column('featured_image_caption')
        batch_op.drop_column('featured_image_alt')
        batch_op.drop_column('featured_image_id')
