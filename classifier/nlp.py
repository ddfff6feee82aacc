"""The spaCy Italian pipeline used for lemmas.

``it_core_news_sm`` is used when installed (its trained lemmatizer is better); otherwise
spaCy's blank Italian pipeline with the lookup lemmatizer from ``spacy-lookups-data``, which
needs nothing from the network. The name of the pipeline in use is logged and recorded in
the model's metadata, because lemmas (and so features) differ between the two.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.pipeline import Lemmatizer
from spacy.util import load_language_data, registry

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


def lookup_lemmas() -> dict[str, str]:
    """spacy-lookups-data's Italian lookup table, form -> lemma (333,000 forms)."""
    table = load_language_data(registry.lookups.get("it")["lemma_lookup"])
    if not isinstance(table, dict):
        raise RuntimeError("spacy-lookups-data's Italian lemma_lookup is not a table")
    return table


def with_lemmas(table: dict[str, str]) -> Language:
    """The blank Italian pipeline with a lookup lemmatizer over ``table`` alone.

    A model trained on the blank pipeline keeps only the forms whose form or lemma it has
    features for (:meth:`classifier.model.TriageModel.finish`): the lemmas it reads are the
    same, and the full table's 80 MB are not loaded by every worker."""
    nlp = spacy.blank("it")
    lookups = Lookups()
    lookups.add_table("lemma_lookup", table)
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    assert isinstance(lemmatizer, Lemmatizer)
    lemmatizer.initialize(lookups=lookups)
    log.info("spaCy pipeline in use: %s, with the model's %d lookup forms", BLANK, len(table))
    return nlp


def lemmatise(nlp: Language, texts: list[str], batch_size: int = 256) -> list[str]:
    """Lowercased lemmas of each text, joined by spaces; punctuation and spaces dropped."""
    lookup = _lookup(nlp)
    lowered = (t.lower() for t in texts)
    if lookup is None:
        return [" ".join((tok.lemma_ or tok.text) for tok in doc if not (tok.is_punct or tok.is_space))
                for doc in nlp.pipe(lowered, batch_size=batch_size)]
    return [" ".join(lookup(tok.orth) or tok.text for tok in doc if not (tok.is_punct or tok.is_space))
            for doc in nlp.tokenizer.pipe(lowered, batch_size=batch_size)]  # type: ignore[union-attr]


def _lookup(nlp: Language) -> Callable[[int], str | None] | None:
    """The lookup lemmatizer's table read by the token's hash, when tokens and that table are
    all the pipeline makes: the same lemmas as running the component, in a third less time
    (its per-token Python call hashes every form again)."""
    if nlp.pipe_names != ["lemmatizer"]:
        return None
    lemmatizer = nlp.get_pipe("lemmatizer")
    if not isinstance(lemmatizer, Lemmatizer) or lemmatizer.mode != "lookup":
        return None
    table = lemmatizer.lookups.get_table("lemma_lookup")  # an OrderedDict keyed by the form's hash
    read: Callable[[int], str | None] = OrderedDict.get.__get__(table)  # by hash: skips Table.get's hashing
    return read
