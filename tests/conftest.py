"""Shared fixtures: one full training run per session (it backs the gold-set test and the CLI
tests), and hermetic settings pointing at temporary folders."""

from __future__ import annotations

import os
import random
from pathlib import Path

import numpy as np
import pytest

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _seeded(monkeypatch: pytest.MonkeyPatch) -> None:
    random.seed(0)
    np.random.seed(0)
    for var in [v for v in os.environ if v.startswith("SMISTA_") or v == "MLFLOW_TRACKING_URI"]:
        monkeypatch.delenv(var)


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory):
    """The model trained on the full training corpus, exactly as ``smista train`` does."""
    from training.train import run
    models = tmp_path_factory.mktemp("models")
    return run(PROJECT, models, progress=lambda step: None)


@pytest.fixture(scope="session")
def classifier(trained):
    from classifier.bundle import Classifier
    return Classifier.load(trained.directory)
