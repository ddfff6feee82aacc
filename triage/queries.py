"""Every read of the store that the API, the CLI, the exports and the metrics need, in one place.

Each read opens its own short session and returns schemas from :mod:`triage.schemas`, never
rows, so callers hold nothing bound to a session. The label of a message is the operator's
latest correction when there is one, else its latest classification: the thread input, the
corrections export and the review queue agree on that here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Select, case, func, select, text
from sqlalchemy.orm import Session, selectinload

from triage import faqs
from triage.db import Sessions
from triage.models import (Checkpoint, Classification, Correction, MessageStatus, OutboxItem, OutboxStatus, PecRecord,
                           Routing, Sighting, StoredMessage)
from triage.schemas import (CorrectionOut, DeadLetter, ExportRow, Feed, FeedFilter, FeedItem, History, MessageDetail, MessageSummary,
                            Receipt, ReviewItem, RoutingOut, StoreCounts)


def summary(message: StoredMessage) -> MessageSummary:
    """The one conversion of a stored message (loaded with its sightings) to a schema."""
    return MessageSummary.model_validate(message)


def _in_mailbox(column: Any, mailbox: str) -> Any:
    return column.in_(select(Sighting.message_pk).where(Sighting.mailbox == mailbox))


def _filtered(query: Select[Any], f: FeedFilter, pk: Any, stamp: Any) -> Select[Any]:
    """The feed's and the exports' filters, applied to the message key ``pk`` and the time ``stamp``."""
    if f.type:
        query = query.where(Classification.type == f.type)
    if f.urgency:
        query = query.where(Classification.urgency == f.urgency)
    if f.needs_review is not None:
        query = query.where(Classification.needs_review.is_(f.needs_review))
    if f.since:
        query = query.where(stamp >= f.since)
    if f.until:
        query = query.where(stamp < f.until)
    if f.mailbox:
        query = query.where(_in_mailbox(pk, f.mailbox))
    return query


def feed(sessions: Sessions, after: int, limit: int, f: FeedFilter) -> Feed:
    """Classifications after the cursor ``after``, oldest first (see ``db.lock_feed`` for why ids commit in order)."""
    query = (select(Classification).where(Classification.id > after).order_by(Classification.id).limit(limit)
             .options(selectinload(Classification.message).selectinload(StoredMessage.sightings)))
    query = _filtered(query, f, Classification.message_pk, Classification.created_at)
    with sessions() as s:
        found = list(s.scalars(query))
        fixes = {k.message_pk: k for k in s.scalars(select(Correction).where(  # in id order: the latest one stays
            Correction.message_pk.in_({c.message_pk for c in found})).order_by(Correction.id))} if found else {}
        items = [FeedItem(cursor=c.id, message_pk=c.message_pk, classified_at=c.created_at,
                          correction=CorrectionOut.model_validate(fixes[c.message_pk]) if c.message_pk in fixes else None,
                          **summary(c.message).model_dump(include={"mailboxes", "subject", "sender", "kind"}),
                          **{k: getattr(c, k) for k in ("type", "urgency", "type_confidence", "urgency_confidence",
                                                        "needs_review", "model_version")})
                 for c in found]
        answers = faqs.suggestions(s, [i.message_pk for i in items])
        for item in items:
            item.faq_suggestions = answers.get(item.message_pk, [])
    return Feed(items=items, next_cursor=items[-1].cursor if items else after)


def _with_everything(query: Select[Any]) -> Select[Any]:
    return query.options(selectinload(StoredMessage.sightings), selectinload(StoredMessage.classifications),
                         selectinload(StoredMessage.pec))


def message_detail(sessions: Sessions, pk: int) -> MessageDetail | None:
    with sessions() as s:
        m = s.scalar(_with_everything(select(StoredMessage).where(StoredMessage.id == pk)))
        if m is None:
            return None
        corrections = s.scalars(select(Correction).where(Correction.message_pk == pk).order_by(Correction.id)).all()
        routings = s.scalars(select(Routing).where(Routing.message_pk == pk).order_by(Routing.id)).all()
        deliveries = s.scalars(select(OutboxItem).where(OutboxItem.message_pk == pk).order_by(OutboxItem.id)).all()
        routing = None if not routings else RoutingOut.model_validate(
            {"destination": routings[-1].destination, "rule": routings[-1].rule, "deadline": routings[-1].deadline,
             "deliveries": deliveries}, from_attributes=True)
        history = History.model_validate({"sightings": m.sightings, "classifications": m.classifications,
                                          "corrections": corrections}, from_attributes=True)
        return MessageDetail.model_validate(
            {**summary(m).model_dump(), "resolved_at": m.resolved_at, "resolved_by": m.resolved_by,
             "attachments": m.attachments, "raw_url": f"/v1/messages/{m.id}/raw",
             "classification": m.classification, "pec": m.pec, "routing": routing, "history": history,
             "faq_suggestions": faqs.suggestions(s, [pk]).get(pk, [])},
            from_attributes=True)


def raw_bytes(sessions: Sessions, pk: int) -> bytes | None:
    """The message exactly as it arrived."""
    with sessions() as s:
        return s.scalar(select(StoredMessage.raw).where(StoredMessage.id == pk))


def export_rows(sessions: Sessions, f: FeedFilter | None = None) -> Iterator[ExportRow]:
    """Every stored message with its latest labels, by id; the time filters apply to arrival."""
    query = _with_everything(select(StoredMessage)).order_by(StoredMessage.id)
    if f is not None:
        query = _filtered(query, FeedFilter(since=f.since, until=f.until, mailbox=f.mailbox), StoredMessage.id,
                          StoredMessage.received_at)
    with sessions() as s:
        for m in s.scalars(query):
            c = m.classification
            labels = {k: getattr(c, k) if c else None for k in ("type", "type_confidence", "urgency", "urgency_confidence",
                                                               "needs_review", "explanation", "model_version")}
            yield ExportRow.model_validate({**summary(m).model_dump(), "pec": m.pec, **labels}, from_attributes=True)


def stored(sessions: Sessions) -> list[ExportRow]:
    """Every message, for the terminal table of ``smista run``."""
    return list(export_rows(sessions))


def review_queue(sessions: Sessions, limit: int) -> list[ReviewItem]:
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
    with sessions() as s:
        return [ReviewItem(id=c.message_pk, subject=subject, type=c.type, type_confidence=c.type_confidence,
                           urgency=c.urgency, urgency_confidence=c.urgency_confidence) for c, subject in s.execute(query)]


def dead_letters(sessions: Sessions) -> list[DeadLetter]:
    with sessions() as s:
        return [DeadLetter.model_validate(d) for d in
                s.scalars(select(OutboxItem).where(OutboxItem.status == OutboxStatus.DEAD).order_by(OutboxItem.id))]


def messages(sessions: Sessions, statuses: Sequence[str] | None = None, after: int = 0, limit: int = 100) -> list[MessageSummary]:
    """Messages by id after ``after``, optionally only in ``statuses`` (the failed and quarantined list)."""
    query = (select(StoredMessage).where(StoredMessage.id > after).order_by(StoredMessage.id).limit(limit)
             .options(selectinload(StoredMessage.sightings)))
    if statuses:
        query = query.where(StoredMessage.status.in_(statuses))
    with sessions() as s:
        return [summary(m) for m in s.scalars(query)]


def message_statuses(sessions: Sessions, pks: list[int] | None = None,
                     statuses: Sequence[str] | None = None) -> list[tuple[int, str]]:
    """(id, status) of the messages among ``pks`` (all when None), optionally only those in ``statuses``."""
    query = select(StoredMessage.id, StoredMessage.status).order_by(StoredMessage.id)
    if pks is not None:
        query = query.where(StoredMessage.id.in_(pks))
    if statuses:
        query = query.where(StoredMessage.status.in_(statuses))
    with sessions() as s:
        return [(pk, st) for pk, st in s.execute(query)]


def sighted(sessions: Sessions, mailbox: str, folder: str, uidvalidity: int = 0) -> tuple[set[str], list[int]]:
    """The UIDs (Maildir keys) already stored from a folder, and those of its messages stored but
    not yet parsed and classified: what a backfill killed midway has left to do."""
    with sessions() as s:
        rows = s.execute(select(Sighting.uid, Sighting.message_pk, StoredMessage.status)
                         .join(StoredMessage, StoredMessage.id == Sighting.message_pk)
                         .where(Sighting.mailbox == mailbox, Sighting.folder == folder, Sighting.uidvalidity == uidvalidity)).all()
    return {uid for uid, _, _ in rows}, sorted({pk for _, pk, st in rows if st == MessageStatus.STORED})


def outcome_note(sessions: Sessions, pk: int) -> str:
    """A message's labels, or its failure reason: one line for ``smista reprocess``."""
    with sessions() as s:
        m = s.get(StoredMessage, pk)
        if m is None:
            return ""
        c = m.classification
        return f"{c.type}/{c.urgency}" if c else (m.failure_reason or "")


def store_counts(sessions: Sessions) -> StoreCounts:
    with sessions() as s:
        labels = s.execute(select(Classification.type, Classification.urgency, func.count())
                           .group_by(Classification.type, Classification.urgency)).all()
        statuses = s.execute(select(StoredMessage.status, func.count()).group_by(StoredMessage.status)).all()
        outbox = s.execute(select(OutboxItem.target, OutboxItem.status, func.count())
                           .where(OutboxItem.status != OutboxStatus.DELIVERED)
                           .group_by(OutboxItem.target, OutboxItem.status)).all()
        checkpoints = s.execute(select(Checkpoint.mailbox, Checkpoint.folder, Checkpoint.status, Checkpoint.polled_at)).all()
        oldest = s.scalar(select(func.min(StoredMessage.received_at)).where(StoredMessage.status == MessageStatus.STORED))
    return StoreCounts.model_validate({"labels": labels, "statuses": statuses, "outbox": outbox,
                                       "checkpoints": checkpoints, "oldest_unprocessed": oldest})


def database_ok(sessions: Sessions) -> bool:
    """Whether the database answers (readiness)."""
    try:
        with sessions() as s:
            s.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any database failure means not ready
        return False


def pending_deliveries(sessions: Sessions) -> bool:
    with sessions() as s:
        return s.scalar(select(OutboxItem.id).where(OutboxItem.status == OutboxStatus.PENDING).limit(1)) is not None


# Reads inside a caller's transaction (the pipeline's, the corrections'): they take a Session.

def current_labels(session: Session, pk: int) -> tuple[str | None, str | None]:
    """The (type, urgency) a message has now: corrected by an operator, or as classified."""
    corrected = session.execute(select(Correction.type, Correction.urgency).where(Correction.message_pk == pk)
                                .order_by(Correction.id.desc()).limit(1)).first()
    if corrected is not None:
        return corrected[0], corrected[1]
    classified = session.execute(select(Classification.type, Classification.urgency).where(Classification.message_pk == pk)
                                 .order_by(Classification.id.desc()).limit(1)).first()
    return (classified[0], classified[1]) if classified is not None else (None, None)


def thread_request_type(session: Session, parent_pk: int | None, depth: int = 20) -> str | None:
    """The type of the nearest earlier message of the thread that is a request (not ``other``).

    A reply to our acknowledgement of a fault report, or to a PEC receipt, still continues the
    fault report; walking up at most ``depth`` parents bounds the work on a hostile chain."""
    pk = parent_pk
    for _ in range(depth):
        if pk is None:
            return None
        label, _ = current_labels(session, pk)
        if label is not None and label != "other":
            return label
        pk = session.scalar(select(StoredMessage.thread_parent_id).where(StoredMessage.id == pk))
    return None


def corrected_messages(session: Session) -> Iterator[tuple[StoredMessage, Correction]]:
    """Every corrected message with its latest correction, oldest first."""
    latest = select(func.max(Correction.id)).group_by(Correction.message_pk)
    query = (select(StoredMessage, Correction).join(Correction, Correction.message_pk == StoredMessage.id)
             .where(Correction.id.in_(latest)).options(selectinload(StoredMessage.classifications))
             .order_by(Correction.id))
    for message, correction in session.execute(query):
        yield message, correction


def receipts(sessions: Sessions, pk: int) -> list[Receipt]:
    """The PEC receipts about message ``pk`` (linked through X-Riferimento-Message-ID), in arrival order."""
    with sessions() as s:
        rows = s.execute(select(PecRecord, StoredMessage.received_at).join(StoredMessage, StoredMessage.id == PecRecord.message_pk)
                         .where(PecRecord.refers_to_pk == pk).order_by(StoredMessage.received_at, PecRecord.message_pk)).all()
        return [Receipt(id=p.message_pk, receipt_type=p.receipt_type, received_at=at, daticert=p.daticert) for p, at in rows]
