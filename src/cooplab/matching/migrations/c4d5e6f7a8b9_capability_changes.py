"""capability change log

Revision ID: c4d5e6f7a8b9
Revises: b3c1d2e4f5a6
Create Date: 2026-12-02 04:50:00.000000

Every write the kept capability table depends on (a capability, or an organization's tier,
country or merge) is logged in the same transaction, so the table is brought up to date by
reading what the log names instead of a fingerprint of every row. An existing database starts
with an empty log: a table kept from before it was built is updated by fingerprints once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c4d5e6f7a8b9"
down_revision = "b3c1d2e4f5a6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "capability_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("capability_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capability_changes")),
    )


def downgrade() -> None:
    op.drop_table("capability_changes")
