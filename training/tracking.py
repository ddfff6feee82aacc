"""MLflow logging of a training run: parameters, metrics, confusion matrices, the bundle, and
a registered pyfunc model that wraps it. The tracking URI comes from the settings (a local
SQLite store by default, ``MLFLOW_TRACKING_URI`` for a server)."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import mlflow  # noqa: E402
from mlflow.pyfunc import PythonModel  # noqa: E402
from sklearn.metrics import ConfusionMatrixDisplay  # noqa: E402

from training.evaluate import HeadReport  # noqa: E402

log = logging.getLogger(__name__)


class SmistaPyfunc(PythonModel):
    """Serves a smista bundle through MLflow: rows with subject, body and from -> result dicts."""

    def load_context(self, context) -> None:
        from classifier.bundle import Classifier
        self.classifier = Classifier.load(Path(context.artifacts["bundle"]))

    def predict(self, context, model_input, params=None) -> list[dict]:
        from classifier.features import Message
        rows = model_input.to_dict("records") if hasattr(model_input, "to_dict") else list(model_input)
        messages = [Message(str(r.get("subject", "")), str(r.get("body", "")), str(r.get("from", ""))) for r in rows]
        return [r.to_dict() for r in self.classifier.classify(messages)]


def _flatten(prefix: str, value: object, out: dict[str, str]) -> dict[str, str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{prefix}.{key}" if prefix else key, inner, out)
    else:
        out[prefix] = str(value)
    return out


def confusion_png(report: HeadReport, title: str, path: Path) -> Path:
    fig, ax = plt.subplots(figsize=(6, 5))
    ConfusionMatrixDisplay(report.confusion, display_labels=report.labels).plot(ax=ax, colorbar=False, xticks_rotation=45)
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def log_run(tracking_uri: str, artifact_root: str, experiment: str, registered_model: str, directory: Path,
            metadata: dict, reports: dict[str, HeadReport], config_path: Path) -> str:
    """Log one training run and register its model; returns the MLflow run id."""
    mlflow.set_tracking_uri(tracking_uri)
    if mlflow.get_experiment_by_name(experiment) is None:
        mlflow.create_experiment(experiment, artifact_location=artifact_root if tracking_uri.startswith("sqlite") else None)
    mlflow.set_experiment(experiment)
    with mlflow.start_run(run_name=f"train-{metadata['version']}") as run:
        mlflow.set_tags({"model_version": metadata["version"], "spacy_pipeline": metadata["spacy_pipeline"],
                         "training_data_sha256": metadata["training_data_sha256"]})
        mlflow.log_params(_flatten("", metadata["config"], {}))
        mlflow.log_metrics({f"gold_{k}": float(v) for k, v in metadata["metrics"]["gold"].items()})
        mlflow.log_metrics({f"val_{k}": float(v) for k, v in metadata["metrics"]["validation"].items()})
        mlflow.log_metrics({"train_seconds": metadata["train_seconds"], "threshold_type": metadata["thresholds"]["type"],
                            "threshold_urgency": metadata["thresholds"]["urgency"]})
        mlflow.log_artifact(str(config_path), "config")
        with tempfile.TemporaryDirectory() as tmp:
            for head, report in reports.items():
                png = confusion_png(report, f"gold set: {head}", Path(tmp) / f"confusion_{head}.png")
                mlflow.log_artifact(str(png), "confusion")
        mlflow.pyfunc.log_model(name="model", python_model=SmistaPyfunc(), artifacts={"bundle": str(directory)},
                                registered_model_name=registered_model,
                                pip_requirements=[f"smista", "scikit-learn", "spacy", "spacy-lookups-data"])
        return run.info.run_id
