"""FAQ: published entries, their revisions and paraphrases, questions read from messages, decisions

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "faq_entries",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("published_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_index("ix_faq_entries_status", "faq_entries", ["status"])
    op.create_table(
        "faq_revisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("faq_id", sa.String(64), sa.ForeignKey("faq_entries.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("editor", sa.String(200), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_faq_revisions_faq_id", "faq_revisions", ["faq_id"])
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("message_pk", sa.Integer(), sa.ForeignKey("messages.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sender_key", sa.String(64), nullable=False),
        sa.Column("mailbox", sa.String(200)),
        sa.Column("domain", sa.String(100)),
        sa.Column("asked_at", TS, nullable=False),
        sa.Column("nearest_faq_id", sa.String(64)),
        sa.Column("nearest_score", sa.Float()),
        sa.Column("faq_id", sa.String(64)),
        sa.Column("link", sa.String(16)),
        sa.Column("cluster_id", sa.Integer()),
        sa.Column("vector", sa.LargeBinary()),
        sa.Column("created_at", TS, nullable=False),
    )
    for column in ("message_pk", "asked_at", "faq_id", "cluster_id"):
        op.create_index(f"ix_questions_{column}", "questions", [column])
    op.create_table(
        "faq_paraphrases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("faq_id", sa.String(64), sa.ForeignKey("faq_entries.id"), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("question_pk", sa.Integer(), sa.ForeignKey("questions.id")),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_faq_paraphrases_faq_id", "faq_paraphrases", ["faq_id"])
    op.create_table(
        "faq_decisions",
        sa.Column("cluster_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("faq_id", sa.String(64)),
        sa.Column("editor", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("decided_at", TS, nullable=False),
    )
    op.create_table(
        "faq_progress",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("classification_id", sa.Integer(), nullable=False),
        sa.Column("next_cluster_id", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    for table in ("faq_progress", "faq_decisions", "faq_paraphrases", "questions", "faq_revisions", "faq_entries"):
        op.drop_table(table)
