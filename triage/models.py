"""The tables of the store and the states their rows move through.

A message is one row however many mailboxes delivered it: it is identified by its Message-ID
header plus the sha256 of its raw bytes, and every delivery (mailbox, folder, UIDVALIDITY, UID)
is a sighting. ``id`` is smista's key for a message everywhere (the API's ``id`` and
``message_pk``); ``message_id_header`` is the RFC 5322 header, which senders choose and which
need not be unique.
"""

from __future__ import annotations

from datetime import datetime, timezone
from enum import StrEnum
from typing import Any

from sqlalchemy import (JSON, Boolean, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Text, TypeDecorator,
                        UniqueConstraint)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from inbox.pec import MessageKind

__all__ = ["ApiKey", "Base", "Checkpoint", "CheckpointStatus", "Classification", "Correction", "Lease", "MessageKind",
           "MessageStatus", "OutboxItem", "OutboxStatus", "OutboxTarget", "PecRecord", "Routing", "Sighting",
           "StoredMessage", "utcnow"]
__all__ += ["ConsoleSession", "LoginAttempt", "Replay", "Role", "User"]  # the operator console's tables


class MessageStatus(StrEnum):
    """Where a stored message is in the flow: only ``stored`` ones are still to be processed."""

    STORED = "stored"
    CLASSIFIED = "classified"
    RECEIPT = "receipt"        # a PEC receipt: recorded, not classified by the model
    FAILED = "failed"          # with its reason in ``failure_reason``
    QUARANTINED = "quarantined"  # its processing never finished, ``attempts`` times: skipped until reprocessed


class OutboxStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"              # failed for good: the dead-letter list


class OutboxTarget(StrEnum):
    ROUTING = "routing"
    ONCALL = "oncall"


class CheckpointStatus(StrEnum):
    OK = "ok"
    FAILING = "failing"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Timestamps stored in UTC and always read back timezone-aware.

    PostgreSQL keeps the zone (timestamptz); SQLite keeps none and returns naive values, which
    would then compare wrongly with aware ones and go out in the API without an offset."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo:
            return value
        return value.replace(tzinfo=timezone.utc)


class Bounded(TypeDecorator[str]):
    """A string from a message (a header, a PEC field) cut to its column and freed of NUL bytes.

    Senders choose these values: an In-Reply-To of 5,000 characters would make PostgreSQL refuse
    the whole batch's transaction, where SQLite would store it whole; NUL is refused by PostgreSQL
    in any text. ``length`` None is a Text column, only cleaned."""

    impl = String
    cache_ok = True

    def __init__(self, length: int | None = None) -> None:
        super().__init__(length)
        self.length = length

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        return dialect.type_descriptor(String(self.length) if self.length else Text())

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        value = value.replace("\x00", "")
        return value[:self.length] if self.length else value


class Base(DeclarativeBase):
    pass


class StoredMessage(Base):
    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("message_id_header", "sha256", name="uq_messages_identity"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id_header: Mapped[str] = mapped_column(Bounded(998), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    kind: Mapped[str] = mapped_column(String(16), default=MessageKind.EMAIL)
    status: Mapped[str] = mapped_column(String(16), default=MessageStatus.STORED, index=True)
    failure_reason: Mapped[str | None] = mapped_column(Bounded())
    subject: Mapped[str | None] = mapped_column(Bounded())
    sender: Mapped[str | None] = mapped_column(Bounded())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    in_reply_to: Mapped[str | None] = mapped_column(Bounded(998))
    references: Mapped[list | None] = mapped_column(JSON)
    thread_parent_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    attachments: Mapped[list | None] = mapped_column(JSON)
    needs_operator: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # processing runs started
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)  # request closed (reports: SLA, backlog)
    resolved_by: Mapped[str | None] = mapped_column(String(200))  # the operator or API key that closed it (triage.resolutions)
    domain: Mapped[str | None] = mapped_column(String(100))  # service domain when the channel tells it, else the mailbox's

    sightings: Mapped[list[Sighting]] = relationship(back_populates="message", cascade="all, delete-orphan")
    classifications: Mapped[list[Classification]] = relationship(back_populates="message", order_by="Classification.id")
    pec: Mapped[PecRecord | None] = relationship(back_populates="message", foreign_keys="PecRecord.message_pk")

    @property
    def classification(self) -> Classification | None:
        return self.classifications[-1] if self.classifications else None

    @property
    def mailboxes(self) -> list[str]:
        """Every mailbox that delivered this message (load ``sightings`` with it)."""
        return sorted({s.mailbox for s in self.sightings})


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
    receipt_type: Mapped[str | None] = mapped_column(Bounded(40))
    receipt_detail: Mapped[str | None] = mapped_column(Bounded(20))
    refers_to: Mapped[str | None] = mapped_column(Bounded(998), index=True)
    refers_to_pk: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    daticert: Mapped[dict] = mapped_column(JSON)
    daticert_error: Mapped[str | None] = mapped_column(Bounded())
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
    status: Mapped[str] = mapped_column(String(20), default=CheckpointStatus.OK)
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # last read to the end


class Lease(Base):
    """Which worker reads a mailbox folder, until when: renewed after every batch, taken over
    by another worker once it has expired (its holder died or hung)."""

    __tablename__ = "leases"

    mailbox: Mapped[str] = mapped_column(String(200), primary_key=True)
    folder: Mapped[str] = mapped_column(String(500), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


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
    target: Mapped[str] = mapped_column(String(20))  # an OutboxTarget
    idempotency_key: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default=OutboxStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Role(StrEnum):
    """What an operator of the console may do: operators read and label, supervisors also
    replay dead letters, admins hold every right."""

    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class User(Base):
    """An operator's console account; only the argon2 hash of the password is stored."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default=Role.OPERATOR)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LoginAttempt(Base):
    """One try at logging in, by the name typed (known or not): what the lock-out counts."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Bounded(200))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ConsoleSession(Base):
    """A logged-in browser: the cookie holds a random token, the store only its sha256, so a
    stolen database opens no session; ``csrf`` is the token every form of the session carries."""

    __tablename__ = "console_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Replay(Base):
    """Who put a dead letter back in the queue, and when."""

    __tablename__ = "replays"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outbox_pk: Mapped[int] = mapped_column(ForeignKey("outbox.id"), index=True)
    operator: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
