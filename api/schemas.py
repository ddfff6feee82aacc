"""Request bodies of the API; what it answers is defined once in ``triage.schemas``."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from triage.schemas import TypeLabel, UrgencyLabel


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


class ResolutionIn(BaseModel):
    """The downstream ticketing system reports that a request is done."""

    resolved_at: datetime | None = Field(default=None, description="when it was resolved, with its time zone; "
                                         "omitted or null: now. Not before the message arrived, not in the future")


class LabelIn(BaseModel):
    type: TypeLabel | None = None
    urgency: UrgencyLabel | None = None
