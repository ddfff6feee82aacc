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


def reliability_png(confidence, correct, title: str, path: Path) -> Path:
    """Confidence against accuracy per bin on the held-out writers: the diagonal is perfect calibration."""
    from training.evaluate import reliability
    rel = reliability(confidence, correct)
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    shown = rel.count > 0
    ax.plot(rel.confidence[shown], rel.accuracy[shown], marker="o", label=f"model (ECE {rel.ece:.3f})")
    for x, y, n in zip(rel.confidence[shown], rel.accuracy[shown], rel.count[shown]):
        ax.annotate(str(n), (x, y), textcoords="offset points", xytext=(4, -10), fontsize=7)
    ax.set_xlabel("confidence")
    ax.set_ylabel("share correct")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_title(title)
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def log_run(tracking_uri: str, artifact_root: str, experiment: str, registered_model: str, outcome,
            config_path: Path) -> str:
    """Log one training run (``training.train.TrainOutcome``) and register its model; returns the run id."""
    import numpy as np
    from mlflow import MlflowClient

    metadata, directory = outcome.metadata, outcome.directory
    mlflow.set_tracking_uri(tracking_uri)
    if mlflow.get_experiment_by_name(experiment) is None:
        mlflow.create_experiment(experiment, artifact_location=artifact_root if tracking_uri.startswith("sqlite") else None)
    mlflow.set_experiment(experiment)
    with mlflow.start_run(run_name=f"train-{metadata['version']}") as run:
        mlflow.set_tags({"model_version": metadata["version"], "spacy_pipeline": metadata["spacy_pipeline"],
                         "training_data_sha256": metadata["training_data_sha256"],
                         "held_out_writers": ",".join(metadata.get("held_out_writers", []))})
        mlflow.log_params(_flatten("", metadata["config"], {}))
        metrics = metadata["metrics"]
        mlflow.log_metrics({f"heldout_{k}": float(v) for k, v in metrics["gold"].items()})
        for writer, figures in metrics.get("writers", {}).items():
            mlflow.log_metrics({f"heldout_{writer}_{k}": float(v) for k, v in figures.items() if k not in ("ci95",)})
        if metrics.get("same_writer_gold"):
            mlflow.log_metrics({f"same_writer_{k}": float(v) for k, v in metrics["same_writer_gold"].items()})
        mlflow.log_metrics({f"val_{k}": float(v) for k, v in metrics["validation"].items()})
        mlflow.log_metrics({"train_seconds": metadata["train_seconds"], "threshold_type": metadata["thresholds"]["type"],
                            "threshold_urgency": metadata["thresholds"]["urgency"]})
        mlflow.log_artifact(str(config_path), "config")
        mlflow.log_dict(metrics.get("writers", {}), "evaluation/held_out_writers.json")
        with tempfile.TemporaryDirectory() as tmp:
            for head, report in outcome.gold["reports"].items():
                png = confusion_png(report, f"held-out writers: {head}", Path(tmp) / f"confusion_{head}.png")
                mlflow.log_artifact(str(png), "confusion")
            for head in ("type", "urgency"):
                conf = np.array([getattr(r, f"{head}_confidence") for r in outcome.gold_results])
                correct = np.array([getattr(r, head) == rec[head] for r, rec in zip(outcome.gold_results, outcome.gold_records)])
                png = reliability_png(conf, correct, f"held-out writers: {head}", Path(tmp) / f"reliability_{head}.png")
                mlflow.log_artifact(str(png), "reliability")
        info = mlflow.pyfunc.log_model(name="model", python_model=SmistaPyfunc(), artifacts={"bundle": str(directory)},
                                       registered_model_name=registered_model,
                                       pip_requirements=["smista", "scikit-learn", "spacy", "spacy-lookups-data"])
        if info.registered_model_version is not None:
            MlflowClient().set_model_version_tag(registered_model, str(info.registered_model_version), "model_version",
                                                 metadata["version"])
        return run.info.run_id
