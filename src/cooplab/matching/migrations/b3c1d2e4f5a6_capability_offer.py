"""capability offer

Revision ID: b3c1d2e4f5a6
Revises: 0007
Create Date: 2026-12-01 19:50:00.000000

A capability may state an offer price for its part (per unit, in a currency, under an
Incoterm, with the units one truck carries), so a ranking can price the part landed at the
need's delivery place and set it against the need's target price.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "b3c1d2e4f5a6"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("capabilities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit_price", sa.Numeric(18, 4), nullable=True))
        batch_op.add_column(sa.Column("price_currency", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("incoterm", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("units_per_shipment", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("capabilities", schema=None) as batch_op:
        batch_op.drop_column("units_per_shipment")
        batch_op.drop_column("incoterm")
        batch_op.drop_column("price_currency")
        batch_op.drop_column("unit_price")
