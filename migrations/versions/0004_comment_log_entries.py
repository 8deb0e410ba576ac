"""comment_events becomes comment_log_entries (the CommentLogEntry model).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 08:00:00

The audit rows of comments were called "events", which collided with the
events calendar. The table is copied rather than renamed so that its
constraints and index get the names the naming convention gives them on
every database (SQLite keeps old constraint names through a rename).
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

COLUMNS = 'id, comment_id, actor_id, action, note, at'


def _create(name):
    op.create_table(name,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f(f'fk_{name}_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f(f'fk_{name}_comment_id_comments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}'))
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{name}_comment_id'), ['comment_id'], unique=False)


def _move(source, target):
    _create(target)
    op.execute(f'INSERT INTO {target} ({COLUMNS}) SELECT {COLUMNS} FROM {source}')
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        # Rows kept their ids: start the new table's sequence after them.
        op.execute(
            f"SELECT setval(pg_get_serial_sequence('{target}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {target}), 0) + 1, false)"
        )
    with op.batch_alter_table(source, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f(f'ix_{source}_comment_id'))
    op.drop_table(source)


def upgrade():
    _move('comment_events', 'comment_log_entries')


def downgrade():
    _move('comment_log_entries', 'comment_events')
