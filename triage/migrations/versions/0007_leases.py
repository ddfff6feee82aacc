"""Leases: one poller at a time reads a mailbox folder, whatever the number of workers

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "leases",
        sa.Column("mailbox", sa.String(length=200), nullable=False),
        sa.Column("folder", sa.String(length=500), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("mailbox", "folder"),
    )


def downgrade() -> None:
    op.drop_table("leases")
