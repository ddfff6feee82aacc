"""resolutions: who closed a request (an operator's name or the API key of the ticketing system)

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # resolved_at came with 0009 (the reports' service levels and backlog read it); until now
    # only the Alessandria loader wrote it, so no row has a resolver to backfill.
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("resolved_by", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("resolved_by")
