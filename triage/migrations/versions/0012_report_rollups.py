"""report rollups: the reports' figures per local day, the arrivals whose figures changed since
(kept by triggers, whatever code writes), and the index the service levels' live part needs

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

#: The tables whose rows a report counts, each pointing at its message through ``message_pk``,
#: with the columns whose update changes a figure (None: any column).
CHILDREN = {"sightings": None, "classifications": None, "corrections": None, "routings": None,
            "outbox": ("status", "delivered_at"), "pec": None}
MESSAGE_COLUMNS = ("received_at", "status", "kind", "resolved_at", "domain")


def upgrade() -> None:
    op.create_table(
        "report_rollup",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("figure", sa.String(length=16), nullable=False),
        *[sa.Column(f"k{i}", sa.String(length=200), nullable=True) for i in range(1, 6)],
        sa.Column("n", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("a", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("b", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("total", sa.Float(), nullable=True),
        sa.Column("top", sa.Float(), nullable=True),
    )
    op.create_index("ix_report_rollup_day", "report_rollup", ["day", "figure"])
    op.create_index("ix_report_rollup_figure_day", "report_rollup", ["figure", "day"])
    op.create_table(
        "report_dirty",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_report_dirty_received_at", "report_dirty", ["received_at"])
    state = op.create_table(
        "report_rollup_state",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.bulk_insert(state, [{"id": 1, "zone": "Europe/Rome", "built_at": None, "refreshed_at": None}])
    # the open requests whose deadline falls in the hour of "as of" are counted live (triage/rollups.py)
    op.create_index("ix_routings_deadline", "routings", ["deadline"])
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def _sqlite_triggers() -> None:
    columns = ", ".join(MESSAGE_COLUMNS)
    op.execute("CREATE TRIGGER report_dirty_messages_insert AFTER INSERT ON messages BEGIN "
               "INSERT INTO report_dirty (received_at) VALUES (NEW.received_at); END")
    op.execute(f"CREATE TRIGGER report_dirty_messages_update AFTER UPDATE OF {columns} ON messages BEGIN "
               "INSERT INTO report_dirty (received_at) VALUES (OLD.received_at); "
               "INSERT INTO report_dirty (received_at) SELECT NEW.received_at WHERE NEW.received_at IS NOT OLD.received_at; END")
    op.execute("CREATE TRIGGER report_dirty_messages_delete AFTER DELETE ON messages BEGIN "
               "INSERT INTO report_dirty (received_at) VALUES (OLD.received_at); END")
    for table, watched in CHILDREN.items():
        for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            of = f" OF {', '.join(watched)}" if event == "UPDATE" and watched else ""
            op.execute(f"CREATE TRIGGER report_dirty_{table}_{event.lower()} AFTER {event}{of} ON {table} BEGIN "
                       f"INSERT INTO report_dirty (received_at) SELECT received_at FROM messages WHERE id = {row}.message_pk; END")


def _postgresql_triggers() -> None:
    op.execute("""
        CREATE FUNCTION report_dirty_message() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                INSERT INTO report_dirty (received_at) VALUES (OLD.received_at);
            END IF;
            IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.received_at IS DISTINCT FROM OLD.received_at) THEN
                INSERT INTO report_dirty (received_at) VALUES (NEW.received_at);
            END IF;
            RETURN NULL;
        END $$""")
    op.execute("""
        CREATE FUNCTION report_dirty_child() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                INSERT INTO report_dirty (received_at) SELECT received_at FROM messages WHERE id = OLD.message_pk;
            ELSE
                INSERT INTO report_dirty (received_at) SELECT received_at FROM messages WHERE id = NEW.message_pk;
            END IF;
            RETURN NULL;
        END $$""")
    op.execute(f"CREATE TRIGGER report_dirty AFTER INSERT OR DELETE OR UPDATE OF {', '.join(MESSAGE_COLUMNS)} ON messages "
               "FOR EACH ROW EXECUTE FUNCTION report_dirty_message()")
    for table, watched in CHILDREN.items():
        of = f" OF {', '.join(watched)}" if watched else ""
        op.execute(f"CREATE TRIGGER report_dirty AFTER INSERT OR DELETE OR UPDATE{of} ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION report_dirty_child()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("messages", *CHILDREN):
            op.execute(f"DROP TRIGGER report_dirty ON {table}")
        op.execute("DROP FUNCTION report_dirty_message()")
        op.execute("DROP FUNCTION report_dirty_child()")
    else:
        for event in ("insert", "update", "delete"):
            for table in ("messages", *CHILDREN):
                op.execute(f"DROP TRIGGER report_dirty_{table}_{event}")
    op.drop_index("ix_routings_deadline", table_name="routings")
    op.drop_table("report_rollup_state")
    op.drop_index("ix_report_dirty_received_at", table_name="report_dirty")
    op.drop_table("report_dirty")
    op.drop_index("ix_report_rollup_figure_day", table_name="report_rollup")
    op.drop_index("ix_report_rollup_day", table_name="report_rollup")
    op.drop_table("report_rollup")
