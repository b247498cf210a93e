"""catalog change log: the methods each catalog version changed

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 12:50:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # empty: a replica behind the catalog finds no rows for the versions it lacks and rebuilds
    op.create_table(
        "catalog_change",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("slugs", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("version"),
    )


def downgrade() -> None:
    op.drop_table("catalog_change")
