import json
import subprocess
import sys
from pathlib import Path

import pytest

from classifier import bundle
from classifier import nlp as nlp_mod
from classifier.bundle import Classifier, ModelLoadError
from classifier.features import Message, prepare
from classifier.labels import TYPES, URGENCIES

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def saved(tiny_model, tmp_path):
    model, _, _ = tiny_model
    return bundle.save(model, tmp_path / "models", {"note": "test"})


def test_overfit_save_reload_same_predictions(tiny_model, saved):
    model, records, nlp = tiny_model
    messages = [Message(r["subject"], r["body"]) for r in records]
    before = [r.to_dict() for r in model.predict(messages, nlp)]
    loaded = Classifier.load(saved.parent)
    batched = [r.to_dict() for r in loaded.classify(messages)]
    one_by_one = [loaded.classify_one(m).to_dict() for m in messages]
    assert before == batched == one_by_one
    assert sum(r["type"] == rec["type"] for r, rec in zip(batched, records)) >= 0.9 * len(records)


def test_result_fields(saved):
    result = Classifier.load(saved).classify_one(Message("Reclamo", "Presento formale reclamo per i ritardi"))
    assert result.type in TYPES and result.urgency in URGENCIES
    assert set(result.probabilities["type"]) == set(TYPES) and set(result.probabilities["urgency"]) == set(URGENCIES)
    assert abs(sum(result.probabilities["type"].values()) - 1) < 1e-3
    assert result.model_version == "20260101-000000"
    assert {"type", "urgency", "rules"} <= set(result.explanation)


def test_safety_rule_is_recorded_in_the_explanation(saved):
    result = Classifier.load(saved).classify_one(Message("", "La caldaia della scuola non parte, dal quadro escono scintille"))
    assert result.type == "intervention" and result.probabilities["urgency"]["emergency"] < 0.5
    assert result.urgency == "emergency"
    assert any(rule.startswith("fili scoperti: 'scintille'") for rule in result.explanation["rules"])


def test_metadata_is_written(saved):
    meta = json.loads((saved / "metadata.json").read_text())
    assert meta["version"] == "20260101-000000" and meta["note"] == "test"
    assert meta["bundle_sha256"] == bundle.sha256_file(saved / "model.joblib")
    assert {"scikit-learn", "spacy", "numpy"} <= set(meta["libraries"])


def test_missing_model(tmp_path):
    with pytest.raises(ModelLoadError, match="no trained model"):
        Classifier.load(tmp_path)


def test_corrupt_bundle(saved):
    with (saved / "model.joblib").open("ab") as fh:
        fh.write(b"garbage")
    with pytest.raises(ModelLoadError, match="corrupt"):
        Classifier.load(saved)


def test_missing_bundle_file(saved):
    (saved / "model.joblib").unlink()
    with pytest.raises(ModelLoadError, match="missing"):
        Classifier.load(saved)


def test_incompatible_library_version(saved):
    meta = json.loads((saved / "metadata.json").read_text())
    meta["libraries"]["scikit-learn"] = "0.1.0"
    (saved / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(ModelLoadError, match="scikit-learn 0.1.0"):
        Classifier.load(saved)


def test_unreadable_metadata(saved):
    (saved / "metadata.json").write_text("{oops")
    with pytest.raises(ModelLoadError, match="not valid JSON"):
        Classifier.load(saved)


def test_older_bundle_format_is_refused_with_what_to_do(saved):
    meta = json.loads((saved / "metadata.json").read_text())
    del meta["bundle_format"]
    (saved / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(ModelLoadError, match="format 1.*retrain"):
        Classifier.load(saved)


def test_a_process_that_only_classifies_never_imports_scikit_learn(saved):
    script = ("import sys; from pathlib import Path; from classifier.bundle import Classifier; from classifier.features import Message; "
              f"r = Classifier.load(Path({str(saved)!r})).classify_one(Message('Guasto', 'Il lampione di via Roma è spento')); "
              "print(r.type, sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'pandas')))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=PROJECT)
    assert out.stdout.split()[0] in TYPES
    assert out.stdout.strip().endswith("[]"), out.stdout


def test_the_models_own_lemma_table_gives_the_full_tables_features(tiny_model, saved):
    model, _, nlp = tiny_model
    records = [json.loads(line) for line in (PROJECT / "data/corpus/handwritten_train.jsonl").open(encoding="utf-8")][:400]
    messages = [Message(r["subject"], r["body"]) for r in records]
    loaded = Classifier.load(saved)
    assert loaded.model.lemmas_ and len(loaded.model.lemmas_) < len(nlp_mod.lookup_lemmas()) / 10
    full, own = model.transform(prepare(messages, nlp)), loaded.model.transform(prepare(messages, loaded.nlp))
    assert full.nnz > 1000 and abs(full - own).max() == 0
