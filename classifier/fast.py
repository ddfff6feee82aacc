"""Single-message fast paths for the fitted model.

scikit-learn validates its inputs and builds intermediate matrices on every call; that costs a few
milliseconds per message, more than the arithmetic. The API and the poller classify one message at
a time, so the fitted vectorizers and calibrated heads are flattened into plain tables once, after
fitting, and applied with NumPy. Tests check both against scikit-learn on the same inputs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion


@dataclass
class FastBlock:
    """One fitted ``TfidfVectorizer`` as a vocabulary and an idf vector, scaled by its union weight."""

    field: str
    vectorizer: TfidfVectorizer
    offset: int
    weight: float
    analyzer: Callable[[str], list[str]] | None = field(default=None, repr=False)

    def __getstate__(self) -> dict:  # the analyzer is rebuilt on load, not pickled
        return {**self.__dict__, "analyzer": None}

    def row(self, doc: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and values of ``doc``: the same as the vectorizer's transform."""
        if self.analyzer is None:
            self.analyzer = self.vectorizer.build_analyzer()
        vocabulary = self.vectorizer.vocabulary_
        counts = Counter(j for j in map(vocabulary.get, self.analyzer(doc)) if j is not None)
        if not counts:
            return np.empty(0, dtype=np.int64), np.empty(0)
        index = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = np.fromiter(counts.values(), dtype=float, count=len(counts))
        order = np.argsort(index)
        index, values = index[order], values[order]
        if self.vectorizer.sublinear_tf:
            values = np.log(values) + 1
        values = values * self.vectorizer.idf_[index]
        norm = np.sqrt(values @ values)
        if norm > 0:
            values /= norm
        return index + self.offset, values * self.weight


@dataclass
class FastFeatures:
    """The ``FeatureUnion`` of TF-IDF blocks as a list of :class:`FastBlock`."""

    blocks: list[FastBlock]
    width: int

    @classmethod
    def of(cls, union: FeatureUnion) -> FastFeatures:
        weights = union.transformer_weights or {}
        blocks, offset = [], 0
        for name, pipe in union.transformer_list:
            vectorizer = pipe.named_steps["tfidf"]
            if vectorizer.binary or not vectorizer.use_idf or vectorizer.norm != "l2":
                raise ValueError(f"fast features support l2-normalised TF-IDF only, not block {name}")
            blocks.append(FastBlock(pipe.named_steps["field"].name, vectorizer, offset, weights.get(name, 1.0)))
            offset += len(vectorizer.vocabulary_)
        return cls(blocks, offset)

    def transform(self, records: Sequence[object]) -> sparse.csr_matrix:
        if not records:
            return sparse.csr_matrix((0, self.width), dtype=np.float32)
        indices, data, indptr = [], [], [0]
        for record in records:
            for block in self.blocks:
                index, values = block.row(getattr(record, block.field))
                indices.append(index)
                data.append(values)
            indptr.append(indptr[-1] + sum(len(i) for i in indices[-len(self.blocks):]))
        return sparse.csr_matrix((np.concatenate(data).astype(np.float32), np.concatenate(indices), np.array(indptr)),
                                 shape=(len(records), self.width))


@dataclass
class FastHead:
    """A calibrated head flattened into one weight matrix: the same probabilities as
    ``CalibratedClassifierCV(LinearSVC, method="sigmoid").predict_proba``, without the input
    validation that costs milliseconds per call on a single message."""

    weights: np.ndarray    # (n_features, folds * classes), float32
    intercept: np.ndarray  # (folds * classes,)
    a: np.ndarray          # sigmoid slope per fold and class
    b: np.ndarray          # sigmoid offset per fold and class
    folds: int
    classes: int

    @classmethod
    def of(cls, clf: CalibratedClassifierCV) -> FastHead:
        parts = clf.calibrated_classifiers_
        if len(clf.classes_) < 3 or any(len(p.calibrators) != len(clf.classes_) for p in parts):
            raise ValueError("fast heads need a multiclass sigmoid-calibrated linear model")
        weights = np.vstack([p.estimator.coef_ for p in parts]).T.astype(np.float32)
        intercept = np.concatenate([p.estimator.intercept_ for p in parts])
        a = np.array([c.a_ for p in parts for c in p.calibrators], dtype=float)
        b = np.array([c.b_ for p in parts for c in p.calibrators], dtype=float)
        return cls(np.ascontiguousarray(weights), intercept, a, b, len(parts), len(clf.classes_))

    def predict_proba(self, X: sparse.csr_matrix) -> np.ndarray:
        decision = np.asarray(X @ self.weights, dtype=float) + self.intercept
        proba = expit(-(self.a * decision + self.b)).reshape(X.shape[0], self.folds, self.classes)
        total = proba.sum(axis=2, keepdims=True)
        proba = np.divide(proba, total, out=np.full_like(proba, 1 / self.classes), where=total != 0)
        return np.minimum(proba.mean(axis=1), 1.0)

