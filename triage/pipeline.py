"""The flow of one message: raw bytes committed first, then parsed, classified and committed.

``store_raw`` never fails on content: whatever the bytes are, they are kept. ``process`` turns a
stored message into a classification, a PEC receipt record, or a recorded failure with its
reason; it never raises on bad input, so the poller always goes on to the next message.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Protocol
from collections.abc import Callable
from email import policy
from email.parser import BytesHeaderParser

from sqlalchemy import select
from sqlalchemy.orm import Session, defer, selectinload

from classifier.bundle import classify_isolated
from classifier.features import Message
from classifier.model import Result
from inbox.incoming import Incoming, ReadDocuments, read
from inbox.mime import ParseError, ParsedMail
from inbox.pec import MessageKind, PecData, SignatureCheck, UnknownReceipt
from triage.db import Sessions
from triage.models import (Classification, MessageStatus, OutboxItem, OutboxTarget, PecRecord, Routing, Sighting,
                           StoredMessage, utcnow)
from triage.queries import summary, thread_request_type
from triage.routing import Router
from triage.schemas import RoutingPayload

log = logging.getLogger(__name__)
#: Headers each delivery adds on top; they differ between mailboxes for the same message.
_TRACE = re.compile(rb"^(return-path|delivered-to|x-original-to|x-delivered-to|received|x-received):", re.I)


def identity(raw: bytes) -> tuple[str, str]:
    """Message-ID and the sha256 of the message without its per-delivery trace headers."""
    head, sep, body = raw.partition(b"\r\n\r\n") if b"\r\n\r\n" in raw[:65536] else raw.partition(b"\n\n")
    lines, skipping = [], False
    for line in re.split(rb"(?<=\n)", head):
        if line[:1] in (b" ", b"\t"):
            if not skipping:
                lines.append(line)
            continue
        skipping = bool(_TRACE.match(line))
        if not skipping:
            lines.append(line)
    digest = hashlib.sha256(b"".join(lines) + sep + body).hexdigest()
    try:
        message_id = str(BytesHeaderParser(policy=policy.compat32).parsebytes(raw[:65536]).get("Message-ID") or "").strip()
    except Exception:  # noqa: BLE001 - hostile headers: the sha256 still identifies the message
        message_id = ""
    return message_id[:998], digest


class Classifies(Protocol):
    """A ``Classifier``, or the ``ModelHolder`` that swaps them without a restart."""

    def classify(self, messages: list[Message]) -> list[Result]: ...


@dataclass
class Outcome:
    pk: int
    new: bool
    status: str


class Pipeline:
    """Stores, parses and classifies; the only place that writes messages and their results.

    ``check_signature``: how PEC signatures are verified (None: not checked); ``domains``: the
    service domain of each mailbox, for routing rules; ``documents``: how attachments are read
    (``inbox.reading.DocumentReader``; None: listed only)."""

    def __init__(self, sessions: Sessions, classifier: Classifies, check_signature: SignatureCheck | None = None,
                 max_bytes: int = 50 * 1024 * 1024, router: Router | None = None, oncall: bool = False,
                 domains: dict[str, str] | None = None, max_attempts: int = 3, documents: ReadDocuments | None = None) -> None:
        self.sessions = sessions
        self.classifier = classifier
        self.check_signature = check_signature
        self.max_bytes = max_bytes
        self.router = router
        self.oncall = oncall
        self.domains = domains or {}
        self.max_attempts = max_attempts
        self.documents = documents

    def store_raw(self, raw: bytes, mailbox: str, folder: str, uidvalidity: int, uid: str) -> tuple[int, bool]:
        """Commit the bytes and this sighting; a message seen before gets only the sighting."""
        return self.store_many([(uid, raw)], mailbox, folder, uidvalidity)[0]

    def store_many(self, items: list[tuple[str, bytes]], mailbox: str, folder: str, uidvalidity: int,
                   acknowledged: bool = False) -> list[tuple[int, bool]]:
        """``store_raw`` for a fetched batch, in one transaction: the bytes are safe before anything else.

        Sightings and identities are looked up for the whole batch at once and the new rows are
        inserted in two flushes, not two per message. ``acknowledged``: the source is never marked
        (an archive), so there is nothing left to acknowledge."""
        if not items:
            return []
        with self.sessions.begin() as session:
            seen = dict(session.execute(select(Sighting.uid, Sighting.message_pk).where(
                Sighting.mailbox == mailbox, Sighting.folder == folder, Sighting.uidvalidity == uidvalidity,
                Sighting.uid.in_([uid for uid, _ in items]))).all())
            identities = {uid: identity(raw) for uid, raw in items if uid not in seen}
            message_ids = {m for m, _ in identities.values()}
            known: dict[tuple[str, str], StoredMessage] = {
                (s.message_id_header, s.sha256): s
                for s in session.scalars(select(StoredMessage).where(StoredMessage.message_id_header.in_(message_ids)))}
            existing = set(known)
            sightings: dict[str, StoredMessage] = {}
            for uid, raw in items:
                if uid in seen or uid in sightings:
                    continue
                key = identities[uid]
                if key not in known:  # new, or a copy of one earlier in this batch
                    known[key] = StoredMessage(message_id_header=key[0], sha256=key[1], raw=raw, size=len(raw))
                    session.add(known[key])
                sightings[uid] = known[key]
            session.flush()
            session.add_all([Sighting(message_pk=stored.id, mailbox=mailbox, folder=folder, uidvalidity=uidvalidity, uid=uid,
                                      acknowledged=acknowledged) for uid, stored in sightings.items()])
            session.flush()
            out, first = [], set()
            for uid, _ in items:
                if uid in seen:
                    out.append((seen[uid], False))
                    continue
                stored = sightings[uid]
                new = identities[uid] not in existing and stored.id not in first
                first.add(stored.id)
                out.append((stored.id, new))
        return out

    def ingest(self, raw: bytes, mailbox: str, folder: str, uidvalidity: int, uid: str) -> Outcome:
        pk, new = self.store_raw(raw, mailbox, folder, uidvalidity, uid)
        return Outcome(pk, new, self.process_pending([pk])[pk])

    def process_pending(self, pks: list[int], heartbeat: Callable[[], None] | None = None,
                        raws: dict[int, bytes] | None = None) -> dict[int, str]:
        """Process the messages among ``pks`` still in status ``stored``; return every status.
        ``raws``: their bytes where the caller holds them already (not read back from the store).

        A message whose processing was started before and never finished (its worker was killed,
        ran out of memory, hung) is tried again alone, so that it cannot take its batch down with
        it again; after ``max_attempts`` starts it is quarantined and skipped until ``smista
        reprocess`` asks for it."""
        with self.sessions() as session:
            rows = session.execute(select(StoredMessage.id, StoredMessage.status, StoredMessage.attempts)
                                   .where(StoredMessage.id.in_(pks))).all()
        status: dict[int, str] = {pk: st for pk, st, _ in rows}
        started = {pk: n for pk, st, n in rows if st == MessageStatus.STORED}
        todo = [pk for pk in dict.fromkeys(pks) if pk in started]
        status.update(self._attempt([pk for pk in todo if started[pk] == 0], heartbeat, raws))
        for pk in (pk for pk in todo if started[pk] > 0):
            status.update(self._attempt([pk], heartbeat, raws))
        return status

    def process_stranded(self, older_than: float, limit: int = 500) -> dict[int, str]:
        """Messages stored more than ``older_than`` seconds ago and still not processed: their
        worker died between storing and classifying. Each is claimed by one worker only
        (``process_many`` locks with SKIP LOCKED)."""
        cutoff = utcnow() - timedelta(seconds=older_than)
        with self.sessions() as session:
            pks = list(session.scalars(select(StoredMessage.id).where(
                StoredMessage.status == MessageStatus.STORED, StoredMessage.received_at < cutoff)
                .order_by(StoredMessage.id).limit(limit)))
        if pks:
            log.info("%d stranded messages taken over", len(pks))
        return self.process_pending(pks) if pks else {}

    def _attempt(self, pks: list[int], heartbeat: Callable[[], None] | None = None,
                 raws: dict[int, bytes] | None = None) -> dict[int, str]:
        """Count the start of a run in its own commit, quarantine what has started too often, process the rest."""
        if not pks:
            return {}
        quarantined: dict[int, str] = {}
        with self.sessions.begin() as session:
            for message in session.scalars(select(StoredMessage).where(StoredMessage.id.in_(pks))):
                message.attempts += 1
                if message.attempts > self.max_attempts:
                    message.status = MessageStatus.QUARANTINED
                    message.failure_reason = (f"quarantined: processing started {self.max_attempts} times and never "
                                              "finished (the worker was killed or hung); 'smista reprocess' tries again")
                    quarantined[message.id] = message.status
                    log.error("message %s quarantined after %d unfinished attempts", message.id, self.max_attempts)
        return quarantined | self.process_many([pk for pk in pks if pk not in quarantined], heartbeat, pending=True, raws=raws)

    def process(self, pk: int) -> str:
        """Parse and classify one stored message; record a failure instead of raising."""
        return self.process_many([pk]).get(pk, MessageStatus.STORED)  # absent: another worker holds it

    def process_many(self, pks: list[int], heartbeat: Callable[[], None] | None = None, pending: bool = False,
                     raws: dict[int, bytes] | None = None) -> dict[int, str]:
        """Parse, classify (one batched call to the model) and commit; failures are recorded per
        message. ``pending``: only those still ``stored`` once locked (``reprocess`` takes any).

        ``heartbeat`` is called while the batch's attachments are read (the poller renews its
        mailbox lease there): a batch of faxes can take longer than a lease."""
        if not pks:
            return {}
        read_ = self._read_all(pks, heartbeat, raws or {})
        with self.sessions.begin() as session:
            query = (select(StoredMessage).where(StoredMessage.id.in_(pks))
                     .options(selectinload(StoredMessage.sightings), defer(StoredMessage.raw)))
            if session.get_bind().dialect.name == "postgresql":  # rows another worker is processing are left to it
                query = query.with_for_update(of=StoredMessage, skip_locked=True)
            loaded = {m.id: m for m in session.scalars(query)}
            # Pending work only: a worker that took over stranded messages may have read them
            # while their first worker was still reading; whichever locks them first classifies.
            messages = [loaded[pk] for pk in pks if pk in loaded and (not pending or loaded[pk].status == MessageStatus.STORED)]
            to_classify: list[tuple[StoredMessage, Message]] = []
            # The lookups while preparing (thread parents, PEC originals) match on Message-IDs that
            # were committed when the bytes were stored, so the batch's updates can wait for one
            # flush at the end instead of one before every lookup.
            with session.no_autoflush:
                for message in messages:
                    incoming = read_.get(message.id) or self._read_one(message.id, message.size, message.raw)
                    try:
                        if isinstance(incoming, Exception):
                            raise incoming
                        request = self._prepare(session, message, incoming)
                        if request is not None:
                            to_classify.append((message, request))
                    except (ParseError, UnknownReceipt) as exc:
                        self._fail(message, str(exc))
                    except Exception as exc:  # noqa: BLE001 - a bug on one message must not stop the mailbox
                        # The sender's words may be in the exception: its type at error level, the rest at debug.
                        log.error("message %s failed: %s", message.id, type(exc).__name__)
                        log.debug("message %s failure", message.id, exc_info=True)
                        self._fail(message, f"{type(exc).__name__}: {exc}")
            results = classify_isolated(self.classifier.classify, [request for _, request in to_classify])
            for (message, _), result in zip(to_classify, results):
                if isinstance(result, str):
                    self._fail(message, result)
                    continue
                classification = Classification(message_pk=message.id, **result.to_dict())
                session.add(classification)
                message.status = MessageStatus.CLASSIFIED
                if self.router is not None:  # same transaction: a classification is never committed unrouted
                    session.flush()
                    self._route(session, message, classification)
            return {m.id: m.status for m in loaded.values()}

    @staticmethod
    def _fail(message: StoredMessage, reason: str) -> None:
        message.status, message.failure_reason = MessageStatus.FAILED, reason[:2000]

    def _read_all(self, pks: list[int], heartbeat: Callable[[], None] | None,
                  raws: dict[int, bytes]) -> dict[int, Incoming | Exception]:
        """Each message still to process, parsed with its attachments read, before the batch's
        transaction: OCR takes seconds a page, and no row may stay locked meanwhile.

        One message's bytes are loaded at a time; another worker may read the same message (it
        finds the row locked or processed afterwards), which costs time, never a second result."""
        with self.sessions() as session:
            todo = list(session.execute(select(StoredMessage.id, StoredMessage.size).where(StoredMessage.id.in_(pks))))
        out: dict[int, Incoming | Exception] = {}
        for pk, size in todo:
            if heartbeat is not None:
                heartbeat()
            raw = raws.get(pk)
            if raw is None:
                with self.sessions() as session:
                    raw = session.scalar(select(StoredMessage.raw).where(StoredMessage.id == pk))
            if raw is not None:
                out[pk] = self._read_one(pk, size, raw)
        return out

    def _read_one(self, pk: int, size: int, raw: bytes) -> Incoming | Exception:
        """``inbox.incoming.read`` within the message size budget; the exception, not raised."""
        if size > self.max_bytes:  # kept, but not parsed: a hostile size must not exhaust memory
            return ParseError(f"message of {size / 1e6:.1f} MB exceeds the {self.max_bytes / 1e6:.0f} MB limit")
        try:
            return read(raw, self.check_signature, self.documents)
        except Exception as exc:  # noqa: BLE001 - recorded as the message's failure by process_many
            return exc

    def _prepare(self, session: Session, message: StoredMessage, incoming: Incoming) -> Message | None:
        """Record headers and PEC data; return what the model must read, None for receipts."""
        content = incoming.content
        message.kind = incoming.kind
        message.subject = incoming.subject
        message.sender, message.sent_at = content.sender, content.date
        message.in_reply_to, message.references = content.in_reply_to or None, content.references
        message.attachments = incoming.attachments
        message.thread_parent_id = self._thread_parent(session, message, content)
        message.failure_reason = None
        if incoming.pec is not None:
            self._store_pec(session, message, incoming.pec)
        if incoming.is_receipt:
            self._record_receipt(session, message, incoming)
            return None
        message.needs_operator = incoming.kind == MessageKind.PEC_ANOMALY
        # A reply in a thread that already holds a request is strong evidence of a reminder or
        # a status question: the classifier reads the type of that earlier request.
        return replace(incoming.request, thread=thread_request_type(session, message.thread_parent_id))

    @staticmethod
    def _record_receipt(session: Session, message: StoredMessage, incoming: Incoming) -> None:
        message.status = MessageStatus.RECEIPT
        receipt_type = incoming.pec.receipt_type if incoming.pec else ""
        session.add(Classification(
            message_pk=message.id, type="other", type_confidence=1.0, urgency="low", urgency_confidence=1.0,
            probabilities={"type": {"other": 1.0}, "urgency": {"low": 1.0}}, needs_review=False,
            explanation={"type": [], "urgency": [], "rules": [f"PEC receipt: {receipt_type}"]}, entities={},
            model_version="rule:pec-receipt"))

    def _route(self, session: Session, message: StoredMessage, c: Classification) -> None:
        assert self.router is not None
        first = min(message.sightings, key=lambda x: x.id, default=None)  # the mailbox it arrived in first
        mailbox = first.mailbox if first else None
        decision = self.router.decide(message.received_at or utcnow(), type=c.type, urgency=c.urgency, mailbox=mailbox,
                                      domain=self.domains.get(mailbox or ""))
        session.add(Routing(message_pk=message.id, classification_pk=c.id, rule=decision.rule,
                            destination=decision.destination, deadline=decision.deadline))
        payload = RoutingPayload(
            **summary(message).model_dump(include={"id", "message_id_header", "subject", "sender", "kind", "received_at"}),
            mailbox=mailbox, destination=decision.destination, rule=decision.rule, deadline=decision.deadline,
            **{k: getattr(c, k) for k in ("type", "type_confidence", "urgency", "urgency_confidence", "needs_review",
                                          "entities", "model_version")}).model_dump(mode="json")
        session.add(OutboxItem(message_pk=message.id, target=OutboxTarget.ROUTING, idempotency_key=str(message.id),
                               payload=payload))
        if self.oncall and c.urgency == "emergency":
            session.add(OutboxItem(message_pk=message.id, target=OutboxTarget.ONCALL, idempotency_key=f"{message.id}-oncall",
                                   payload=payload))

    def _thread_parent(self, session: Session, message: StoredMessage, content: ParsedMail) -> int | None:
        refs = [r for r in [content.in_reply_to, *reversed(content.references)] if r]
        for ref in refs:
            parent = session.scalar(select(StoredMessage.id).where(StoredMessage.message_id_header == ref, StoredMessage.id != message.id)
                                    .order_by(StoredMessage.id.desc()).limit(1))
            if parent is not None:
                return parent
        return None

    def _store_pec(self, session: Session, message: StoredMessage, pec: PecData) -> None:
        refers_pk = None
        if pec.refers_to and pec.kind == MessageKind.PEC_RECEIPT:
            refers_pk = session.scalar(select(StoredMessage.id).where(StoredMessage.message_id_header == pec.refers_to,
                                                                      StoredMessage.id != message.id).limit(1))
        record = session.get(PecRecord, message.id) or PecRecord(message_pk=message.id)
        record.kind, record.receipt_type, record.receipt_detail = pec.kind, pec.receipt_type or None, pec.receipt_detail or None
        record.refers_to, record.refers_to_pk = pec.refers_to or None, refers_pk
        record.daticert, record.daticert_error = pec.daticert, pec.daticert_error or None
        record.has_signature, record.signature_verified, record.segnatura = pec.has_signature, pec.signature_verified, pec.segnatura
        session.add(record)
