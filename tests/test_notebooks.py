"""The notebooks run end to end: retraining trains a model into a temporary folder, the error
analysis reads the session's trained model."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.slow
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _run(name: str) -> str:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return "".join(str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", ""))
                   for c in nb.cells for o in c.get("outputs", []))


def test_retrain_notebook_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("SMISTA_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path}/mlflow.db")
    outputs = _run("retrain.ipynb")
    assert list((tmp_path / "models").glob("*/metadata.json"))
    assert (tmp_path / "models" / "champion.json").exists()  # the first model becomes the champion
    assert "type_macro_f1" in outputs and "pooled" in outputs


def test_error_analysis_notebook_runs(trained, monkeypatch):
    monkeypatch.setenv("SMISTA_MODELS_DIR", str(trained.directory))
    outputs = _run("error_analysis.ipynb")
    assert "pooled" in outputs and "ECE" in outputs
    for writer in trained.metadata["held_out_writers"]:
        assert writer in outputs
