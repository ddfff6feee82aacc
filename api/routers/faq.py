"""The FAQ: the published collection with its history and impact, and the candidates that
editors (keys with the ``faq`` scope) approve, merge into an existing FAQ or reject."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query

from api.deps import Reader, Services, Sessions, require
from triage import faqs
from triage.faq_schemas import (Approval, Candidate, DecisionOut, FaqDetail, FaqIn, FaqOut, Merge, QuestionOut,
                                Rejection)
from triage.models import utcnow

router = APIRouter(prefix="/v1/faq", tags=["faq"])
Editor = Annotated[str, require("faq")]
FaqId = Annotated[str, Path(max_length=64, pattern=r"^[\w.-]+$")]
ClusterId = Annotated[int, Path(ge=0, le=2**31 - 1)]


@router.get("", response_model=list[FaqOut])
def published(sessions: Sessions, _: Reader, include_withdrawn: bool = False) -> list[FaqOut]:
    with sessions() as s:
        return faqs.entries(s, include_withdrawn)


@router.get("/candidates", response_model=list[Candidate])
def candidates(services: Services, _: Reader, limit: int = Query(100, ge=1, le=1000)) -> list[Candidate]:
    settings = services.settings
    with services.sessions() as s:
        return faqs.candidates(s, utcnow(), settings.faq_min_senders, timedelta(days=settings.faq_window_days), limit)


@router.get("/candidates/{cluster_id}", response_model=Candidate)
def candidate(services: Services, _: Reader, cluster_id: ClusterId) -> Candidate:
    with services.sessions() as s:
        try:
            return faqs.candidate(s, cluster_id, utcnow(), timedelta(days=services.settings.faq_window_days))
        except faqs.NoCandidate as exc:
            raise HTTPException(404, str(exc)) from exc


@router.get("/unclustered", response_model=list[QuestionOut])
def unclustered(sessions: Sessions, _: Reader, limit: int = Query(200, ge=1, le=1000)) -> list[QuestionOut]:
    with sessions() as s:
        return faqs.unclustered(s, limit)


@router.post("/candidates/{cluster_id}/approve", response_model=DecisionOut, status_code=201)
def approve(sessions: Sessions, editor: Editor, cluster_id: ClusterId, body: Approval) -> DecisionOut:
    with _decision():
        with sessions.begin() as s:
            return faqs.approve(s, cluster_id, body, editor, body.faq_id)


@router.post("/candidates/{cluster_id}/merge", response_model=DecisionOut)
def merge(sessions: Sessions, editor: Editor, cluster_id: ClusterId, body: Merge) -> DecisionOut:
    with _decision():
        with sessions.begin() as s:
            return faqs.merge(s, cluster_id, body.faq_id, editor)


@router.post("/candidates/{cluster_id}/reject", response_model=DecisionOut)
def reject(sessions: Sessions, editor: Editor, cluster_id: ClusterId, body: Rejection) -> DecisionOut:
    with _decision():
        with sessions.begin() as s:
            return faqs.reject(s, cluster_id, editor, body.reason)


@contextmanager
def _decision() -> Iterator[None]:
    try:
        yield
    except (faqs.NoCandidate, faqs.NoFaq) as exc:
        raise HTTPException(404, f"not found: {exc}") from exc
    except faqs.AlreadyDecided as exc:
        raise HTTPException(409, str(exc)) from exc


@router.post("", response_model=FaqOut, status_code=201)
def create(sessions: Sessions, editor: Editor, body: Approval) -> FaqOut:
    with sessions.begin() as s:
        if body.faq_id is not None and faqs.exists(s, body.faq_id):
            raise HTTPException(409, f"an FAQ with id {body.faq_id} exists already")
        return FaqOut.model_validate(faqs.publish(s, body, editor, "api", body.faq_id))


@router.get("/{faq_id}", response_model=FaqDetail)
def one(sessions: Sessions, _: Reader, faq_id: FaqId) -> FaqDetail:
    with sessions() as s:
        try:
            return faqs.detail(s, faq_id)
        except faqs.NoFaq as exc:
            raise HTTPException(404, f"no FAQ {faq_id}") from exc


@router.put("/{faq_id}", response_model=FaqOut)
def revise(sessions: Sessions, editor: Editor, faq_id: FaqId, body: FaqIn) -> FaqOut:
    try:
        with sessions.begin() as s:
            return FaqOut.model_validate(faqs.edit(s, faq_id, body, editor))
    except faqs.NoFaq as exc:
        raise HTTPException(404, f"no FAQ {faq_id}") from exc


@router.delete("/{faq_id}", response_model=FaqOut)
def withdraw(sessions: Sessions, editor: Editor, faq_id: FaqId) -> FaqOut:
    try:
        with sessions.begin() as s:
            return FaqOut.model_validate(faqs.withdraw(s, faq_id, editor))
    except faqs.NoFaq as exc:
        raise HTTPException(404, f"no FAQ {faq_id}") from exc
