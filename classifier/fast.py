"""Fast paths for the fitted model.

scikit-learn validates its inputs and builds intermediate matrices on every call; that costs a few
milliseconds per message, more than the arithmetic, and the API and the poller classify one
message or a small batch at a time. So the fitted vectorizers and calibrated heads are flattened
into plain tables once, after fitting, and applied with NumPy. Tests check both against
scikit-learn on the same inputs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as attribute  # 'field' is a FastBlock attribute
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse
from scipy.special import expit

if TYPE_CHECKING:  # only fitting builds these from scikit-learn objects
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion


@dataclass
class FastBlock:
    """One fitted ``TfidfVectorizer`` as its vocabulary, idf vector and analyzer settings, scaled
    by its union weight. It keeps no scikit-learn object, so a process that only classifies never
    imports scikit-learn (which brings SciPy's statistics and pandas: over 100 MB of memory)."""

    field: str
    vocabulary: dict[str, int]
    idf: np.ndarray
    analyzer: str               # "word" or "char_wb", the two kinds the union builds
    ngram_range: tuple[int, int]
    token_pattern: str
    sublinear_tf: bool
    offset: int
    weight: float
    pattern: re.Pattern[str] = attribute(init=False, repr=False)
    words: dict[str, tuple[int, ...]] = attribute(init=False, repr=False)  # char_wb: word -> columns

    WORDS_KEPT = 50_000
    UNPICKLED = ("pattern", "words")  # rebuilt after loading

    def __post_init__(self) -> None:
        self.pattern = re.compile(self.token_pattern)
        self.words = {}

    @classmethod
    def of(cls, field: str, vectorizer: TfidfVectorizer, offset: int, weight: float) -> FastBlock:
        if (vectorizer.binary or not vectorizer.use_idf or vectorizer.norm != "l2" or not vectorizer.lowercase
                or vectorizer.analyzer not in ("word", "char_wb") or vectorizer.stop_words is not None
                or vectorizer.strip_accents is not None or vectorizer.preprocessor is not None
                or vectorizer.tokenizer is not None):
            raise ValueError(f"fast features support lowercased, l2-normalised TF-IDF only, not block {field}")
        return cls(field, dict(vectorizer.vocabulary_), np.asarray(vectorizer.idf_), vectorizer.analyzer,
                   tuple(vectorizer.ngram_range), vectorizer.token_pattern, bool(vectorizer.sublinear_tf),
                   offset, weight)

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in self.UNPICKLED}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    def word_grams(self, doc: str) -> list[str]:
        """The word n-grams scikit-learn's ``word`` analyzer yields for ``doc``."""
        tokens = self.pattern.findall(doc.lower())
        low, high = self.ngram_range
        return [" ".join(tokens[i:i + n]) for n in range(low, high + 1) for i in range(len(tokens) - n + 1)]

    def char_grams(self, word: str) -> list[str]:
        """The character n-grams of one word padded by spaces, as scikit-learn's ``char_wb``."""
        padded = f" {word} "
        low, high = self.ngram_range
        grams: list[str] = []
        for n in range(low, high + 1):
            grams += (padded[i:i + n] for i in range(max(len(padded) - n, 0) + 1))
            if len(padded) <= n:  # a word shorter than n is counted once, whole
                break
        return grams

    def columns(self, doc: str) -> Counter[int]:
        """The vocabulary columns of ``doc``'s tokens, with their counts."""
        vocabulary = self.vocabulary
        if self.analyzer == "word":
            found: Counter[Any] = Counter(map(vocabulary.get, self.word_grams(doc)))
            found.pop(None, None)  # tokens outside the vocabulary
            return found
        # Character n-grams of char_wb never cross a word boundary, and words repeat from one
        # message to the next: each word's columns are computed once and remembered.
        if len(self.words) > self.WORDS_KEPT:
            self.words.clear()
        per_word = []
        for word in doc.lower().split():
            cols = self.words.get(word)
            if cols is None:
                cols = self.words[word] = tuple(j for j in map(vocabulary.get, self.char_grams(word)) if j is not None)
            per_word.append(cols)
        return Counter(chain.from_iterable(per_word))

    def entries(self, docs: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows, columns and values of ``docs``: the same as the vectorizer's transform, in COO form.

        Tokens are counted per document in Python (as scikit-learn does); the weighting and the
        l2 normalisation run once for the whole batch."""
        rows: list[int] = []
        columns: list[int] = []
        counts: list[int] = []
        for i, doc in enumerate(docs):
            found = self.columns(doc)
            rows += [i] * len(found)
            columns += found.keys()
            counts += found.values()
        row, column = np.array(rows, dtype=np.int64), np.array(columns, dtype=np.int64)
        values = np.array(counts, dtype=float)
        if self.sublinear_tf:
            values = np.log(values) + 1
        values *= self.idf[column]
        norms = np.sqrt(np.bincount(row, weights=values * values, minlength=len(docs)))
        values /= norms[row]  # every row that has entries has a positive norm
        return row, column + self.offset, values * self.weight


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
            blocks.append(FastBlock.of(pipe.named_steps["field"].name, vectorizer, offset, weights.get(name, 1.0)))
            offset += len(vectorizer.vocabulary_)
        return cls(blocks, offset)

    def transform(self, records: Sequence[object]) -> sparse.csr_matrix:
        parts = [block.entries([getattr(r, block.field) for r in records]) for block in self.blocks]
        rows, columns, values = (np.concatenate(p) for p in zip(*parts))
        X = sparse.csr_matrix((values.astype(np.float32), (rows, columns)), shape=(len(records), self.width))
        X.sort_indices()
        return X


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
        result: np.ndarray = np.minimum(proba.mean(axis=1), 1.0)
        return result

