"""Export of stored messages with their classification as JSONL (and of operator corrections, later)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import selectinload, sessionmaker

from triage.store import Sighting, StoredMessage


def rows(sessions: sessionmaker, since: datetime | None = None, until: datetime | None = None,
         mailbox: str | None = None) -> Iterator[dict]:
    query = select(StoredMessage).options(selectinload(StoredMessage.sightings), selectinload(StoredMessage.classifications),
                                          selectinload(StoredMessage.pec)).order_by(StoredMessage.id)
    if since:
        query = query.where(StoredMessage.received_at >= since)
    if until:
        query = query.where(StoredMessage.received_at < until)
    if mailbox:
        query = query.where(StoredMessage.id.in_(select(Sighting.message_pk).where(Sighting.mailbox == mailbox)))
    with sessions() as session:
        for m in session.scalars(query):
            c = m.classification
            pec = m.pec
            yield {
                "id": m.id, "message_id": m.message_id, "mailboxes": sorted({s.mailbox for s in m.sightings}),
                "sender": m.sender, "subject": m.subject, "received_at": m.received_at.isoformat(),
                "kind": m.kind, "status": m.status, "failure_reason": m.failure_reason,
                "needs_operator": m.needs_operator, "thread_parent_id": m.thread_parent_id,
                "pec": None if pec is None else {"kind": pec.kind, "receipt_type": pec.receipt_type, "refers_to": pec.refers_to,
                                                 "refers_to_id": pec.refers_to_pk, "daticert": pec.daticert,
                                                 "signature_verified": pec.signature_verified, "segnatura": pec.segnatura},
                "type": c.type if c else None, "type_confidence": c.type_confidence if c else None,
                "urgency": c.urgency if c else None, "urgency_confidence": c.urgency_confidence if c else None,
                "needs_review": c.needs_review if c else None, "model_version": c.model_version if c else None,
            }


def write_jsonl(out: IO[str], records: Iterator[dict]) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        count += 1
    return count


def corrections(sessions: sessionmaker) -> Iterator[dict]:
    """Operators' corrections as corpus lines: the message as the model read it, the model's
    label, the corrected label, who and when. ``smista train --corrections`` reads them."""
    from triage.inputs import parse_eml
    from triage.queries import corrected_messages, thread_request_type

    with sessions() as session:
        for m, fix in corrected_messages(session):
            c = m.classification
            message = parse_eml(m.raw)
            yield {
                "id": f"correction-{m.id}", "message_pk": m.id, "subject": message.subject, "body": message.body,
                "from": message.sender, "channel": "pec" if m.kind.startswith("pec") else "email",
                "domain": "general", "source": "correction", "writer": "operators",
                "thread": thread_request_type(session, m.thread_parent_id),
                "type": fix.type, "urgency": fix.urgency,
                "model_type": c.type if c else None, "model_urgency": c.urgency if c else None,
                "model_version": c.model_version if c else None,
                "operator": fix.operator, "corrected_at": fix.created_at.isoformat(),
            }
