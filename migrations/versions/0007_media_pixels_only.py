"""media.pixels_only: whether a stored file holds pixels only.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 09:30:00

Files stored by earlier versions may still hold JPEG or GIF comments, so
they start as False: they are served without ``immutable`` until
``flask --app blog media clean`` has rewritten (or checked) them.
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('pixels_only', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.drop_column('pixels_only')
