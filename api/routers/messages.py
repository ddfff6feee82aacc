"""Messages: submit one from a web form, read one with its history, download its raw bytes,
correct its labels, and list those waiting for review."""

from __future__ import annotations

import uuid
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from api.deps import require
from api.schemas import LabelIn, MessageIn, Submitted
from triage import service
from triage.store import Classification, Correction, OutboxItem, Routing, StoredMessage, utcnow

router = APIRouter(prefix="/v1", tags=["messages"])
MAX_ID = 2**31 - 1  # the largest id every database accepts


def _one_line(value: str) -> str:
    return " ".join("".join(c if c.isprintable() else " " for c in value).split())


def _as_eml(data: MessageIn) -> bytes:
    """A form submission as an RFC 5322 message, so it follows the same pipeline as mail."""
    msg = EmailMessage()
    try:
        msg["From"] = _one_line(data.sender) or "web-form@smista.invalid"
    except (ValueError, IndexError, TypeError):  # not an address: keep it as text
        msg["From"] = "web-form@smista.invalid"
        msg["X-Smista-Sender"] = _one_line(data.sender)[:500]
    msg["Subject"] = _one_line(data.subject)
    msg["Date"] = format_datetime(utcnow())
    msg["Message-ID"] = make_msgid(idstring=uuid.uuid4().hex, domain="smista.invalid")
    msg["X-Smista-Channel"] = "web"
    msg.set_content(data.body)
    return bytes(msg)


@router.post("/messages", response_model=Submitted, status_code=201)
def submit(data: MessageIn, request: Request, who: str = require("write")) -> Submitted:
    """The same pipeline as mailbox messages: stored first, then classified."""
    state = request.app.state
    pipeline = service.pipeline(state.settings, state.sessions, state.models.current(), routes=state.router)
    outcome = pipeline.ingest(_as_eml(data), "api", "web", 0, uuid.uuid4().hex)
    return Submitted(id=outcome.pk, status=outcome.status)


def _load(request: Request, pk: int) -> StoredMessage:
    with request.app.state.sessions() as s:
        message = s.scalar(select(StoredMessage).where(StoredMessage.id == pk).options(
            selectinload(StoredMessage.sightings), selectinload(StoredMessage.classifications),
            selectinload(StoredMessage.pec)))
    if message is None:
        raise HTTPException(404, f"no message {pk}")
    return message


@router.get("/messages/{pk}", dependencies=[require("read")])
def read(request: Request, pk: int = Path(ge=1, le=MAX_ID)) -> dict:
    m = _load(request, pk)
    with request.app.state.sessions() as s:
        corrections = s.scalars(select(Correction).where(Correction.message_pk == pk).order_by(Correction.id)).all()
        routings = s.scalars(select(Routing).where(Routing.message_pk == pk).order_by(Routing.id)).all()
        deliveries = s.scalars(select(OutboxItem).where(OutboxItem.message_pk == pk).order_by(OutboxItem.id)).all()
    c = m.classification
    return {
        "id": m.id, "message_id": m.message_id, "subject": m.subject, "sender": m.sender, "kind": m.kind,
        "status": m.status, "failure_reason": m.failure_reason, "received_at": m.received_at,
        "thread_parent_id": m.thread_parent_id, "needs_operator": m.needs_operator, "attachments": m.attachments,
        "raw_url": f"/v1/messages/{m.id}/raw",
        "classification": None if c is None else {k: getattr(c, k) for k in (
            "type", "type_confidence", "urgency", "urgency_confidence", "probabilities", "needs_review", "explanation",
            "entities", "model_version", "created_at")},
        "pec": None if m.pec is None else {k: getattr(m.pec, k) for k in (
            "kind", "receipt_type", "receipt_detail", "refers_to", "refers_to_pk", "daticert", "daticert_error",
            "has_signature", "signature_verified", "segnatura")},
        "routing": None if not routings else {"destination": routings[-1].destination, "rule": routings[-1].rule,
                                              "deadline": routings[-1].deadline,
                                              "deliveries": [{"target": d.target, "status": d.status, "attempts": d.attempts,
                                                              "last_error": d.last_error} for d in deliveries]},
        "history": {
            "sightings": [{"mailbox": x.mailbox, "folder": x.folder, "uid": x.uid, "seen_at": x.seen_at,
                           "acknowledged": x.acknowledged} for x in m.sightings],
            "classifications": [{"type": x.type, "urgency": x.urgency, "model_version": x.model_version,
                                 "created_at": x.created_at} for x in m.classifications],
            "corrections": [{"operator": x.operator, "previous_type": x.previous_type, "previous_urgency": x.previous_urgency,
                             "type": x.type, "urgency": x.urgency, "created_at": x.created_at} for x in corrections],
        },
    }


@router.get("/messages/{pk}/raw", dependencies=[require("read")], response_class=Response)
def raw(request: Request, pk: int = Path(ge=1, le=MAX_ID)) -> Response:
    m = _load(request, pk)
    return Response(m.raw, media_type="message/rfc822", headers={"Content-Disposition": f'attachment; filename="{pk}.eml"'})


@router.patch("/messages/{pk}/label")
def correct(label: LabelIn, request: Request, pk: int = Path(ge=1, le=MAX_ID), who: str = require("write")) -> dict:
    """An operator's correction; the previous labels are kept and the next training run can use it."""
    if label.type is None and label.urgency is None:
        raise HTTPException(422, "give 'type', 'urgency' or both")
    with request.app.state.sessions.begin() as s:
        m = s.get(StoredMessage, pk)
        if m is None:
            raise HTTPException(404, f"no message {pk}")
        last = s.scalar(select(Correction).where(Correction.message_pk == pk).order_by(Correction.id.desc()).limit(1))
        c = m.classification
        prev_type = last.type if last else (c.type if c else None)
        prev_urgency = last.urgency if last else (c.urgency if c else None)
        new_type, new_urgency = label.type or prev_type, label.urgency or prev_urgency
        if new_type is None or new_urgency is None:
            raise HTTPException(422, "this message has no classification: give both 'type' and 'urgency'")
        s.add(Correction(message_pk=pk, operator=who, previous_type=prev_type, previous_urgency=prev_urgency,
                         type=new_type, urgency=new_urgency))
    return {"id": pk, "type": new_type, "urgency": new_urgency, "previous": {"type": prev_type, "urgency": prev_urgency},
            "operator": who}


@router.get("/review", dependencies=[require("read")])
def review(request: Request, limit: int = Query(50, ge=1, le=500)) -> list[dict]:
    """Messages whose latest classification needs a human and has no correction yet, least confident first."""
    latest = select(func.max(Classification.id)).group_by(Classification.message_pk)
    corrected = select(Correction.message_pk)
    query = (select(Classification, StoredMessage.subject)
             .join(StoredMessage, StoredMessage.id == Classification.message_pk)
             .where(Classification.id.in_(latest), Classification.needs_review.is_(True),
                    Classification.message_pk.not_in(corrected))
             .order_by(case((Classification.type_confidence < Classification.urgency_confidence, Classification.type_confidence),
                            else_=Classification.urgency_confidence), Classification.id)
             .limit(limit))
    with request.app.state.sessions() as s:
        return [{"id": c.message_pk, "subject": subject, "type": c.type, "type_confidence": c.type_confidence,
                 "urgency": c.urgency, "urgency_confidence": c.urgency_confidence} for c, subject in s.execute(query)]
