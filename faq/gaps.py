"""Gap detection: how likely it is that no published FAQ answers a question.

A question the FAQ answers has a top FAQ that stands out (high fused score, a clear margin
over the second) and on which the signals agree; a question outside the collection gets a
flat, disagreeing list. ``gap_features`` turns a ``Scores`` into those numbers, and
``GapDetector`` weighs them with a logistic regression fitted on questions whose answer is
known to be missing (e.g. FAQs hidden from the collection).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from faq.matching import Scores


def gap_features(scores: Scores) -> np.ndarray:
    """Per query: fused top-1, top-1 minus top-2, and for every signal its best z-score, its best
    raw score, the z-score it gives the fused top FAQ, and whether its own top FAQ is the fused one;
    then the number of signals that agree."""
    fused = scores.fused
    order = np.argsort(-fused, axis=1, kind="stable")
    rows = np.arange(fused.shape[0])
    top1, top2 = fused[rows, order[:, 0]], fused[rows, order[:, 1]] if fused.shape[1] > 1 else fused[rows, order[:, 0]]
    cols = [top1, top1 - top2]
    agree = np.zeros(len(rows))
    for name in sorted(scores.z):
        z, raw = scores.z[name], scores.raw[name]
        same = (z.argmax(axis=1) == order[:, 0]).astype(float)
        agree += same
        cols += [z.max(axis=1), np.where(np.isfinite(raw), raw, 0).max(axis=1), z[rows, order[:, 0]], same]
    cols.append(agree)
    return np.stack(cols, axis=1).astype(np.float64)


def nearest_distance(scores: Scores, signal: str = "e5_question") -> np.ndarray:
    """The baseline gap score: 1 - cosine of the nearest FAQ question."""
    return 1.0 - scores.raw[signal].max(axis=1)


class GapDetector:
    """Probability that no published FAQ answers the question."""

    def __init__(self, C: float = 1.0) -> None:
        self.C = C

    def fit(self, features: np.ndarray, is_gap: Sequence[bool]) -> GapDetector:
        y = np.asarray(is_gap, bool)
        if y.all() or not y.any():
            raise ValueError(f"GapDetector needs both gaps and answered questions; got {int(y.sum())} gaps out of {len(y)}")
        self.model_ = make_pipeline(StandardScaler(), LogisticRegression(C=self.C, max_iter=5000))
        self.model_.fit(features, y)
        return self

    def score(self, features: np.ndarray) -> np.ndarray:
        return self.model_.predict_proba(features)[:, 1]
