"""Accuracy on the gold set: hand-written messages the model never saw in training,
thresholds or selection. The model is trained on the shipped training corpus."""

import pytest

pytestmark = pytest.mark.slow


def test_gold_set_targets(trained):
    gold = trained.gold
    assert gold["n"] >= 300
    assert gold["type_macro_f1"] >= 0.93
    assert gold["urgency_macro_f1"] >= 0.85
    assert gold["emergency_recall"] >= 0.97
    assert gold["auto_coverage"] >= 0.85
    assert gold["auto_type_precision"] >= 0.97


def test_metadata_records_provenance(trained):
    meta = trained.metadata
    assert len(meta["training_data_sha256"]) == 64 and meta["spacy_pipeline"]
    assert meta["libraries"]["scikit-learn"] and meta["thresholds"]["type"] > 0
    assert meta["metrics"]["gold"]["type_macro_f1"] == trained.gold["type_macro_f1"]
