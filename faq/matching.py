"""Match questions to the published FAQ: ten signals, fused, top-k FAQ ids with scores.

Each FAQ is three fields (question, answer, tags) scored by BM25, character TF-IDF and e5;
its paraphrases (earlier questions an operator linked to it) are extra documents of its
question field, and an FAQ scores the best of its documents, so one close paraphrase is
enough. Scores are z-normalised per query across the FAQ (the signals live on different
scales) and fused (``faq.fusion``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from faq.entries import FaqEntry
from faq.fusion import Fusion, ZSumFusion
from faq.signals import Bm25, CharTfidf, Embedder

SIGNALS = ("bm25_question", "bm25_answer", "bm25_tags", "char_question", "char_answer", "char_tags",
           "e5_question", "e5_question_tags", "e5_answer", "e5_tags")


@dataclass(frozen=True)
class Match:
    faq_id: str
    score: float


@dataclass
class Scores:
    """Per-query scores over the FAQ collection: each signal (raw and z-normalised) and the fusion."""

    faq_ids: list[str]
    raw: dict[str, np.ndarray]
    z: dict[str, np.ndarray]
    fused: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))

    def top(self, k: int = 5) -> list[list[Match]]:
        order = np.argsort(-self.fused, axis=1, kind="stable")[:, :k]
        return [[Match(self.faq_ids[j], float(self.fused[i, j])) for j in row] for i, row in enumerate(order)]


    def nearest(self) -> list[Match]:
        """Each query's top FAQ by the fusion, scored by the e5 cosine between the query and that
        FAQ's question or paraphrases. Fused z-scores depend on the size of the collection (among
        20 FAQ none stands six deviations out), a cosine does not: one suggestion threshold holds."""
        best = self.fused.argmax(axis=1)
        cosine = self.raw["e5_question"][np.arange(len(best)), best]
        return [Match(self.faq_ids[b], float(c)) for b, c in zip(best, cosine)]


def znorm(scores: np.ndarray) -> np.ndarray:
    """Per-row z-scores: how far a FAQ stands out from the rest for this query."""
    mean, std = scores.mean(axis=1, keepdims=True), scores.std(axis=1, keepdims=True)
    return ((scores - mean) / np.maximum(std, 1e-6)).astype(np.float32)


def _max_by_owner(doc_scores: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    out = np.full((doc_scores.shape[0], n), -np.inf, np.float32)
    np.maximum.at(out.T, owner, doc_scores.T)
    return out


class Matcher:
    """Built once per FAQ collection (and again when paraphrases are added)."""

    def __init__(self, entries: Sequence[FaqEntry], embedder: Embedder, fusion: Fusion | None = None) -> None:
        if not entries:
            raise ValueError("Matcher needs at least one FAQ entry; got an empty collection")
        self.entries = list(entries)
        self.faq_ids = [e.id for e in self.entries]
        self.embedder = embedder
        self.fusion: Fusion = fusion or ZSumFusion()
        n = len(self.entries)
        questions = [e.question for e in self.entries] + [p for e in self.entries for p in e.paraphrases]
        self._owner = np.array(list(range(n)) + [i for i, e in enumerate(self.entries) for _ in e.paraphrases])
        answers = [e.answer or e.question for e in self.entries]
        tags = [", ".join(e.tags) or e.question for e in self.entries]
        self._bm25 = {"question": Bm25().fit(questions), "answer": Bm25().fit(answers), "tags": Bm25().fit(tags)}
        self._char = CharTfidf().fit(questions + answers)
        self._char_docs = {"question": self._char.vectors(questions), "answer": self._char.vectors(answers),
                           "tags": self._char.vectors(tags)}
        q_tags = [f"{e.question} {', '.join(e.tags)}".strip() for e in self.entries]
        self._e5_docs = {"question": embedder.query(questions), "question_tags": embedder.query(q_tags),
                         "answer": embedder.passage(answers), "tags": embedder.passage(tags)}

    def scores(self, queries: Sequence[str], vectors: np.ndarray | None = None) -> Scores:
        """All signals for a batch of queries, and their fusion; ``vectors``: their e5 query vectors, if computed already."""
        n, owner = len(self.entries), self._owner
        raw: dict[str, np.ndarray] = {}
        for name, index in self._bm25.items():
            s = index.score(queries)
            raw[f"bm25_{name}"] = _max_by_owner(s, owner, n) if name == "question" else s
        for name, docs in self._char_docs.items():
            s = self._char.score(queries, docs)
            raw[f"char_{name}"] = _max_by_owner(s, owner, n) if name == "question" else s
        vectors = self.embedder.query(queries) if vectors is None else vectors
        for name, docs in self._e5_docs.items():
            s = (vectors @ docs.T).astype(np.float32)
            raw[f"e5_{name}"] = _max_by_owner(s, owner, n) if name == "question" else s
        result = Scores(self.faq_ids, raw, {k: znorm(v) for k, v in raw.items()})
        result.fused = self.fusion.score(result.z)
        return result

    def match(self, queries: Sequence[str], k: int = 5) -> list[list[Match]]:
        """The top-k FAQ ids with fused scores, best first, for each query."""
        return self.scores(queries).top(k)


def choose_threshold(top_scores: Sequence[float], top_correct: Sequence[bool], min_precision: float | None = None) -> float:
    """The fused-score threshold above which the top FAQ is taken to answer the question.

    Chosen on labelled pairs (each query's top score and whether that FAQ answers it): the
    threshold with the best F1 of "answered", or the lowest one reaching ``min_precision``.
    """
    s, y = np.asarray(top_scores, float), np.asarray(top_correct, bool)
    if len(s) == 0 or not y.any():
        raise ValueError(f"choose_threshold needs labelled pairs with at least one correct match; got {len(s)} pairs, {int(y.sum())} correct")
    order = np.argsort(-s, kind="stable")
    s, y = s[order], y[order]
    tp = np.cumsum(y)
    precision, recall = tp / np.arange(1, len(y) + 1), tp / y.sum()
    if min_precision is not None:
        ok = np.flatnonzero(precision >= min_precision)
        return float(s[ok[-1]]) if len(ok) else float(s[0]) + 1e-6
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-9)
    return float(s[int(np.argmax(f1))])
