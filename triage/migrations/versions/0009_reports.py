"""reports: when a request was resolved, its service domain when the channel tells it, and the
indexes the statistical reports' period scans need

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("domain", sa.String(length=100), nullable=True))
    # The period's arrivals (ix_messages_received_at_id), the latest classification and
    # correction of each (ix_*_message_pk_id) and its on-call deliveries (ix_outbox_message_pk_status)
    # are found by the indexes of 0008; the backlog counts resolutions by day, and the latest
    # routing and the first mailbox of each message are looked up per message.
    op.create_index("ix_messages_resolved_at", "messages", ["resolved_at"])
    op.create_index("ix_routings_message_pk_id", "routings", ["message_pk", "id"])
    op.create_index("ix_sightings_message_pk_id", "sightings", ["message_pk", "id"])


def downgrade() -> None:
    for name, table in (("ix_sightings_message_pk_id", "sightings"), ("ix_routings_message_pk_id", "routings"),
                        ("ix_messages_resolved_at", "messages")):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("domain")
        batch.drop_column("resolved_at")
