"""How the signals' scores become one score per (question, FAQ).

- ``ZSumFusion``: a weighted sum of the per-query z-scores; with no weights, all equal. It
  needs no labels, so it is what a new collection starts with.
- ``LearnedFusion``: once operators have confirmed some matches, a classifier over each
  signal's z-score and reciprocal rank (the reciprocal-rank-fusion term) for the ZSum top
  candidates gives the probability that the FAQ answers the question. Gradient-boosted trees
  won over logistic regression on the QA4FAQ bench (see ``bench/faq.py``); both are here.
"""

from __future__ import annotations

from typing import Mapping, Protocol, Sequence

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


class Fusion(Protocol):
    def score(self, z: Mapping[str, np.ndarray]) -> np.ndarray: ...


class ZSumFusion:
    """Weighted mean of z-scores; signals absent from ``weights`` weigh 1."""

    def __init__(self, weights: Mapping[str, float] | None = None) -> None:
        self.weights = dict(weights or {})

    def score(self, z: Mapping[str, np.ndarray]) -> np.ndarray:
        total = sum(self.weights.get(k, 1.0) for k in z)
        summed = np.sum([self.weights.get(k, 1.0) * v for k, v in z.items()], axis=0)
        return np.asarray(summed / max(total, 1e-9), dtype=np.float32)


def _ranks(z: np.ndarray) -> np.ndarray:
    return np.argsort(np.argsort(-z, axis=1, kind="stable"), axis=1, kind="stable")


class LearnedFusion:
    """A classifier over (z-score, 1/(1+rank)) of every signal, for the ``candidates`` best
    FAQ by ``ZSumFusion``; other FAQs score below every candidate."""

    def __init__(self, kind: str = "boosted", candidates: int = 40, seed: int = 0) -> None:
        if kind not in ("boosted", "linear"):
            raise ValueError(f"LearnedFusion kind must be 'boosted' or 'linear'; got {kind!r}")
        self.kind, self.candidates, self.seed = kind, candidates, seed
        self._base = ZSumFusion()

    def _features(self, z: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        names = sorted(z)
        base = self._base.score(z)
        k = min(self.candidates, base.shape[1])
        cand = np.argsort(-base, axis=1, kind="stable")[:, :k]
        rows = np.arange(base.shape[0])[:, None]
        cols = [z[n][rows, cand] for n in names] + [1.0 / (1.0 + _ranks(z[n])[rows, cand]) for n in names]
        cols.append(base[rows, cand])
        return np.stack(cols, axis=-1).reshape(-1, len(cols)), cand

    def fit(self, z: Mapping[str, np.ndarray], relevant: Sequence[set[int]]) -> LearnedFusion:
        """``relevant[i]``: the column indices of the FAQ that answer query ``i``."""
        self.signals_ = sorted(z)
        X, cand = self._features(z)
        y = np.array([j in relevant[i] for i in range(cand.shape[0]) for j in cand[i]])
        if self.kind == "boosted":
            self.model_ = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_leaf_nodes=15,
                                                         random_state=self.seed)
        else:
            self.model_ = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
        self.model_.fit(X, y)
        return self

    def score(self, z: Mapping[str, np.ndarray]) -> np.ndarray:
        if sorted(z) != self.signals_:
            raise ValueError(f"LearnedFusion was fitted on signals {self.signals_}; got {sorted(z)}")
        X, cand = self._features(z)
        base = self._base.score(z)  # the others keep their ZSum order, below every candidate's probability
        lo, hi = base.min(axis=1, keepdims=True), base.max(axis=1, keepdims=True)
        out = (-2.0 + (base - lo) / np.maximum(hi - lo, 1e-6)).astype(np.float32)
        proba = self.model_.predict_proba(X)[:, 1].reshape(cand.shape)
        np.put_along_axis(out, cand, proba.astype(np.float32), axis=1)
        return out
