"""GET /v1/classifications: the feed for downstream systems, with a stable cursor.

The cursor is the classification's id, which only grows: a consumer that passes back
``next_cursor`` as ``after`` sees every classification once, in order, including those written
while it reads. That holds because ids are committed in order: SQLite serialises writers, and on
PostgreSQL every flush that adds classifications takes a transaction lock first (``store.lock_feed``).
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from api.deps import require
from api.schemas import Feed, FeedItem
from triage.store import Classification, Sighting, StoredMessage

router = APIRouter(prefix="/v1", tags=["feed"])


@router.get("/classifications", response_model=Feed, dependencies=[require("read")])
def feed(request: Request, after: int = Query(0, ge=0, le=2**31 - 1), limit: int = Query(100, ge=1, le=1000),
         type: str | None = None, urgency: str | None = None, mailbox: str | None = None,
         needs_review: bool | None = None, since: datetime | None = None, until: datetime | None = None) -> Feed:
    query = (select(Classification).where(Classification.id > after).order_by(Classification.id).limit(limit)
             .options(selectinload(Classification.message).selectinload(StoredMessage.sightings)))
    if type:
        query = query.where(Classification.type == type)
    if urgency:
        query = query.where(Classification.urgency == urgency)
    if needs_review is not None:
        query = query.where(Classification.needs_review.is_(needs_review))
    if since:
        query = query.where(Classification.created_at >= since)
    if until:
        query = query.where(Classification.created_at < until)
    if mailbox:
        query = query.where(Classification.message_pk.in_(select(Sighting.message_pk).where(Sighting.mailbox == mailbox)))
    with request.app.state.sessions() as s:
        rows = s.scalars(query).all()
        items = [FeedItem(cursor=c.id, message_id=c.message_pk, mailboxes=sorted({x.mailbox for x in c.message.sightings}),
                          subject=c.message.subject, sender=c.message.sender, kind=c.message.kind, type=c.type,
                          urgency=c.urgency, type_confidence=c.type_confidence, urgency_confidence=c.urgency_confidence,
                          needs_review=c.needs_review, model_version=c.model_version, classified_at=c.created_at)
                 for c in rows]
    return Feed(items=items, next_cursor=items[-1].cursor if items else after)
