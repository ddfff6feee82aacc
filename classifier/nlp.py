"""The spaCy Italian pipeline used for lemmas.

``it_core_news_sm`` is used when installed (its trained lemmatizer is better); otherwise
spaCy's blank Italian pipeline with the lookup lemmatizer from ``spacy-lookups-data``, which
needs nothing from the network. The name of the pipeline in use is logged and recorded in
the model's metadata, because lemmas (and so features) differ between the two.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import lru_cache
from weakref import WeakKeyDictionary

import spacy
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
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
    """Lowercased lemmas of each text, joined by spaces; punctuation and spaces dropped.

    spaCy's tokenizer splits a text at whitespace first and tokenises each run of non-space
    characters on its own (its cache is keyed by that run), so with the lookup lemmatizer a
    text's lemmas are those of its runs in order: each run is tokenised and looked up once and
    remembered (:class:`_Runs`), and a message costs a dictionary read per word."""
    lookup = _lookup(nlp)
    lowered = [_capped(t.lower()) for t in texts]
    if lookup is None:
        return [" ".join((tok.lemma_ or tok.text) for tok in doc if not (tok.is_punct or tok.is_space))
                for doc in nlp.pipe(lowered, batch_size=batch_size)]
    runs = _runs(nlp)
    split = [t.split() for t in lowered]
    lemmas = runs.lemmas({r for rs in split for r in rs}, lookup)
    whole = [runs.across(t, rs) for t, rs in zip(lowered, split)]
    redone = iter(_lemmas(nlp.tokenizer.pipe([t for t, w in zip(lowered, whole) if w]), lookup))  # type: ignore[union-attr]
    return [next(redone) if w else " ".join(filter(None, map(lemmas.__getitem__, rs))) for rs, w in zip(split, whole)]


#: The longest run of non-space characters lemmatised: spaCy strips affixes off a token one at a
#: time, each time copying the rest, so a run of punctuation costs the square of its length
#: (99,999 colons: 15 minutes). No word is that long; a hostile run is cut there.
MAX_RUN = 100
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN + 1},}}")


def _capped(text: str) -> str:
    return _LONG_RUN.sub(lambda m: m.group()[:MAX_RUN], text)


def _lemmas(docs: Iterable[Doc], lookup: Callable[[int], str | None]) -> list[str]:
    return [" ".join(lookup(tok.orth) or tok.text for tok in doc if not (tok.is_punct or tok.is_space)) for doc in docs]


class _Runs:
    """The lemmas of each whitespace-free run seen, ``""`` for a run of punctuation alone.

    The one place where runs are not independent is the tokenizer's special-case matcher: it
    matches a case's tokens (as its affixes split it) across a space too, and the longer match
    then hides a shorter one (``da: x.`` gives ``x`` ``.``, since ``:x`` is an emoticon, where
    ``x.`` alone stays whole). So each run also records which tokens it may end or start with
    before the special cases are applied (its last or first token, or that of a case it ends or
    starts with), where they are tokens of a case; a text in which two runs follow each other as
    two consecutive tokens of a case is tokenised whole, as before."""

    KEPT = 200_000  # forgotten past this many (a run of garbage words must not grow it forever)

    def __init__(self, nlp: Language) -> None:
        tokenizer = nlp.tokenizer
        assert isinstance(tokenizer, Tokenizer)
        self.tokenizer = tokenizer
        self.known: dict[str, str] = {}
        bare = Tokenizer(nlp.vocab, prefix_search=tokenizer.prefix_search, suffix_search=tokenizer.suffix_search,
                         infix_finditer=tokenizer.infix_finditer, token_match=tokenizer.token_match,
                         url_match=tokenizer.url_match)  # the same affixes, no special cases
        self.cases = {case: tokens for case in tokenizer.rules or {} if (tokens := [t.text for t in bare(case)])}
        self.longest = max(map(len, self.cases), default=0)
        # Texts are lowercased first: a case token with capitals (``o.O``, ``:D``) never meets one.
        self.pairs = {(a, b) for tokens in self.cases.values() for a, b in zip(tokens, tokens[1:])
                      if a == a.lower() and b == b.lower()}
        self.lefts, self.rights = {a for a, _ in self.pairs}, {b for _, b in self.pairs}
        self.ends: dict[str, frozenset[str]] = {}    # run -> the case tokens it may end with
        self.starts: dict[str, frozenset[str]] = {}  # run -> the case tokens it may start with

    def lemmas(self, runs: set[str], lookup: Callable[[int], str | None]) -> dict[str, str]:
        known = self.known
        found = {r: v for r in runs if (v := known.get(r)) is not None}
        new = [r for r in runs if r not in found]
        if new:
            if len(known) + len(new) > self.KEPT:
                known.clear()
                self.ends.clear()
                self.starts.clear()
            docs = list(self.tokenizer.pipe(new))
            for run, doc, lemmas in zip(new, docs, _lemmas(docs, lookup)):
                found[run] = known[run] = lemmas
                self._edges(run, doc)
        return found

    def _edges(self, run: str, doc: Doc) -> None:
        cases, longest = self.cases, self.longest  # the cases a run ends or starts with: its suffixes and prefixes looked up
        ends = {doc[-1].text} | {cases[run[k:]][-1] for k in range(max(0, len(run) - longest), len(run)) if run[k:] in cases}
        starts = {doc[0].text} | {cases[run[:k]][0] for k in range(1, min(len(run), longest) + 1) if run[:k] in cases}
        if ends & self.lefts:
            self.ends[run] = frozenset(ends & self.lefts)
        if starts & self.rights:
            self.starts[run] = frozenset(starts & self.rights)

    def across(self, text: str, runs: list[str]) -> bool:
        """Whether two runs of ``text`` (``runs``, its runs) that follow each other after a single
        space (any other whitespace is a token of its own) may be two consecutive tokens of a case."""
        ends, starts = self.ends, self.starts
        if ends.keys().isdisjoint(runs) or starts.keys().isdisjoint(runs):
            return False
        for m in _SPACED.finditer(text):
            a, b = m.groups()
            if a in ends and b in starts and any((x, y) in self.pairs for x in ends[a] for y in starts[b]):
                return True
        return False


_SPACED = re.compile(r"(?<!\S)(\S+) (?=(\S+))")  # a run and the next one, one space apart


_RUNS: WeakKeyDictionary[Language, _Runs] = WeakKeyDictionary()


def _runs(nlp: Language) -> _Runs:
    runs = _RUNS.get(nlp)
    if runs is None:
        runs = _RUNS[nlp] = _Runs(nlp)
    return runs


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
