"""Request and response bodies of the API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from classifier.labels import TYPES, URGENCIES

TypeLabel = Literal[TYPES]  # type: ignore[valid-type]
UrgencyLabel = Literal[URGENCIES]  # type: ignore[valid-type]


class MessageIn(BaseModel):
    subject: str = Field("", max_length=2000)
    body: str = Field(..., max_length=200_000)
    sender: str = Field("", max_length=500)


class ClassifyIn(MessageIn):
    #: The type of the earlier request in the message's thread, when the caller knows it: a
    #: reply in a thread that holds a fault report reads as a reminder or a status question.
    thread: TypeLabel | None = None


class Submitted(BaseModel):
    id: int
    status: str


class FeedItem(BaseModel):
    cursor: int
    message_id: int
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


class Feed(BaseModel):
    items: list[FeedItem]
    next_cursor: int = Field(description="pass as 'after' to continue; unchanged when there is nothing new")


class LabelIn(BaseModel):
    type: TypeLabel | None = None
    urgency: UrgencyLabel | None = None
