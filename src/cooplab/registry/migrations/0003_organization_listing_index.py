"""organization listing index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 13:39:22.116100
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:

    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.create_index("ix_organizations_listing", ["merged_into_id", "name", "id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_index("ix_organizations_listing")
