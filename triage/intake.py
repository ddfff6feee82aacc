"""Submissions from the API: stored at once in group commits, classified behind them.

A web form wants its receipt as soon as the message is safe, not after the model has read it:
classifying costs several times what storing does, so a caller that waited for it would hold
its connection (and the API's throughput) to the classifier's pace. Two threads share the work.
The *store* thread takes whatever submissions are waiting (up to ``max_batch``, after at most
``max_wait`` seconds for company) and commits their bytes in one transaction; each caller then
has its id. The *classify* thread takes the stored ids in batches and runs them through the
pipeline with one model call, as the poller does; a caller that asked to wait is answered then.

The backlog of stored-but-unclassified submissions is bounded: past ``max_backlog`` a new one
is refused with :class:`Busy` (the API answers 503 and Retry-After) before anything is written,
so the service slows its callers down instead of falling behind without limit. A submission is
never lost: what is stored and not yet classified when the process stops stays ``stored`` in the
database, where ``smista reprocess`` or any poller's stranded-message sweep takes it over.
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field

from triage.pipeline import Outcome, Pipeline

log = logging.getLogger(__name__)


class Busy(Exception):
    """The classification backlog is full; the caller should retry after ``retry_after`` seconds."""

    def __init__(self, backlog: int, retry_after: int) -> None:
        super().__init__(f"{backlog} submissions are waiting to be classified; retry in {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Receipt:
    """What a caller holds: ``stored`` resolves once the bytes are committed (with the outcome at
    that point), ``classified`` once the model's result is committed too."""

    stored: Future[Outcome] = field(default_factory=Future)
    classified: Future[Outcome] = field(default_factory=Future)


@dataclass(frozen=True)
class _Submission:
    raw: bytes
    uid: str
    receipt: Receipt


_STOP = object()


class Intake:
    def __init__(self, pipeline: Pipeline, mailbox: str = "api", folder: str = "web", max_batch: int = 64,
                 max_wait: float = 0.002, max_backlog: int = 2000) -> None:
        self.pipeline = pipeline
        self.mailbox, self.folder = mailbox, folder
        self.max_batch, self.max_wait, self.max_backlog = max_batch, max_wait, max_backlog
        self._submissions: queue.Queue[_Submission | object] = queue.Queue()
        self._stored: queue.Queue[tuple[Outcome, Receipt] | object] = queue.Queue()
        self._backlog = 0  # accepted and not yet classified (or failed)
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._stopping = False

    @property
    def backlog(self) -> int:
        return self._backlog

    def submit(self, raw: bytes, uid: str) -> Receipt:
        """Queue one message; raises :class:`Busy` when the backlog is full, before storing anything."""
        receipt = Receipt()
        with self._lock:
            if self._stopping:
                raise Busy(self._backlog, 5)
            if self._backlog >= self.max_backlog:
                raise Busy(self._backlog, max(1, self._backlog // 500))
            self._backlog += 1
            if not self._threads:
                self._threads = [threading.Thread(target=self._store_loop, daemon=True, name="intake-store"),
                                 threading.Thread(target=self._classify_loop, daemon=True, name="intake-classify")]
                for thread in self._threads:
                    thread.start()
        self._submissions.put(_Submission(raw, uid, receipt))
        return receipt

    def stop(self, timeout: float = 30.0) -> None:
        """Store what was accepted, classify what time allows; the rest stays ``stored``."""
        with self._lock:
            self._stopping = True
            threads = self._threads
        if not threads:
            return
        self._submissions.put(_STOP)
        for thread in threads:
            thread.join(timeout / len(threads))
        if self._backlog:
            log.warning("%d API submissions stored and left for the next start to classify", self._backlog)

    @staticmethod
    def _batch(source: queue.Queue, size: int, wait: float) -> tuple[list, bool]:
        """Up to ``size`` items, the first waited for; True when the stop marker came."""
        first = source.get()
        if first is _STOP:
            return [], True
        batch = [first]
        while len(batch) < size:
            try:
                item = source.get(timeout=wait) if wait else source.get_nowait()
            except queue.Empty:
                break
            if item is _STOP:
                return batch, True
            batch.append(item)
        return batch, False

    def _done(self, count: int) -> None:
        with self._lock:
            self._backlog -= count

    def _store_loop(self) -> None:
        stop = False
        while not stop:
            batch, stop = self._batch(self._submissions, self.max_batch, self.max_wait)
            if not batch:
                break
            try:
                stored = self.pipeline.store_many([(s.uid, s.raw) for s in batch], self.mailbox, self.folder, 0)
            except Exception as exc:  # noqa: BLE001 - every caller of the batch gets the error; the next batch goes on
                log.exception("intake: storing a batch of %d failed", len(batch))
                self._done(len(batch))
                for s in batch:
                    s.receipt.stored.set_exception(exc)
                    s.receipt.classified.set_exception(exc)
                continue
            for s, (pk, new) in zip(batch, stored):
                outcome = Outcome(pk, new, "stored")
                s.receipt.stored.set_result(outcome)
                self._stored.put((outcome, s.receipt))
        self._stored.put(_STOP)

    def _classify_loop(self) -> None:
        stop = False
        while not stop:
            batch, stop = self._batch(self._stored, self.max_batch, 0)
            if not batch:
                break
            try:
                statuses = self.pipeline.process_pending([outcome.pk for outcome, _ in batch])
            except Exception as exc:  # noqa: BLE001 - the messages stay stored; their callers get the error
                log.exception("intake: classifying a batch of %d failed", len(batch))
                for _, receipt in batch:
                    receipt.classified.set_exception(exc)
            else:
                for outcome, receipt in batch:
                    receipt.classified.set_result(Outcome(outcome.pk, outcome.new, statuses.get(outcome.pk, "stored")))
            finally:
                self._done(len(batch))
