"""The FAQ's tables: published entries with their history, the questions read from messages,
and the editors' decisions on the clusters those questions form.

A question row is what an FAQ is built from and measured by: the pseudonymised text, a key of
its sender (distinct senders, not messages, make a candidate), when it was asked, the FAQ it
matched (or was linked to when its cluster became an FAQ) and, while it matches none, its
cluster and the vector it was clustered by.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from triage.models import Base, Bounded, UTCDateTime, utcnow


class FaqStatus(StrEnum):
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class Decision(StrEnum):
    APPROVED = "approved"   # the cluster became a new FAQ
    MERGED = "merged"       # its questions became paraphrases of an existing FAQ
    REJECTED = "rejected"   # kept, so the same cluster is not proposed again


class Link(StrEnum):
    """How a question came to carry its ``faq_id``."""

    MATCHED = "matched"     # its best match scored above the threshold
    CLUSTER = "cluster"     # its cluster was approved as, or merged into, that FAQ


class FaqRecord(Base):
    __tablename__ = "faq_entries"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default=FaqStatus.PUBLISHED, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    origin: Mapped[str] = mapped_column(String(16))  # imported, candidate, api
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    paraphrases: Mapped[list[FaqParaphrase]] = relationship(order_by="FaqParaphrase.id", cascade="all, delete-orphan")
    revisions: Mapped[list[FaqRevision]] = relationship(order_by="FaqRevision.id", cascade="all, delete-orphan")


class FaqRevision(Base):
    """Every version an FAQ had, and who made it: the published text is evidence too."""

    __tablename__ = "faq_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    faq_id: Mapped[str] = mapped_column(ForeignKey("faq_entries.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))  # imported, approved, edited, merged, withdrawn
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    editor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class FaqParaphrase(Base):
    """An earlier question linked to an FAQ: matched against like the FAQ's own question."""

    __tablename__ = "faq_paraphrases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    faq_id: Mapped[str] = mapped_column(ForeignKey("faq_entries.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    question_pk: Mapped[int | None] = mapped_column(ForeignKey("questions.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class QuestionRecord(Base):
    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_pk: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # its order among the message's questions
    text: Mapped[str] = mapped_column(Bounded())
    sender_key: Mapped[str] = mapped_column(String(64))  # sha256 of the address: counted, never shown
    mailbox: Mapped[str | None] = mapped_column(String(200))
    domain: Mapped[str | None] = mapped_column(String(100))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    nearest_faq_id: Mapped[str | None] = mapped_column(String(64))
    nearest_score: Mapped[float | None] = mapped_column(Float)
    faq_id: Mapped[str | None] = mapped_column(String(64), index=True)
    link: Mapped[str | None] = mapped_column(String(16))  # a Link
    cluster_id: Mapped[int | None] = mapped_column(Integer, index=True)
    vector: Mapped[bytes | None] = mapped_column(LargeBinary)  # float32, the clustering space
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ClusterDecision(Base):
    __tablename__ = "faq_decisions"

    cluster_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    decision: Mapped[str] = mapped_column(String(16))  # a Decision
    faq_id: Mapped[str | None] = mapped_column(String(64))
    editor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class FaqProgress(Base):
    """How far the FAQ worker has read the classifications (one row)."""

    __tablename__ = "faq_progress"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    classification_id: Mapped[int] = mapped_column(Integer, default=0)
    next_cluster_id: Mapped[int] = mapped_column(Integer, default=0)
