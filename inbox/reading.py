"""Attachments read in a child process, so that their budgets hold whatever the file does.

A PDF parser can loop on a crafted file or allocate gigabytes for one object; inside the
poller that would stop the mailbox. Here a long-lived worker process (address space capped)
reads one document at a time; one that overruns its deadline is killed and replaced, and its
attachment recorded as failed with the reason. The worker is started lazily, on the first
message with something to read, and serves every later one.
"""

from __future__ import annotations

import logging
import os
import pickle
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from typing import IO, Any

from inbox.documents import FAILED, SKIPPED, Budget, Document, Item, kind_of, read, unread
from inbox.ocr import Ocr, find

log = logging.getLogger(__name__)


def _serve(source: IO[bytes], sink: IO[bytes]) -> None:
    """The worker's loop: a (budget, ocr, memory) set-up, then one (name, type, bytes) per request."""
    import resource

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings on broken files would go to the parent's stderr
    budget, ocr, memory = pickle.load(source)
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    while True:
        try:
            name, ctype, data = pickle.load(source)
        except EOFError:
            return
        pickle.dump(read(name, ctype, data, budget, ocr).record(), sink)
        sink.flush()


class DocumentReader:
    """Reads a message's attachments within the budget; thread-safe (one document at a time)."""

    def __init__(self, budget: Budget | None = None, ocr: Ocr | None | bool = True, memory_mb: int = 1536,
                 grace: float = 5.0) -> None:
        self.budget = budget or Budget()
        self.grace = grace  # beyond the budget, before the worker is killed: the readers check the budget themselves
        self._ocr = ocr     # True: looked up when the first document is read, not at every start-up
        self.memory = memory_mb * 1024 * 1024
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._tmp: str | None = None

    @property
    def max_bytes(self) -> int:
        return self.budget.max_bytes

    @property
    def ocr(self) -> Ocr | None:
        """The OCR the worker uses (``tesseract --list-langs`` is run once, on first use)."""
        if self._ocr is True:
            self._ocr = find() or False
            log.info("attachments: OCR %s", "with tesseract (ita)" if self._ocr else "not available: scans are listed, not read")
        return self._ocr if isinstance(self._ocr, Ocr) else None

    def __call__(self, items: Sequence[Item]) -> list[dict[str, Any]]:
        """One record per item (see :class:`inbox.documents.Document`), in order."""
        out: list[dict[str, Any]] = []
        started = time.monotonic()
        for name, ctype, data, size in items:
            kind = kind_of(name, ctype)
            refused = unread(kind, size, self.budget)
            if refused is not None:
                out.append(refused.record())
            elif data is None:
                out.append(Document(SKIPPED, kind, "its bytes could not be taken whole from the message").record())
            elif len(out) >= self.budget.max_documents:
                out.append(Document(SKIPPED, kind, f"more than {self.budget.max_documents} documents in one message").record())
            elif time.monotonic() - started > self.budget.message_seconds:
                out.append(Document(SKIPPED, kind, f"the message's {self.budget.message_seconds:g} s reading budget is spent").record())
            else:
                out.append(self._read(name, ctype, data, kind))
        return out

    def _read(self, name: str, ctype: str, data: bytes, kind: str) -> dict[str, Any]:
        # One document at a time; a caller that waited a whole message budget for its turn gives up.
        if not self._lock.acquire(timeout=self.budget.message_seconds):
            return Document(SKIPPED, kind, "the attachment reader was busy with other messages").record()
        try:
            started = time.monotonic()
            try:
                process = self._worker()
                assert process.stdin is not None and process.stdout is not None
                pickle.dump((name, ctype, data), process.stdin)
                process.stdin.flush()
                # The worker keeps to the budget itself; the grace covers a reader stuck where it cannot check.
                waiting = select.poll()  # not select(): no limit on the descriptor's number
                waiting.register(process.stdout, select.POLLIN)
                if waiting.poll((self.budget.seconds + self.grace) * 1000):
                    result: dict[str, Any] = pickle.load(process.stdout)
                    return result
                reason = f"reading took more than {self.budget.seconds:g} s: the reader was stopped"
            except (EOFError, OSError, pickle.UnpicklingError):
                reason = "the reader process died on this file (memory budget or a crash)"
            except BaseException:
                self._stop()  # a reply left in the pipe would be read as the next document's
                raise
            self._stop()
            log.warning("attachment %r (%s): %s", name[:80], kind, reason)
            return Document(FAILED, kind, reason, seconds=round(time.monotonic() - started, 3)).record()
        finally:
            self._lock.release()

    def _worker(self) -> subprocess.Popen[bytes]:
        """The running worker, started when there is none (a plain interpreter: no fork of a
        threaded server, no re-import of the caller's main module)."""
        if self._process is None or self._process.poll() is not None:
            self._stop()
            self._tmp = tempfile.mkdtemp(prefix="smista-documents-")  # OCR's files: removed with the worker
            # Its own process group, so that a kill takes the tesseract or pdftoppm it runs with it.
            self._process = subprocess.Popen([sys.executable, "-m", "inbox.reading"], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, start_new_session=True,
                                             env={**os.environ, "PYTHONPATH": _path(), "TMPDIR": self._tmp})
            assert self._process.stdin is not None
            pickle.dump((self.budget, self.ocr, self.memory), self._process.stdin)
            self._process.stdin.flush()
        return self._process

    def _stop(self) -> None:
        if self._process is not None:
            try:
                os.killpg(self._process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._process.wait(5)
            for pipe in (self._process.stdin, self._process.stdout):
                if pipe is not None:
                    pipe.close()
        self._process = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def close(self) -> None:
        with self._lock:
            self._stop()


def _path() -> str:
    """This package's root first, so the worker imports the same smista as its parent."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)


if __name__ == "__main__":
    _serve(sys.stdin.buffer, sys.stdout.buffer)
