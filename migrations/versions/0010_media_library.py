"""The media library: alt text, caption, title and size of each upload;
attachments (PDF, without pixel sizes); resized variants of images; which
posts' bodies use which upload.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 15:20:00

Uploads stored before this version have a size of 0 and no variants until
``flask --app blog media variants`` (or ``media clean``) has made them; posts
get their ``srcset`` and the record of the images they use from
``flask --app blog render``.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.add_column(sa.Column('alt_text', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('caption', sa.String(length=500), server_default='', nullable=False))
        batch_op.add_column(sa.Column('title', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('byte_size', sa.Integer(), server_default='0', nullable=False))
        batch_op.alter_column('width', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('height', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index('ix_media_created_at_id', ['created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_media_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    op.create_table('media_variants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('media_id', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('mimetype', sa.String(length=50), nullable=False),
    sa.Column('filename', sa.String(length=100), nullable=False),
    sa.Column('byte_size', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['media_id'], ['media.id'], name=op.f('fk_media_variants_media_id_media'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_variants')),
    sa.UniqueConstraint('filename', name=op.f('uq_media_variants_filename'))
    )
    with op.batch_alter_table('media_variants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_variants_media_id'), ['media_id'], unique=False)

    op.create_table('media_uses',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('media_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['media_id'], ['media.id'], name=op.f('fk_media_uses_media_id_media'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_media_uses_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'media_id', name=op.f('pk_media_uses'))
    )
    with op.batch_alter_table('media_uses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_uses_media_id'), ['media_id'], unique=False)


def downgrade():
    with op.batch_alter_table('media_uses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_uses_media_id'))

    op.drop_table('media_uses')
    with op.batch_alter_table('media_variants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_variants_media_id'))

    op.drop_table('media_variants')
    # Versions before this one know images only, each with a size: the
    # attachments' rows go (their files stay in the uploads folder).
    op.execute("DELETE FROM media WHERE width IS NULL OR height IS NULL")
    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_uploaded_by_id'))
        batch_op.drop_index('ix_media_created_at_id')
        batch_op.alter_column('height', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('width', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('byte_size')
        batch_op.drop_column('title')
        batch_op.drop_column('caption')
        batch_op.drop_column('alt_text')
