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
