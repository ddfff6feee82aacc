"""Storage: SQLAlchemy 2 models for messages, where they were seen, classifications, PEC data
and mailbox checkpoints. SQLite by default, PostgreSQL through ``SMISTA_DATABASE_URL``; the
schema is created and upgraded only by the Alembic migrations in ``triage/migrations``.

A message is one row however many mailboxes delivered it: it is identified by Message-ID plus
the sha256 of its raw bytes, and every delivery (mailbox, folder, UIDVALIDITY, UID) is a sighting.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import (JSON, Boolean, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint,
                        TypeDecorator, create_engine, event, text)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")
STATUSES = ("stored", "classified", "receipt", "failed")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Timestamps stored in UTC and always read back timezone-aware.

    PostgreSQL keeps the zone (timestamptz); SQLite keeps none and returns naive values, which
    would then compare wrongly with aware ones and go out in the API without an offset."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None or value.tzinfo:
            return value
        return value.replace(tzinfo=timezone.utc)


class Base(DeclarativeBase):
    pass


class StoredMessage(Base):
    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("message_id", "sha256", name="uq_messages_identity"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[str] = mapped_column(String(998), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    kind: Mapped[str] = mapped_column(String(16), default="email")  # email | pec | pec-receipt | pec-anomaly
    status: Mapped[str] = mapped_column(String(16), default="stored", index=True)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(Text)
    sender: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    in_reply_to: Mapped[str | None] = mapped_column(String(998))
    references: Mapped[list | None] = mapped_column(JSON)
    thread_parent_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    attachments: Mapped[list | None] = mapped_column(JSON)
    needs_operator: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    sightings: Mapped[list[Sighting]] = relationship(back_populates="message", cascade="all, delete-orphan")
    classifications: Mapped[list[Classification]] = relationship(back_populates="message", order_by="Classification.id")
    pec: Mapped[PecRecord | None] = relationship(back_populates="message", foreign_keys="PecRecord.message_pk")

    @property
    def classification(self) -> Classification | None:
        return self.classifications[-1] if self.classifications else None


class Sighting(Base):
    """One delivery of a message to a mailbox folder."""

    __tablename__ = "sightings"
    __table_args__ = (UniqueConstraint("mailbox", "folder", "uidvalidity", "uid", name="uq_sightings_uid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_pk: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    mailbox: Mapped[str] = mapped_column(String(200))
    folder: Mapped[str] = mapped_column(String(500))
    uidvalidity: Mapped[int] = mapped_column(Integer)
    uid: Mapped[str] = mapped_column(String(200))  # an IMAP UID, or a Maildir key
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    acknowledged: Mapped[bool] = mapped_column(Boolean, default=False)

    message: Mapped[StoredMessage] = relationship(back_populates="sightings")


class Classification(Base):
    __tablename__ = "classifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_pk: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    type: Mapped[str] = mapped_column(String(20), index=True)
    type_confidence: Mapped[float] = mapped_column(Float)
    urgency: Mapped[str] = mapped_column(String(20), index=True)
    urgency_confidence: Mapped[float] = mapped_column(Float)
    probabilities: Mapped[dict] = mapped_column(JSON)
    needs_review: Mapped[bool] = mapped_column(Boolean, index=True)
    explanation: Mapped[dict] = mapped_column(JSON)
    entities: Mapped[dict] = mapped_column(JSON)
    model_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    message: Mapped[StoredMessage] = relationship(back_populates="classifications")


class PecRecord(Base):
    __tablename__ = "pec"

    message_pk: Mapped[int] = mapped_column(ForeignKey("messages.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    receipt_type: Mapped[str | None] = mapped_column(String(40))
    receipt_detail: Mapped[str | None] = mapped_column(String(20))
    refers_to: Mapped[str | None] = mapped_column(String(998), index=True)
    refers_to_pk: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    daticert: Mapped[dict] = mapped_column(JSON)
    daticert_error: Mapped[str | None] = mapped_column(Text)
    has_signature: Mapped[bool] = mapped_column(Boolean)
    signature_verified: Mapped[bool | None] = mapped_column(Boolean)
    segnatura: Mapped[dict] = mapped_column(JSON)

    message: Mapped[StoredMessage] = relationship(back_populates="pec", foreign_keys=[message_pk])


class Checkpoint(Base):
    """Where a mailbox folder was read up to, and how its last attempt went."""

    __tablename__ = "checkpoints"

    mailbox: Mapped[str] = mapped_column(String(200), primary_key=True)
    folder: Mapped[str] = mapped_column(String(500), primary_key=True)
    uidvalidity: Mapped[int] = mapped_column(Integer, default=0)
    last_uid: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="ok")  # ok | failing
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # last read to the end


def make_engine(url: str) -> Engine:
    engine = create_engine(url, pool_pre_ping=True, future=True)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(conn, _record) -> None:  # WAL: readers never block the poller
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")  # with WAL: safe against a killed process, one fsync per checkpoint
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=10000")
            cur.close()
    return engine


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema (idempotent)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


FEED_LOCK = 0x736D697374  # any constant shared by every writer of classifications


def lock_feed(session: Session) -> None:
    """Make classifications commit in id order, which the feed's cursor relies on.

    On PostgreSQL two writers take ids from the sequence and may commit in the other order: a
    reader at cursor 11 would then never see id 10. A transaction-scoped advisory lock taken
    before the first classification gets its id serialises those writers up to their commit.
    SQLite serialises all writers already."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FEED_LOCK})


@event.listens_for(Session, "before_flush")
def _lock_feed_before_classifications_get_ids(session: Session, flush_context, instances) -> None:
    """Every writer of classifications takes the feed lock, whatever code path adds them."""
    if any(isinstance(obj, Classification) for obj in session.new):
        lock_feed(session)


def open_store(url: str) -> sessionmaker:
    engine = make_engine(url)
    migrate(engine)
    return sessionmaker(engine, expire_on_commit=False)


class ApiKey(Base):
    """An API key: only its sha256 is stored; the key itself is shown once at creation."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class Correction(Base):
    """An operator's correction of a classification: who, when, what it was and what it is."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_pk: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    operator: Mapped[str] = mapped_column(String(200))
    previous_type: Mapped[str | None] = mapped_column(String(20))
    previous_urgency: Mapped[str | None] = mapped_column(String(20))
    type: Mapped[str] = mapped_column(String(20))
    urgency: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Routing(Base):
    """Where a classification was sent and by when it must be handled."""

    __tablename__ = "routings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_pk: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    classification_pk: Mapped[int] = mapped_column(ForeignKey("classifications.id"))
    rule: Mapped[str] = mapped_column(String(200))
    destination: Mapped[str] = mapped_column(String(200))
    deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class OutboxItem(Base):
    """A delivery owed to the routing API or the on-call endpoint, written with the classification."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_pk: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    target: Mapped[str] = mapped_column(String(20))  # routing | oncall
    idempotency_key: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)  # pending | delivered | dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
