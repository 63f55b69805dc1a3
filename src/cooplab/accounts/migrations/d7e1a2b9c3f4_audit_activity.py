"""audit activity: an action of many writes is named as a whole

Revision ID: d7e1a2b9c3f4
Revises: c4d2e8f1a7b3
Create Date: 2026-12-03 14:30:00.000000

An import, a merge, a report's acceptance or the demo load writes many records in one change; the
change now carries what it was, so the audit log heads it with that instead of its first write.
Entries written before this revision are not named: the log shows them as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "d7e1a2b9c3f4"
down_revision = "c4d2e8f1a7b3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("activity", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("activity")
