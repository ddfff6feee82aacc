"""Champion promotion: refused for a model worse on the held-out writers, forced and rolled back
on request; the service loads whatever the champion pointer names."""

from __future__ import annotations

import shutil

import pytest

from classifier import bundle
from classifier.features import prepare
from tests.conftest import PROJECT
from tests.triage.test_corrections import tiny_records
from training.promote import judge, promote, rollback
from training.train import fit, read_config, to_message

GOOD = {"type_macro_f1": 0.93, "urgency_macro_f1": 0.90, "emergency_recall": 0.99}


def test_judge_allows_small_noise_and_refuses_real_losses():
    assert judge(GOOD, None) == []
    assert judge({**GOOD, "type_macro_f1": 0.925}, GOOD) == []  # within 0.01
    assert "type_macro_f1" in judge({**GOOD, "type_macro_f1": 0.91}, GOOD)[0]
    assert "emergency recall" in judge({**GOOD, "emergency_recall": 0.98}, GOOD)[0]


@pytest.fixture
def models(trained, tmp_path):
    """A models folder holding the session's trained model and a tiny, much worse one."""
    folder = tmp_path / "models"
    good = folder / trained.directory.name
    shutil.copytree(trained.directory, good)
    from classifier import nlp as nlp_mod
    nlp, name = nlp_mod.load()
    records = tiny_records()
    config = read_config()
    config["model"]["calibration_folds"] = 2
    tiny = fit(prepare([to_message(r) for r in records], nlp), records, config, name, "29990101-000000")
    tiny.thresholds = {"type": 0.3, "urgency": 0.3}
    bad = bundle.save(tiny, folder, {"metrics": {}})
    return folder, good, bad


def test_a_worse_model_is_not_promoted_unless_forced_and_rollback_restores(models):
    folder, good, bad = models
    gold = PROJECT / read_config()["corpus"]["gold"]
    assert bundle.in_service(folder) == bad  # before any promotion: the newest
    assert promote(folder, good, gold).promote
    assert bundle.in_service(folder) == good

    verdict = promote(folder, bad, gold)
    assert not verdict.promote and any("type_macro_f1" in r for r in verdict.reasons)
    assert bundle.champion(folder) == good and bundle.in_service(folder) == good

    assert promote(folder, bad, gold, force=True).promote
    assert bundle.champion(folder) == bad
    assert rollback(folder) == good.name
    assert bundle.champion(folder) == good
    with pytest.raises(LookupError):
        rollback(folder)
