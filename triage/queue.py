"""The console's lists: every message with its current state, the review queue, and the
mailboxes, paged by keyset so that a page costs the same at message 20 as at message 1,000,000.

A message's current labels are its operators' latest correction, else its latest
classification (as in :mod:`triage.queries`); both are found per message through the
``(message_pk, id)`` indexes of migration 0008, so the list walks ``messages`` by
``(received_at, id)`` and stops at a page. The cursor is that pair, written as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, literal, or_, select, text, tuple_
from sqlalchemy.orm import Session, aliased

from triage.db import Sessions
from triage.models import (Classification, Correction, OutboxItem, OutboxStatus, OutboxTarget, Routing, Sighting,
                           StoredMessage)
from triage.schemas import QueueFilter, QueuePage, QueueRow, ReviewRow

C = aliased(Classification, name="latest_c")
K = aliased(Correction, name="latest_k")
_newer_c = aliased(Classification, name="newer_c")
_newer_k = aliased(Correction, name="newer_k")
MAX_PAGE = 200


class BadCursor(ValueError):
    """A cursor this module did not write."""


def _latest_classification() -> Any:
    """Joined on the id a correlated subquery picks: both databases then look it up per message
    while walking the arrival index, and a page stops after its rows (PostgreSQL turned the
    NOT EXISTS form into hash joins over every message)."""
    return C.id == (select(_newer_c.id).where(_newer_c.message_pk == StoredMessage.id)
                    .order_by(_newer_c.id.desc()).limit(1).scalar_subquery())


def _latest_correction() -> Any:
    return K.id == (select(_newer_k.id).where(_newer_k.message_pk == StoredMessage.id)
                    .order_by(_newer_k.id.desc()).limit(1).scalar_subquery())


def _outbox(status: str) -> Any:
    return exists().where(OutboxItem.message_pk == StoredMessage.id, OutboxItem.target == OutboxTarget.ROUTING,
                          OutboxItem.status == status)


#: A message's routing state is the first of these its routing deliveries are in, else "none".
ROUTING_ORDER = (OutboxStatus.DEAD, OutboxStatus.PENDING, OutboxStatus.DELIVERED)


def _filtered(query: Select[Any], f: QueueFilter) -> Select[Any]:
    if f.type:
        query = query.where(func.coalesce(K.type, C.type) == f.type)
    if f.urgency:
        query = query.where(func.coalesce(K.urgency, C.urgency) == f.urgency)
    if f.mailbox:  # a scalar subquery with LIMIT, not EXISTS: PostgreSQL would hash every sighting of the mailbox
        query = query.where(select(literal(1)).where(Sighting.message_pk == StoredMessage.id, Sighting.mailbox == f.mailbox)
                            .limit(1).scalar_subquery().is_not(None))
    if f.channel == "email":
        query = query.where(StoredMessage.kind == "email")
    elif f.channel == "pec":
        query = query.where(StoredMessage.kind.startswith("pec"))
    if f.review == "pending":
        query = query.where(C.needs_review.is_(True), K.id.is_(None))
    elif f.review == "done":
        query = query.where(K.id.is_not(None))
    elif f.review == "auto":
        query = query.where(C.needs_review.is_(False), K.id.is_(None))
    if f.routing == "none":
        query = query.where(~exists().where(Routing.message_pk == StoredMessage.id))
    elif f.routing:
        query = query.where(_outbox(f.routing))
    if f.since:
        query = query.where(StoredMessage.received_at >= f.since)
    if f.until:
        query = query.where(StoredMessage.received_at < f.until)
    return query


def encode_cursor(received_at: datetime, pk: int) -> str:
    return f"{received_at.isoformat()}_{pk}"


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        stamp, pk = cursor.rsplit("_", 1)
        return datetime.fromisoformat(stamp), int(pk)
    except ValueError as exc:
        raise BadCursor(f"not a cursor of this list: {cursor[:60]!r}") from exc


def _columns() -> Select[Any]:
    return (select(StoredMessage.id, StoredMessage.received_at, StoredMessage.subject, StoredMessage.sender,
                   StoredMessage.kind, StoredMessage.status, func.coalesce(K.type, C.type), func.coalesce(K.urgency, C.urgency),
                   case((C.type_confidence < C.urgency_confidence, C.type_confidence), else_=C.urgency_confidence),
                   C.needs_review, K.operator)
            .select_from(StoredMessage).outerjoin(C, _latest_classification()).outerjoin(K, _latest_correction()))


def statement(f: QueueFilter, cursor: str | None = None, limit: int = 50) -> Select[Any]:
    """The page's query (``bench/console.py`` prints its plan)."""
    query = _filtered(_columns(), f)
    key = tuple_(StoredMessage.received_at, StoredMessage.id)
    if cursor:
        at, pk = decode_cursor(cursor)
        query = query.where(key > tuple_(literal(at, StoredMessage.received_at.type), literal(pk))
                            if f.oldest_first else key < tuple_(literal(at, StoredMessage.received_at.type), literal(pk)))
    order = (StoredMessage.received_at, StoredMessage.id) if f.oldest_first else \
        (StoredMessage.received_at.desc(), StoredMessage.id.desc())
    return query.order_by(*order).limit(min(limit, MAX_PAGE) + 1)


def _rows(s: Session, found: Sequence[Any]) -> list[QueueRow]:
    """The page's rows with their mailboxes, routing states and deadlines (three more queries by
    id: computed in the page's query, PostgreSQL hashed every delivery of the outbox per page)."""
    pks = [r[0] for r in found]
    boxes: dict[int, set[str]] = {}
    deadlines: dict[int, datetime] = {}
    states: dict[int, set[str]] = {}
    if pks:
        for pk, status in s.execute(select(OutboxItem.message_pk, OutboxItem.status).where(
                OutboxItem.message_pk.in_(pks), OutboxItem.target == OutboxTarget.ROUTING)):
            states.setdefault(pk, set()).add(status)
        for pk, box in s.execute(select(Sighting.message_pk, Sighting.mailbox).where(Sighting.message_pk.in_(pks))):
            boxes.setdefault(pk, set()).add(box)
        for pk, deadline in s.execute(select(Routing.message_pk, Routing.deadline).where(Routing.message_pk.in_(pks))
                                      .order_by(Routing.id)):
            deadlines[pk] = deadline
    return [QueueRow(id=r[0], received_at=r[1], subject=r[2], sender=r[3], kind=r[4], status=r[5], type=r[6], urgency=r[7],
                     confidence=r[8], needs_review=r[9], reviewed_by=r[10],
                     routing=next((str(st) for st in ROUTING_ORDER if st in states.get(r[0], ())), "none"),
                     mailboxes=sorted(boxes.get(r[0], ())), deadline=deadlines.get(r[0]))
            for r in found]


def walk_the_index(s: Session) -> None:
    """On PostgreSQL, plan the page as a walk down the arrival index that stops after a page.

    The current labels are COALESCEs of two lookups, whose selectivity the planner cannot
    estimate: for a filter on type and urgency it expects one row, hashes every classification
    and correction, sorts, and compiles the plan with JIT (0.9 s at 200,000 messages, where the
    walk takes 30 ms). Transaction-scoped settings, so nothing else is affected."""
    if s.get_bind().dialect.name == "postgresql":
        for setting in ("jit", "enable_hashjoin", "enable_mergejoin"):
            s.execute(text(f"SET LOCAL {setting} = off"))


def page(sessions: Sessions, f: QueueFilter, cursor: str | None = None, limit: int = 50) -> QueuePage:
    limit = min(limit, MAX_PAGE)
    with sessions() as s:
        walk_the_index(s)
        found = s.execute(statement(f, cursor, limit)).all()
        more = len(found) > limit
        rows = _rows(s, found[:limit])
    return QueuePage(rows=rows, next_cursor=encode_cursor(rows[-1].received_at, rows[-1].id) if more and rows else None)


def rows(sessions: Sessions, pks: list[int]) -> list[QueueRow]:
    """The queue's rows of the given messages, in the order given (the search's results)."""
    if not pks:
        return []
    with sessions() as s:
        found = {r[0]: r for r in s.execute(_columns().where(StoredMessage.id.in_(pks)))}
        return _rows(s, [found[pk] for pk in pks if pk in found])


def review_statement(after: tuple[float, int] | None, limit: int) -> Select[Any]:
    """Latest classifications that need a human and have no correction, least confident first;
    keyset on (lower confidence, classification id)."""
    lower = case((Classification.type_confidence < Classification.urgency_confidence, Classification.type_confidence),
                 else_=Classification.urgency_confidence)
    query = (select(Classification.id, lower, StoredMessage.id, StoredMessage.received_at, StoredMessage.subject,
                    StoredMessage.sender, StoredMessage.kind, Classification.type, Classification.urgency,
                    Classification.type_confidence, Classification.urgency_confidence, Classification.explanation)
             .join(StoredMessage, StoredMessage.id == Classification.message_pk)
             .where(Classification.needs_review.is_(True),
                    ~exists().where(_newer_c.message_pk == Classification.message_pk, _newer_c.id > Classification.id),
                    ~exists().where(Correction.message_pk == Classification.message_pk)))
    if after is not None:
        query = query.where(or_(lower > after[0], and_(lower == after[0], Classification.id > after[1])))
    return query.order_by(lower, Classification.id).limit(limit + 1)


def review(sessions: Sessions, after: tuple[float, int] | None = None,
           limit: int = 20) -> tuple[list[ReviewRow], tuple[float, int] | None]:
    """The review queue's page and the key of the next one (None on the last)."""
    with sessions() as s:
        found = s.execute(review_statement(after, limit)).all()
    more, found = len(found) > limit, found[:limit]
    rows = [ReviewRow(id=r[2], received_at=r[3], subject=r[4], sender=r[5], kind=r[6], type=r[7], urgency=r[8],
                      type_confidence=r[9], urgency_confidence=r[10], explanation=r[11]) for r in found]
    return rows, ((found[-1][1], found[-1][0]) if more and found else None)


def mailboxes(sessions: Sessions) -> list[str]:
    """The mailboxes messages arrived in, for the queue's filter: a loose index scan (one index
    step per mailbox) rather than a DISTINCT over every sighting."""
    query = text("WITH RECURSIVE boxes(name) AS (SELECT min(mailbox) FROM sightings UNION ALL "
                 "SELECT (SELECT min(mailbox) FROM sightings WHERE mailbox > boxes.name) FROM boxes WHERE name IS NOT NULL) "
                 "SELECT name FROM boxes WHERE name IS NOT NULL LIMIT 1000")
    with sessions() as s:
        return [name for (name,) in s.execute(query)]
