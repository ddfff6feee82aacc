"""Submissions from the API, stored and classified in small batches.

Each ``POST /v1/messages`` alone would cost three commits and one model call; sixteen at once
through one thread would queue behind each other. The batcher takes whatever submissions are
waiting (up to ``max_batch``, after at most ``max_wait`` seconds for company), stores them in one
transaction and classifies them with one model call, then answers each caller. The bytes are
committed before anything else, as for mail.
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass

from triage.pipeline import Outcome, Pipeline

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Submission:
    raw: bytes
    uid: str
    future: Future[Outcome]


class Intake:
    def __init__(self, pipeline: Pipeline, mailbox: str = "api", folder: str = "web", max_batch: int = 64,
                 max_wait: float = 0.002) -> None:
        self.pipeline = pipeline
        self.mailbox, self.folder = mailbox, folder
        self.max_batch, self.max_wait = max_batch, max_wait
        self._queue: queue.Queue[_Submission] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, raw: bytes, uid: str) -> Future[Outcome]:
        """Queue one message; the future holds its outcome once its batch is committed."""
        future: Future[Outcome] = Future()
        self._queue.put(_Submission(raw, uid, future))
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, daemon=True, name="intake")
                self._thread.start()
        return future

    def _next_batch(self) -> list[_Submission]:
        batch = [self._queue.get()]
        while len(batch) < self.max_batch:
            try:
                batch.append(self._queue.get(timeout=self.max_wait))
            except queue.Empty:
                break
        return batch

    def _run(self) -> None:
        while True:
            batch = self._next_batch()
            try:
                stored = self.pipeline.store_many([(s.uid, s.raw) for s in batch], self.mailbox, self.folder, 0)
                statuses = self.pipeline.process_pending([pk for pk, _ in stored])
            except Exception as exc:  # noqa: BLE001 - every caller of the batch gets the error; the next batch goes on
                log.exception("intake batch of %d failed", len(batch))
                for s in batch:
                    s.future.set_exception(exc)
                continue
            for s, (pk, new) in zip(batch, stored):
                s.future.set_result(Outcome(pk, new, statuses[pk]))
