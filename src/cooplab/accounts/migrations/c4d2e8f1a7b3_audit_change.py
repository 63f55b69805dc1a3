"""audit change: the entries one user action writes share a change id

Revision ID: c4d2e8f1a7b3
Revises: c4d5e6f7a8b9
Create Date: 2026-12-02 04:50:00.000000

Every write of one transaction carries the same change id, so the audit log can show one line per
user action with its parts folded in. Entries written before this revision do not know which
action they were part of: each becomes a change of its own.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c4d2e8f1a7b3"
down_revision = "c4d5e6f7a8b9"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_id", sa.String(length=32), nullable=True))
    op.execute("UPDATE audit_log SET change_id = 'entry' || CAST(id AS VARCHAR(20))")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("change_id", existing_type=sa.String(length=32), nullable=False)
        batch_op.create_index("ix_audit_log_change_id", ["change_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_change_id")
        batch_op.drop_column("change_id")
