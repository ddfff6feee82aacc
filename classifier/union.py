"""The scikit-learn feature union that training fits on prepared messages.

Only training imports this module: once fitted, the union is flattened into
:mod:`classifier.fast`'s tables, and a process that only classifies never loads scikit-learn.
"""

from __future__ import annotations

from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline

from classifier.features import Prepared


class Field(BaseEstimator, TransformerMixin):
    """Select one text view of :class:`Prepared` records (stateless)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fit(self, X: list[Prepared], y: object = None) -> Field:
        return self

    def transform(self, X: list[Prepared]) -> list[str]:
        return [getattr(x, self.name) for x in X]


def build_features(subject_weight: float = 1.5, quoted_weight: float = 0.35, char_weight: float = 1.0,
                   max_char_features: int = 150_000, context_weight: float = 0.0,
                   thread_weight: float = 0.0, edge_weight: float = 0.0) -> FeatureUnion:
    """Word n-grams on lemmas (subject weighted apart), character n-grams, and quoted history
    as a weaker separate block: a reminder that quotes a fault report must not read as one."""
    def words(view: str, ngram: tuple[int, int], min_df: int = 2) -> Pipeline:
        return Pipeline([("field", Field(view)),
                         ("tfidf", TfidfVectorizer(ngram_range=ngram, min_df=min_df, sublinear_tf=True,
                                                   token_pattern=r"(?u)\b\w[\w']*\b"))])
    chars = Pipeline([("field", Field("chars")),
                      ("tfidf", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True,
                                                max_features=max_char_features))])
    blocks = [("subject_words", words("subject_words", (1, 2))), ("text_words", words("text_words", (1, 3))),
              ("quoted_words", words("quoted_words", (1, 1))), ("chars", chars)]
    weights = {"subject_words": subject_weight, "text_words": 1.0, "quoted_words": quoted_weight, "chars": char_weight}
    if edge_weight:
        blocks.append(("edge_words", words("edge_words", (1, 2))))
        weights["edge_words"] = edge_weight
    for view, weight in (("context", context_weight), ("thread", thread_weight)):
        if weight:
            blocks.append((view, Pipeline([("field", Field(view)),
                                           ("tfidf", TfidfVectorizer(token_pattern=r"\S+", sublinear_tf=True))])))
            weights[view] = weight
    return FeatureUnion(blocks, transformer_weights=weights)
