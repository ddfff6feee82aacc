"""The FAQ worker: reads newly classified requests, off the classification path, in batches.

For each clarification (and each status request's general questions) it extracts the questions
of the new text, pseudonymised, embeds them and matches them against the published FAQ. The best
FAQ above the threshold becomes the message's suggestion (and, with a routing API configured, is
sent to it as a follow-up delivery); the others join a cluster or start one. Every
``faq_recluster_every`` clustered questions the clusters are re-built with their ids kept.

The poller and ``/v1/classify`` never wait for any of this: the worker follows a cursor over the
classifications, so it can run in ``smista run``, alone (``smista faq work``) or not at all.
"""

from __future__ import annotations

import logging
import threading

import numpy as np
from sqlalchemy.orm import Session

from faq.clustering import IncrementalClusterer
from faq.matching import Matcher
from faq.questions import extract_questions, is_general
from faq.signals import E5Embedder, Embedder
from faq.space import QuestionSpace, background_questions
from classifier.features import is_cover_note
from classifier.textprep import html_to_text, split_message
from inbox.incoming import read, stored
from triage import faqs
from triage.db import Sessions
from triage.faq_models import QuestionRecord
from triage.faq_schemas import FaqUpdate
from triage.models import OutboxItem, OutboxTarget, StoredMessage
from triage.settings import Settings

log = logging.getLogger(__name__)
ASKING = {"clarification", "status"}


def questions_in(message: StoredMessage, request_type: str, max_chars: int) -> list[str]:
    """The questions worth an FAQ in a stored message: parsed again from its raw bytes, with the
    letter read at intake when the body only carried it."""
    try:
        incoming = read(message.raw, documents=stored(message.attachments))
    except Exception as exc:  # noqa: BLE001 - the pipeline stored it already; its questions are simply not read
        log.info("message %s: questions not read (%s)", message.id, type(exc).__name__)
        return []
    text, letter = incoming.request.body, incoming.request.attachment
    if letter and is_cover_note(split_message(html_to_text(text[:max_chars])).new, letter):
        text = f"{text}\n\n{letter}"
    found = extract_questions(text[:max_chars])
    return found if request_type == "clarification" else [q for q in found if is_general(q)]


class FaqWorker:
    name = "faq"

    def __init__(self, settings: Settings, sessions: Sessions, embedder: Embedder | None = None) -> None:
        self.settings, self.sessions = settings, sessions
        self._embedder = embedder
        self._matcher: Matcher | None = None
        self._stamp: tuple[int, int, str] | None = None
        self._clusters: IncrementalClusterer | None = None
        self._space: QuestionSpace | None = None
        self._decisions = -1
        self._since_recluster = 0
        self.domains = {mb.name: mb.domain for mb in settings.watched if mb.domain}
        self.counters = {"messages": 0, "questions": 0, "matched": 0, "clustered": 0, "reclusters": 0}

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = E5Embedder()
        return self._embedder

    @property
    def space(self) -> QuestionSpace:
        """Centred on the shipped background questions, not on what arrived: a burst of one
        question would otherwise become the centre and its questions stop looking alike."""
        if self._space is None:
            self._space = QuestionSpace(self.embedder.query(background_questions()).mean(axis=0))
        return self._space

    def matcher(self, session: Session) -> Matcher | None:
        """Rebuilt whenever the published collection changed (a new FAQ, an edit, a paraphrase)."""
        stamp = faqs.collection_stamp(session)
        if stamp != self._stamp:
            entries = faqs.for_matching(session)
            self._matcher = Matcher(entries, self.embedder) if entries else None
            self._stamp = stamp
        return self._matcher

    def clusters(self, session: Session, next_id: int) -> IncrementalClusterer:
        """Restored from the store at start and after editors decided on clusters."""
        decisions = faqs.decision_count(session)
        if self._clusters is None or decisions != self._decisions:
            ids, raw, labels = faqs.clustered(session)
            vectors = self.space.vectors(raw) if len(ids) else raw
            self._clusters = IncrementalClusterer.restore(ids, vectors, labels, next_id, self.settings.faq_join)
            self._decisions = decisions
        return self._clusters

    def run_once(self) -> int:
        """One batch of classifications; returns how many were read."""
        with self.sessions.begin() as session:
            progress = faqs.progress(session, lock=True)
            batch = faqs.classified_after(session, progress.classification_id, self.settings.faq_batch)
            if not batch:
                return 0
            asked = [faqs.Asked(message.id, position, text, message.sender, mailbox, self.domains.get(mailbox or ""),
                                message.sent_at or message.received_at)
                     for _, request_type, message, mailbox in batch if request_type in ASKING
                     for position, text in enumerate(questions_in(message, request_type, self.settings.faq_max_chars))]
            if asked:
                progress.next_cluster_id = self._handle(session, asked, progress.next_cluster_id)
            progress.classification_id = batch[-1][0]
            self.counters["messages"] += len(batch)
            return len(batch)

    def _handle(self, session: Session, asked: list[faqs.Asked], next_id: int) -> int:
        e5 = self.embedder.query([a.text for a in asked])
        matcher = self.matcher(session)
        nearest: list[tuple[str, float] | None] = [None] * len(asked)
        if matcher is not None:
            nearest = [(m.faq_id, m.score) for m in matcher.scores([a.text for a in asked], e5).nearest()]
        threshold = self.settings.faq_match_threshold
        records = [faqs.add_question(session, a, n, threshold) for a, n in zip(asked, nearest)]
        session.flush()
        open_rows = [i for i, r in enumerate(records) if r.faq_id is None]
        self.counters["questions"] += len(records)
        self.counters["matched"] += len(records) - len(open_rows)
        if open_rows:
            next_id = self._cluster(session, [records[i] for i in open_rows], e5[open_rows], next_id)
        self._suggest(session, {r.message_pk for r in records if r.faq_id is not None})
        return next_id

    def _cluster(self, session: Session, records: list[QuestionRecord], e5: np.ndarray, next_id: int) -> int:
        clusters = self.clusters(session, next_id)
        for record, vector in zip(records, e5):
            record.vector = np.asarray(vector, np.float32).tobytes()
        ids = clusters.add([r.id for r in records], self.space.vectors(e5))
        for record, cid in zip(records, ids):
            record.cluster_id = cid
        self.counters["clustered"] += len(records)
        self._since_recluster += len(records)
        if self._since_recluster >= self.settings.faq_recluster_every:
            self.recluster(session)
        return clusters.next_id

    def recluster(self, session: Session) -> int:
        """Re-build every open cluster, ids kept where they overlap; returns how many there are."""
        clusters = self.clusters(session, faqs.progress(session).next_cluster_id)
        sizes = clusters.recluster()
        faqs.set_clusters(session, {int(str(k)): c for k, c in zip(clusters.keys, clusters.labels)})
        faqs.progress(session).next_cluster_id = clusters.next_id
        self._since_recluster = 0
        self.counters["reclusters"] += 1
        return len(sizes)

    def _suggest(self, session: Session, message_pks: set[int]) -> None:
        """The routing API hears of the suggestions too, as a follow-up to the message it was sent."""
        if not self.settings.routing_url or not message_pks:
            return
        for pk, found in faqs.suggestions(session, sorted(message_pks)).items():
            payload = FaqUpdate(id=pk, faq_suggestions=found)
            session.add(OutboxItem(message_pk=pk, target=OutboxTarget.ROUTING, idempotency_key=f"{pk}-faq",
                                   payload=payload.model_dump(mode="json")))

    def run_forever(self, stop: threading.Event, idle: float = 2.0) -> None:
        while not stop.is_set():
            try:
                read_now = self.run_once()
            except Exception:  # noqa: BLE001 - a bad batch is logged and retried; the worker keeps going
                log.exception("FAQ worker: batch failed")
                read_now = 0
            if not read_now:
                stop.wait(idle)
