"""The model in service, replaced by a newer version without a restart.

Requests take a reference to the current classifier and keep it to the end, so a swap never
fails a request in flight; the champion (or, before any promotion, the newest version) is looked
for at most every few seconds, so a promotion or a rollback takes effect without a restart.
The API and the poller of ``smista run`` share one holder: one model in memory, swapped for both.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from pathlib import Path

from classifier.bundle import Classifier, ModelLoadError, in_service
from classifier.features import Message
from classifier.model import Result

log = logging.getLogger(__name__)


class ModelHolder:
    def __init__(self, models_dir: Path, check_every: float = 5.0) -> None:
        self.models_dir = models_dir
        self.check_every = check_every
        self._lock = threading.Lock()
        self._current: Classifier | None = None
        self._directory: Path | None = None
        self._checked = 0.0
        self._error: str | None = None
        self.refresh(force=True)

    def refresh(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._checked < self.check_every:
            return
        self._checked = now
        newest = in_service(self.models_dir)
        if newest is None or newest == self._directory:
            return
        with self._lock:
            if newest == self._directory:
                return
            try:
                loaded = Classifier.load(newest)
            except ModelLoadError as exc:  # keep serving the model we have
                log.error("new model %s not loaded: %s", newest.name, exc)
                self._error = str(exc)
                return
            # A model is some 180,000 objects tracked by the garbage collector that live as long
            # as it serves; a full collection walking them stalls every request for tens of
            # milliseconds, so they are frozen out of its sight. Unfreezing first lets the
            # collector free the model replaced before (its spaCy pipeline holds cycles).
            gc.unfreeze()
            self._current, self._directory = loaded, newest
            gc.collect()
            gc.freeze()
            log.info("model in service: %s", loaded.version)

    @property
    def ready(self) -> bool:
        return self._current is not None

    def current(self) -> Classifier:
        self.refresh()
        if self._current is None:
            raise ModelLoadError(self._error or f"no trained model under {self.models_dir}; run 'smista train'")
        return self._current

    def classify(self, messages: list[Message]) -> list[Result]:
        """What a :class:`Classifier` does, with whichever model is current."""
        return self.current().classify(messages)
