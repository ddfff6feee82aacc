"""The spaCy Italian pipeline used for lemmas.

``it_core_news_sm`` is used when installed (its trained lemmatizer is better); otherwise
spaCy's blank Italian pipeline with the lookup lemmatizer from ``spacy-lookups-data``, which
needs nothing from the network. The name of the pipeline in use is logged and recorded in
the model's metadata, because lemmas (and so features) differ between the two.
"""

from __future__ import annotations

import logging
from functools import lru_cache

import spacy
from spacy.language import Language

log = logging.getLogger(__name__)

TRAINED = "it_core_news_sm"
BLANK = "blank:it+lookup"


@lru_cache(maxsize=4)
def load(preferred: str | None = None) -> tuple[Language, str]:
    """Return ``(pipeline, name)``; ``preferred=BLANK`` forces the blank pipeline."""
    if preferred != BLANK:
        try:
            nlp = spacy.load(TRAINED, exclude=["parser", "ner", "senter"])
            name = f"{TRAINED}-{nlp.meta.get('version', '?')}"
            log.info("spaCy pipeline in use: %s", name)
            return nlp, name
        except OSError:
            if preferred is not None and preferred.startswith(TRAINED):
                raise RuntimeError(
                    f"the model was trained with spaCy pipeline {preferred!r}, which is not installed; "
                    f"install the 'spacy-model' extra or retrain") from None
    nlp = spacy.blank("it")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    log.info("spaCy pipeline in use: %s (%s is not installed)", BLANK, TRAINED)
    return nlp, BLANK


def lemmatise(nlp: Language, texts: list[str], batch_size: int = 256) -> list[str]:
    """Lowercased lemmas of each text, joined by spaces; punctuation and spaces dropped."""
    out = []
    for doc in nlp.pipe((t.lower() for t in texts), batch_size=batch_size):
        out.append(" ".join((tok.lemma_ or tok.text) for tok in doc if not (tok.is_punct or tok.is_space)))
    return out
