"""catalog state and stored implementations

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 09:20:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    state = op.create_table(
        'catalog_state',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('registry_digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    # the one row; an empty digest makes the next start-up match methods to the registry
    op.bulk_insert(state, [{'id': 1, 'version': 0, 'registry_digest': ''}])
    with op.batch_alter_table('method', schema=None) as batch_op:
        batch_op.add_column(sa.Column('implementation_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.add_column(
            sa.Column(
                'implementation_status',
                sqlmodel.sql.sqltypes.AutoString(length=20),
                server_default='missing',
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                'implementation_reason',
                sqlmodel.sql.sqltypes.AutoString(length=1000),
                server_default='',
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table('method', schema=None) as batch_op:
        batch_op.drop_column('implementation_reason')
        batch_op.drop_column('implementation_status')
        batch_op.drop_column('implementation_id')
    op.drop_table('catalog_state')
