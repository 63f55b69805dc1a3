"""record creators: every confidential record remembers the user who created it; drafts are private

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 12:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = ("missions", "events", "agreements", "action_items", "ingest_documents")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                f"fk_{table}_created_by_id_users", "users", ["created_by_id"], ["id"], ondelete="SET NULL"
            )
    # drafts were shown to every signed-in user; they are for the editors now
    op.execute("UPDATE ingest_documents SET visibility = 'organization' WHERE status = 'draft'")


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_created_by_id_users", type_="foreignkey")
            batch_op.drop_column("created_by_id")
