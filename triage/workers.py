"""The long-running workers (the poller, the outbox dispatcher) and the one place that runs them.

Every worker has the same shape: ``run_once()`` does what is due and returns, ``run_forever(stop)``
repeats it until ``stop`` is set, finishing the batch in hand, and ``counters`` says what it did.
:class:`Workers` starts them in threads beside the API (``smista run``, ``smista serve``) or in
the foreground until SIGINT or SIGTERM (``smista poll``, ``smista dispatch``), and reports them
in ``/health``.
"""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any, Protocol

log = logging.getLogger(__name__)


class Worker(Protocol):
    name: str
    counters: dict[str, int]

    def run_once(self) -> Any: ...

    def run_forever(self, stop: threading.Event) -> None: ...


class Workers:
    def __init__(self, workers: list[Worker]) -> None:
        self.workers = workers
        self.stop_event = threading.Event()
        self._threads: dict[str, threading.Thread] = {}

    def __bool__(self) -> bool:
        return bool(self.workers)

    def start(self) -> None:
        """Each worker in a daemon thread of its own."""
        self.stop_event.clear()
        for worker in self.workers:
            thread = threading.Thread(target=self._run, args=(worker,), daemon=True, name=worker.name)
            self._threads[worker.name] = thread
            thread.start()

    def _run(self, worker: Worker) -> None:
        try:
            worker.run_forever(self.stop_event)
        except Exception:  # noqa: BLE001 - logged; /health then shows the worker as stopped
            log.exception("worker %s stopped on an error", worker.name)

    def stop(self, timeout: float = 60.0) -> None:
        """Ask every worker to stop and wait for the batch in progress to be committed."""
        self.stop_event.set()
        for name, thread in self._threads.items():
            thread.join(timeout=timeout)
            log.info("%s stopped", name)

    def run(self) -> None:
        """In the foreground until SIGINT or SIGTERM (main thread only)."""
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: self.stop_event.set())
        self.start()
        while not self.stop_event.wait(0.5):
            if not any(t.is_alive() for t in self._threads.values()):
                break
        self.stop()

    def status(self) -> dict[str, dict[str, Any]]:
        """What ``/health`` shows: whether each worker runs, and its counters."""
        return {w.name: {"running": bool(self._threads.get(w.name) and self._threads[w.name].is_alive()), **w.counters}
                for w in self.workers}
