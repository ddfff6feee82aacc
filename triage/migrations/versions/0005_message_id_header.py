"""The Message-ID header's column says what it holds: ``message_id_header``, apart from the key ``id``

Revision ID: 0005
Revises: 0004
"""
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Two batches: on SQLite a batch rebuilds the table, and the new name exists only after the first.
    with op.batch_alter_table("messages") as batch:
        batch.drop_index("ix_messages_message_id")
        batch.drop_constraint("uq_messages_identity", type_="unique")
        batch.alter_column("message_id", new_column_name="message_id_header")
    with op.batch_alter_table("messages") as batch:
        batch.create_index("ix_messages_message_id_header", ["message_id_header"], unique=False)
        batch.create_unique_constraint("uq_messages_identity", ["message_id_header", "sha256"])


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_index("ix_messages_message_id_header")
        batch.drop_constraint("uq_messages_identity", type_="unique")
        batch.alter_column("message_id_header", new_column_name="message_id")
    with op.batch_alter_table("messages") as batch:
        batch.create_index("ix_messages_message_id", ["message_id"], unique=False)
        batch.create_unique_constraint("uq_messages_identity", ["message_id", "sha256"])
