"""comments: reserved revision slot, filled in by the comments feature.

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
    pass


def downgrade():
    pass
