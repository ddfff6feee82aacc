import json
from pathlib import Path

from classifier import nlp as nlp_mod

PROJECT = Path(__file__).resolve().parents[2]


def _component_lemmas(nlp, texts):
    """What running spaCy's lemmatizer component gives, the reference for the fast path."""
    return [" ".join((t.lemma_ or t.text) for t in doc if not (t.is_punct or t.is_space))
            for doc in nlp.pipe(t.lower() for t in texts)]


def test_reading_the_lookup_table_by_hash_gives_the_components_lemmas():
    nlp, name = nlp_mod.load(nlp_mod.BLANK)
    records = [json.loads(line) for line in (PROJECT / "data/corpus/writers_train.jsonl").open(encoding="utf-8")][:300]
    texts = [r["body"] for r in records] + ["", "  \n", "Perché NON è stato RIPARATO?! l'acqua... c'è", "__url__ 12/11"]
    assert nlp_mod._lookup(nlp) is not None
    fast = nlp_mod.lemmatise(nlp, texts)
    assert fast == _component_lemmas(nlp, texts)
    assert "essere" in fast[-2].split() and fast[0] != texts[0].lower()  # lemmas, not the forms


def test_a_pipeline_with_its_own_table_lemmatises_from_it_alone():
    nlp = nlp_mod.with_lemmas({"andati": "andare", "lampioni": "lampione"})
    assert nlp_mod.lemmatise(nlp, ["Sono ANDATI i lampioni, sono"]) == ["sono andare i lampione sono"]


def test_runs_remembered_apart_give_the_lemmas_of_the_whole_text():
    """Each whitespace-free run is lemmatised once and remembered; where spaCy's special cases
    match across a space (':x' is an emoticon, so 'da: x.' splits 'x.' which alone stays whole)
    the text is tokenised whole, and the lemmas are still those of the whole text."""
    nlp, _ = nlp_mod.load(nlp_mod.BLANK)
    texts = ["da: x.'es", "x.'es", "Scrivo dell'art. 5 e-mail e/o :( ecc.", "scritto:\n> quoted", "Da:  x. due spazi"] * 2
    assert nlp_mod.lemmatise(nlp, texts) == _component_lemmas(nlp, texts)
    assert nlp_mod.lemmatise(nlp, texts) == _component_lemmas(nlp, texts)  # again, every run remembered


def test_a_hostile_run_of_punctuation_is_cut_before_spacy_strips_it_affix_by_affix():
    """spaCy's affix loop is quadratic in a token's length: 99,999 colons would take minutes."""
    nlp, _ = nlp_mod.load(nlp_mod.BLANK)
    assert nlp_mod.lemmatise(nlp, [":" * 99_999 + " lampioni", "x." * 50_000]) == \
        nlp_mod.lemmatise(nlp, [":" * nlp_mod.MAX_RUN + " lampioni", "x." * (nlp_mod.MAX_RUN // 2)])
