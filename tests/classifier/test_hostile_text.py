"""What the model's preparation does with hostile mail, without a model: HTML to text, the split,
the placeholders, spaCy's tokenizer and the entity patterns, each message within a time budget.
The messages are the hostile corpus's (tests/data/hostile), read as the pipeline reads them."""

from __future__ import annotations

import time

import pytest

from classifier import entities, nlp as nlp_mod
from classifier.features import MAX_BODY_CHARS, MAX_SUBJECT_CHARS
from classifier.textprep import html_to_text, mask, normalise, restore_accents, split_message
from inbox.incoming import read
from inbox.mime import ParseError
from inbox.pec import UnknownReceipt
from tests.data.hostile import corpus

BUDGET = 5.0


@pytest.fixture(scope="module")
def nlp():
    return nlp_mod.load(nlp_mod.BLANK)[0]


CASES = corpus.everything()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_preparation_and_entities_within_budget(case, nlp):
    try:
        message = read(case.data()).request
    except (ParseError, UnknownReceipt):
        pytest.skip("not a message the model reads")
    started = time.perf_counter()
    subject = html_to_text((message.subject or "")[:MAX_SUBJECT_CHARS])
    parts = split_message(html_to_text((message.body or "")[:MAX_BODY_CHARS]))
    views = [mask(restore_accents(t)) for t in (subject, parts.new, parts.quoted)]
    lemmas = nlp_mod.lemmatise(nlp, views)
    folded = normalise(f"{subject}\n{parts.new}")
    found = entities.extract(parts.new, subject, message.sender, parts.signature)
    elapsed = time.perf_counter() - started
    assert elapsed < BUDGET, f"{case.id}: {elapsed:.1f} s"
    assert all(isinstance(x, str) for x in (*lemmas, folded)) and "\x00" not in folded
    assert all(len(token) < 40 or token.startswith("x") for token in folded.split())
    assert isinstance(found["emails"], list)
