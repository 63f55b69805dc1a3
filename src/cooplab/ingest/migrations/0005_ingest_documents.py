"""ingest documents

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 13:56:47.507533
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "ingest_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("mission_id", sa.Integer(), nullable=True),
        sa.Column("visibility", sa.String(length=20), nullable=False),
        sa.Column("owner_organization_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mission_id"],
            ["missions.id"],
            name=op.f("fk_ingest_documents_mission_id_missions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_organization_id"],
            ["organizations.id"],
            name=op.f("fk_ingest_documents_owner_organization_id_organizations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_ingest_documents_source_id_sources"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingest_documents")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_ingest_documents_content_hash")),
    )
    with op.batch_alter_table("ingest_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ingest_documents_owner_organization_id"), ["owner_organization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_ingest_documents_status"), ["status"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("ingest_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ingest_documents_status"))
        batch_op.drop_index(batch_op.f("ix_ingest_documents_owner_organization_id"))

    op.drop_table("ingest_documents")
