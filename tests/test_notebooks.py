"""The retraining notebook runs end to end (it trains a model into a temporary folder)."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.slow
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_retrain_notebook_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("SMISTA_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path}/mlflow.db")
    nb = nbformat.read(NOTEBOOKS / "retrain.ipynb", as_version=4)
    NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    assert list((tmp_path / "models").glob("*/metadata.json"))
    outputs = "".join(str(o.get("data", {}).get("text/plain", "")) for c in nb.cells for o in c.get("outputs", []))
    assert "type_macro_f1" in outputs
