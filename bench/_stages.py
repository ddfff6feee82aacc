"""Where the time of one classification goes, by stage, measured with ``perf_counter``.

A few functions of ``classifier/`` are wrapped, for the time of a measurement, by timers that
record their own time less that of the wrapped functions they call (preparation calls
lemmatisation; classify calls everything): the stages add up to the whole call. Entry points
that the code in place does not have are skipped, so the same table reads the code before and
after a change.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from typing import Any

#: stage -> (module, attribute path) of the functions whose own time is that stage's.
STAGES: dict[str, list[tuple[str, str]]] = {
    "text preparation (HTML, split, mask)": [("classifier.features", "prepare"), ("classifier.model", "prepare")],
    "lemmatisation (spaCy tokenizer + lookup)": [("classifier.nlp", "lemmatise"), ("classifier.nlp", "lemmatise_words")],
    "features (word, char n-grams, blocks)": [("classifier.fast", "FastFeatures.transform")],
    "heads (linear models, calibration)": [("classifier.fast", "FastHead.predict_proba"),
                                           ("classifier.fast", "FastHeads.predict_proba")],
    "safety rules": [("classifier.safety", "check")],
    "entities": [("classifier.entities", "extract")],
    "explanation": [("classifier.model", "TriageModel.explain")],
    "results (rest: labels, review, rounding)": [("classifier.bundle", "Classifier.classify")],
}


class _Clock:
    def __init__(self) -> None:
        self.own: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        self.stack: list[float] = []  # time spent in wrapped callees of each open call

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.stack.append(0.0)
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                inner = self.stack.pop()
                self.own[stage] += elapsed - inner
                if self.stack:
                    self.stack[-1] += elapsed
        return timed


@contextmanager
def _timed() -> Iterator[_Clock]:
    clock, undo = _Clock(), []
    for stage, entries in STAGES.items():
        for module_name, path in entries:
            owner: Any = import_module(module_name)
            *outer, name = path.split(".")
            for part in outer:
                owner = getattr(owner, part, None)
            original = getattr(owner, name, None) if owner is not None else None
            if original is None:
                continue
            setattr(owner, name, clock.wrap(stage, original))
            undo.append((owner, name, original))
    try:
        yield clock
    finally:
        for owner, name, original in reversed(undo):
            setattr(owner, name, original)


def split(classify: Callable[[list[Any]], object], batch: list[Any], singles: list[Any],
          repeats: int) -> tuple[dict[str, float], dict[str, float]]:
    """Per-message median microseconds of each stage: for one call on a single message (median
    over ``singles``) and within a batch (each repeat's total over the batch's size, median)."""
    single: dict[str, list[float]] = {s: [] for s in STAGES}
    batched: dict[str, list[float]] = {s: [] for s in STAGES}
    with _timed() as clock:
        for item in singles:
            clock.own = dict.fromkeys(STAGES, 0.0)
            classify([item])
            for stage, seconds in clock.own.items():
                single[stage].append(seconds * 1e6)
        for _ in range(repeats):
            clock.own = dict.fromkeys(STAGES, 0.0)
            classify(batch)
            for stage, seconds in clock.own.items():
                batched[stage].append(seconds * 1e6 / len(batch))
    return ({s: statistics.median(v) for s, v in single.items()}, {s: statistics.median(v) for s, v in batched.items()})


def table(single: dict[str, float], batched: dict[str, float]) -> str:
    lines = [f"{'stage (median per message)':44}{'single us':>10}{'share':>7}{'batch us':>10}{'share':>7}"]
    total_single, total_batch = sum(single.values()), sum(batched.values())
    for stage in STAGES:
        lines.append(f"{stage:44}{single[stage]:10.0f}{single[stage] / total_single:7.1%}"
                     f"{batched[stage]:10.0f}{batched[stage] / total_batch:7.1%}")
    lines.append(f"{'total':44}{total_single:10.0f}{'':7}{total_batch:10.0f}")
    return "\n".join(lines)
