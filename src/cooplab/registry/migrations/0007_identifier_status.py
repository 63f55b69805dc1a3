"""identifier status

Revision ID: 0007
Revises: af957a2e22dc
Create Date: 2026-12-01 17:00:00.000000

Identifiers get a status: verified (set by an analyst, an administrator, the command line or an
import) or unverified (a member's claim). Only verified identifiers are unique per scheme, so a
member's claim never blocks the organization that really holds the number. Every identifier
stored before this revision was set by an editor and is kept verified.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "af957a2e22dc"
branch_labels = None
depends_on = None


def upgrade() -> None:

    with op.batch_alter_table("identifiers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("verified", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.drop_constraint("uq_identifiers_scheme_value", type_="unique")
        batch_op.create_index("ix_identifiers_scheme_value", ["scheme", "value"], unique=False)
    op.create_index(
        "uq_identifiers_verified",
        "identifiers",
        ["scheme", "value"],
        unique=True,
        sqlite_where=sa.text("verified"),
        postgresql_where=sa.text("verified"),
    )


def downgrade() -> None:

    op.drop_index("uq_identifiers_verified", table_name="identifiers")
    op.execute("DELETE FROM identifiers WHERE NOT verified")  # claims have no place in the old schema
    with op.batch_alter_table("identifiers", schema=None) as batch_op:
        batch_op.drop_index("ix_identifiers_scheme_value")
        batch_op.create_unique_constraint("uq_identifiers_scheme_value", ["scheme", "value"])
        batch_op.drop_column("verified")
