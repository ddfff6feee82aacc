"""console: operators' accounts, login attempts, sessions, replays, the search index and the queue's indexes

Revision ID: 0008
Revises: 0007

The search index is of the database's own kind: an FTS5 table on SQLite (``unicode61`` with
diacritics removed, so ``perché`` finds ``perche``), a ``tsvector`` with a GIN index on
PostgreSQL built with the Italian configuration (stemming: ``lampioni`` finds ``lampione``).
"""
from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=200), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_login_attempts_name_at", "login_attempts", ["name", "at"])
    op.create_table(
        "console_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False, unique=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "replays",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("outbox_pk", sa.Integer(), sa.ForeignKey("outbox.id"), nullable=False, index=True),
        sa.Column("operator", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    # The queue: keyset pages by arrival, and the latest classification, correction, routing
    # state and mailbox of each message found by index.
    op.create_index("ix_messages_received_at_id", "messages", ["received_at", "id"])
    op.create_index("ix_classifications_message_pk_id", "classifications", ["message_pk", "id"])
    op.create_index("ix_corrections_message_pk_id", "corrections", ["message_pk", "id"])
    op.create_index("ix_outbox_message_pk_status", "outbox", ["message_pk", "status"])
    op.create_index("ix_sightings_mailbox_message_pk", "sightings", ["mailbox", "message_pk"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE TABLE message_search (message_pk integer PRIMARY KEY REFERENCES messages(id), "
                   "document tsvector NOT NULL)")
        op.execute("CREATE INDEX ix_message_search_document ON message_search USING gin (document)")
    else:
        op.execute("CREATE VIRTUAL TABLE message_search USING fts5(subject, body, sender, "
                   "tokenize = 'unicode61 remove_diacritics 2')")


def downgrade() -> None:
    op.execute("DROP TABLE message_search")
    for name, table in (("ix_sightings_mailbox_message_pk", "sightings"), ("ix_outbox_message_pk_status", "outbox"),
                        ("ix_corrections_message_pk_id", "corrections"),
                        ("ix_classifications_message_pk_id", "classifications"),
                        ("ix_messages_received_at_id", "messages")):
        op.drop_index(name, table_name=table)
    op.drop_table("replays")
    op.drop_table("console_sessions")
    op.drop_index("ix_login_attempts_name_at", table_name="login_attempts")
    op.drop_table("login_attempts")
    op.drop_table("users")
