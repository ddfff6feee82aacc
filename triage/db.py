"""The database: engine, migrations and the session factory every part of smista uses.

SQLite by default, PostgreSQL through ``SMISTA_DATABASE_URL``; the schema is created and
upgraded only by the Alembic migrations in ``triage/migrations``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from tenacity import Retrying, retry_if_exception_type, stop_after_delay, wait_random_exponential

from triage.models import Classification

MIGRATIONS = Path(__file__).with_name("migrations")
#: The session factory ``open_store`` returns; what every read and write of the store is given.
Sessions = sessionmaker[Session]
FEED_LOCK = 0x736D697374  # any constant shared by every writer of classifications
MIGRATION_LOCK = 0x736D697375  # held by whichever process is upgrading the schema


def make_engine(url: str) -> Engine:
    engine = create_engine(url, pool_pre_ping=True, future=True)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(conn: Any, _record: Any) -> None:  # WAL: readers never block the poller
            cur = conn.cursor()
            cur.execute("PRAGMA busy_timeout=10000")  # first: another process may hold the write lock (migrating)
            if cur.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                _switch_to_wal(cur)
            cur.execute("PRAGMA synchronous=NORMAL")  # with WAL: safe against a killed process, one fsync per checkpoint
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()
    return engine


def _switch_to_wal(cur: Any) -> None:
    """Switch a fresh database to WAL, which lasts in the file once done.

    SQLite answers "database is locked" at once, without calling the busy handler, when another
    connection switches or writes at the same moment (workers started together on a fresh
    file); the switch is retried until the busy timeout instead."""
    for attempt in Retrying(
        retry=retry_if_exception_type(sqlite3.OperationalError),
        wait=wait_random_exponential(multiplier=0.01, max=0.5),
        stop=stop_after_delay(10),
        reraise=True,
    ):
        with attempt:
            if cur.execute("PRAGMA journal_mode=WAL").fetchone()[0] != "wal":  # kept the old mode: busy too
                raise sqlite3.OperationalError("journal mode not switched to WAL")


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema (idempotent).

    Several workers started together on a fresh PostgreSQL would each create
    ``alembic_version`` and all but one fail; a transaction-scoped advisory lock makes
    the others wait and then find the schema current. On SQLite the same is done by taking
    the write lock first (the driver would otherwise begin only at the first INSERT)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        elif engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def lock_feed(session: Session) -> None:
    """Make classifications commit in id order, which the feed's cursor relies on.

    On PostgreSQL two writers take ids from the sequence and may commit in the other order: a
    reader at cursor 11 would then never see id 10. A transaction-scoped advisory lock taken
    before the first classification gets its id serialises those writers up to their commit.
    SQLite serialises all writers already."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FEED_LOCK})


def _lock_feed_before_classifications_get_ids(session: Session, _context: Any, _instances: Any) -> None:
    """Every writer of classifications takes the feed lock, whatever code path adds them."""
    if any(isinstance(obj, Classification) for obj in session.new):
        lock_feed(session)


def open_store(url: str) -> Sessions:
    """The migrated database's session factory; its sessions take the feed lock on their own."""
    engine = make_engine(url)
    migrate(engine)
    sessions = sessionmaker(engine, expire_on_commit=False)
    event.listen(sessions, "before_flush", _lock_feed_before_classifications_get_ids)
    return sessions
