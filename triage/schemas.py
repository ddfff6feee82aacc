"""What the store's reads return, defined once for the API, the CLI, the exports and the outbox.

Every schema that describes a message starts from :class:`MessageSummary`, read off the stored
row by pydantic (``from_attributes``), so a field added to a message appears alike in the API,
the feed, the exports and the routing payload. ``id`` is smista's key of a message (``message_pk``
where another record points at it); ``message_id_header`` is the sender's Message-ID header.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from classifier.labels import TYPES, URGENCIES
from triage.faq_schemas import FaqSuggestion

TypeLabel = Literal[TYPES]  # type: ignore[valid-type]
UrgencyLabel = Literal[URGENCIES]  # type: ignore[valid-type]


class _FromRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class MessageSummary(_FromRow):
    id: int
    message_id_header: str
    mailboxes: list[str]
    subject: str | None
    sender: str | None
    kind: str
    status: str
    failure_reason: str | None
    received_at: datetime
    thread_parent_id: int | None
    needs_operator: bool
    attempts: int


class ClassificationOut(_FromRow):
    type: str
    type_confidence: float
    urgency: str
    urgency_confidence: float
    probabilities: dict[str, Any]
    needs_review: bool
    explanation: dict[str, Any]
    entities: dict[str, Any]
    model_version: str
    created_at: datetime


class PecOut(_FromRow):
    kind: str
    receipt_type: str | None
    receipt_detail: str | None
    refers_to: str | None
    refers_to_pk: int | None
    daticert: dict[str, Any]
    daticert_error: str | None
    has_signature: bool
    signature_verified: bool | None
    segnatura: dict[str, Any]


class DeliveryOut(_FromRow):
    target: str
    status: str
    attempts: int
    last_error: str | None


class RoutingOut(BaseModel):
    destination: str
    rule: str
    deadline: datetime
    deliveries: list[DeliveryOut]


class SightingOut(_FromRow):
    mailbox: str
    folder: str
    uid: str
    seen_at: datetime
    acknowledged: bool


class ClassificationEvent(_FromRow):
    type: str
    urgency: str
    model_version: str
    created_at: datetime


class CorrectionOut(_FromRow):
    operator: str
    previous_type: str | None
    previous_urgency: str | None
    type: str
    urgency: str
    created_at: datetime


class History(BaseModel):
    sightings: list[SightingOut]
    classifications: list[ClassificationEvent]
    corrections: list[CorrectionOut]


class SignatureOut(BaseModel):
    """A signed file's signature (``.p7m``): integrity, not the certificate's chain of trust."""

    verified: bool
    signer: str = Field(description="the certificate's common name")
    signed_at: str = Field(default="", description="the signing-time attribute, ISO 8601, when present")
    problem: str | None = Field(default=None, description="why it is not verified")


class DocumentOut(BaseModel):
    """What was read of an attachment that holds text (a letter, a signed file, a fax)."""

    status: str = Field(description="read | failed | skipped")
    kind: str | None = Field(default=None, description="pdf, p7m, docx, odt, rtf, text, tiff")
    reason: str | None = Field(default=None, description="why it was not read, or not read whole")
    text: str | None = Field(default=None, description="the text read, at most 50,000 characters")
    method: str | None = Field(default=None, description="text (the file's own text) or ocr")
    pages: int | None = None
    seconds: float | None = None
    signature: SignatureOut | None = None
    inner: str | None = Field(default=None, description="the signed file's kind, for a .p7m")


class AttachmentOut(BaseModel):
    filename: str
    content_type: str
    size: int = Field(description="decoded bytes")
    document: DocumentOut | None = Field(default=None, description="absent for files that are listed only (photos, archives)")


class MessageDetail(MessageSummary):
    resolved_at: datetime | None = Field(default=None, description="when the request was closed; null while open")
    resolved_by: str | None = Field(default=None, description="who closed it: an operator, or the API key's name")
    attachments: list[AttachmentOut] | None
    raw_url: str
    classification: ClassificationOut | None
    pec: PecOut | None
    routing: RoutingOut | None
    history: History
    faq_suggestions: list[FaqSuggestion] = Field(default_factory=list, description="published FAQ answering its questions")


class ExportRow(MessageSummary):
    """One line of ``smista export``: the message, its PEC data and its latest labels."""

    pec: PecOut | None
    type: str | None
    type_confidence: float | None
    urgency: str | None
    urgency_confidence: float | None
    needs_review: bool | None
    explanation: dict[str, Any] | None
    model_version: str | None


class FeedItem(BaseModel):
    cursor: int = Field(description="the classification's id; pass the last one as 'after'")
    message_pk: int = Field(description="the message's id, as in /v1/messages/{id}")
    mailboxes: list[str]
    subject: str | None
    sender: str | None
    kind: str
    type: str
    urgency: str
    type_confidence: float
    urgency_confidence: float
    needs_review: bool
    model_version: str
    classified_at: datetime
    correction: CorrectionOut | None = Field(default=None, description="the operators' latest correction of the message")
    faq_suggestions: list[FaqSuggestion] = Field(default_factory=list, description="published FAQ answering its questions")


class Feed(BaseModel):
    items: list[FeedItem]
    next_cursor: int = Field(description="pass as 'after' to continue; unchanged when there is nothing new")


class FeedFilter(BaseModel):
    """The filters of the feed and of the exports: one definition, one place that applies them."""

    type: str | None = None
    urgency: str | None = None
    mailbox: str | None = None
    needs_review: bool | None = None
    since: datetime | None = None
    until: datetime | None = None


class ReviewItem(BaseModel):
    id: int
    subject: str | None
    type: str
    type_confidence: float
    urgency: str
    urgency_confidence: float


class DeadLetter(_FromRow):
    id: int
    message_pk: int
    target: str
    attempts: int
    last_error: str | None
    created_at: datetime


class Labels(BaseModel):
    type: str | None
    urgency: str | None


class LabelChange(BaseModel):
    """An operator's correction as recorded: the labels before and after, and who."""

    id: int
    type: str
    urgency: str
    previous: Labels
    operator: str


class Resolution(BaseModel):
    """A request's closure as recorded: when and by whom; both null once reopened."""

    id: int
    resolved_at: datetime | None
    resolved_by: str | None


class RoutingPayload(BaseModel):
    """What the routing API (and, for emergencies, the on-call endpoint) receives."""

    id: int
    message_id_header: str
    mailbox: str | None
    subject: str | None
    sender: str | None
    kind: str
    received_at: datetime
    type: str
    type_confidence: float
    urgency: str
    urgency_confidence: float
    needs_review: bool
    entities: dict[str, Any]
    model_version: str
    destination: str
    rule: str
    deadline: datetime
    faq_suggestions: list[FaqSuggestion] = Field(
        default_factory=list, description="empty here: the FAQ worker sends its suggestions later, as a faq_suggestions event")


class KeyOwner(BaseModel):
    name: str
    scopes: list[str]


class StoreCounts(BaseModel):
    """What the store knows for the metrics, read at scrape time."""

    labels: list[tuple[str, str, int]]
    statuses: list[tuple[str, int]]
    outbox: list[tuple[str, str, int]]                 # target, status, count of undelivered items
    checkpoints: list[tuple[str, str, str, datetime | None]]  # mailbox, folder, status, polled_at
    oldest_unprocessed: datetime | None


# --- the operator console (console/): its queue, review, search and dead letters ---------------

class QueueFilter(BaseModel):
    """The console queue's filters; every one optional. Labels are the current ones (an
    operator's correction wins over the model); dates are of arrival."""

    type: str | None = None
    urgency: str | None = None
    mailbox: str | None = None
    channel: Literal["email", "pec"] | None = None
    review: Literal["pending", "done", "auto"] | None = None   # waiting for a human, decided by one, routed alone
    routing: Literal["none", "pending", "delivered", "dead"] | None = None
    since: datetime | None = None
    until: datetime | None = None
    oldest_first: bool = False


class QueueRow(BaseModel):
    id: int
    received_at: datetime
    subject: str | None
    sender: str | None
    kind: str
    status: str
    mailboxes: list[str]
    type: str | None
    urgency: str | None
    confidence: float | None = Field(description="the lower of the two heads' confidences")
    needs_review: bool | None
    reviewed_by: str | None
    routing: str = Field(description="none, pending, delivered or dead")
    deadline: datetime | None


class QueuePage(BaseModel):
    rows: list[QueueRow]
    next_cursor: str | None = Field(description="pass back as 'cursor' for the next page; None on the last one")


class Receipt(BaseModel):
    """A PEC receipt about a message (accettazione, avvenuta-consegna...), as the console lists it."""

    id: int
    receipt_type: str | None
    received_at: datetime
    daticert: dict[str, Any]


class ReplayOut(_FromRow):
    operator: str
    created_at: datetime


class DeadLetterRow(DeadLetter):
    subject: str | None
    replays: list[ReplayOut]


class ReviewRow(BaseModel):
    """One message of the console's review queue, with the model's labels and why."""

    id: int
    received_at: datetime
    subject: str | None
    sender: str | None
    kind: str
    type: str
    urgency: str
    type_confidence: float
    urgency_confidence: float
    explanation: dict[str, Any]
