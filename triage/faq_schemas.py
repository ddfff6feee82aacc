"""What the FAQ parts of the store return: to the API, the CLI, the routing payload and exports."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class FaqSuggestion(BaseModel):
    """A published FAQ that answers a question the message asks: for the operator replying."""

    faq_id: str
    question: str
    score: float


class FaqUpdate(BaseModel):
    """The follow-up the routing API receives when the FAQ worker found answers for a message."""

    id: int = Field(description="the message's id, as in the routing payload sent before")
    event: str = "faq_suggestions"
    faq_suggestions: list[FaqSuggestion]


class FaqIn(BaseModel):
    """An FAQ as an editor writes it (import, approval, edit)."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=3, max_length=2000)
    answer: str = Field(min_length=1, max_length=20000)
    tags: list[str] = Field(default_factory=list, max_length=50)


class FaqOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    question: str
    answer: str
    tags: list[str]
    status: str
    version: int
    origin: str
    published_at: datetime
    updated_at: datetime


class RevisionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    action: str
    question: str
    answer: str
    tags: list[str]
    editor: str
    created_at: datetime


class WeekCount(BaseModel):
    week: str = Field(description="ISO week, e.g. 2026-W14")
    questions: int


class Impact(BaseModel):
    """Questions that match an FAQ, per week, before and after it was published.

    Before publication they are the questions of the cluster it was made from (or merged from);
    after, those the matcher linked to it."""

    faq_id: str
    published_at: datetime
    before: list[WeekCount]
    after: list[WeekCount]
    weekly_before: float = Field(description="mean questions per week over the weeks before")
    weekly_after: float = Field(description="mean questions per week since publication")


class FaqDetail(FaqOut):
    paraphrases: list[str]
    revisions: list[RevisionOut]
    impact: Impact


class Share(BaseModel):
    name: str | None
    questions: int


class Candidate(BaseModel):
    """A cluster of unanswered questions that enough distinct senders asked within the window."""

    cluster_id: int
    questions: int
    senders: int
    first_seen: datetime
    last_seen: datetime
    weekly: list[int] = Field(description="questions per week over the window, oldest first")
    representatives: list[str]
    domains: list[Share]
    mailboxes: list[Share]
    nearest_faq_id: str | None = Field(description="the published FAQ closest to these questions: a likely duplicate?")
    nearest_score: float | None


class QuestionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    message_pk: int
    text: str
    asked_at: datetime
    cluster_id: int | None
    nearest_faq_id: str | None
    nearest_score: float | None


class Approval(FaqIn):
    faq_id: str | None = Field(default=None, max_length=64, pattern=r"^[\w.-]+$",
                               description="the new FAQ's id; default FAQ-<number>")


class Merge(BaseModel):
    model_config = ConfigDict(extra="forbid")

    faq_id: str = Field(max_length=64)


class Rejection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=2000)


class DecisionOut(BaseModel):
    cluster_id: int
    decision: str
    faq_id: str | None
    editor: str
    questions_linked: int


class MatchOut(BaseModel):
    faq_id: str
    score: float
