"""The content version of the public pages (the page cache's key).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 10:00:00

One row, bumped by every change a public page can show; cached pages and
the ETag carry it.
"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    cache_state = op.create_table('cache_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('next_due', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cache_state'))
    )
    # Due at once: the first read bumps the version, which finds the next
    # scheduled post or event end of the data already there.
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    op.bulk_insert(cache_state, [{'id': 1, 'version': 1, 'changed_at': now, 'next_due': now}])


def downgrade():
    op.drop_table('cache_state')
