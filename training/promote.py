"""Champion promotion: a new model serves only when it is at least as good on held-out writers.

Both models are compared on the current gold set: a model's recorded figures are used only
when they were measured on this very file, otherwise it is scored again at promotion time. The pointer
``models/champion.json`` is what the service loads; it keeps the earlier champions so that a
rollback is one command. The MLflow registry's ``champion`` alias follows it when a tracking
store is given.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from classifier.bundle import CHAMPION, Classifier, champion, read_metadata
from training import corpus
from training.evaluate import summary
from classifier.features import to_message

log = logging.getLogger(__name__)
HEADS_F1 = ("type_macro_f1", "urgency_macro_f1")


@dataclass(frozen=True)
class Verdict:
    promote: bool
    reasons: list[str]
    candidate: dict
    champion: dict | None


def score(directory: Path, gold_path: Path, gold: list[dict]) -> dict:
    """The model's figures on the gold set: those recorded when it was trained if they were
    measured on this very file (same sha256), else measured now."""
    meta = read_metadata(directory)
    recorded = meta.get("metrics", {}).get("gold")
    if recorded and meta.get("gold_data_sha256") == corpus.sha256_of([gold_path]):
        return recorded
    results = Classifier.load(directory).classify([to_message(r) for r in gold])
    return {k: v for k, v in summary(gold, results).items() if k != "reports"}


def judge(candidate: dict, current: dict | None, tolerance: float = 0.01) -> list[str]:
    """Why ``candidate`` must not replace ``current`` (empty when it may)."""
    if current is None:
        return []
    reasons = [f"{k} {candidate[k]:.4f} is more than {tolerance} below the champion's {current[k]:.4f}"
               for k in HEADS_F1 if candidate[k] < current[k] - tolerance]
    if candidate["emergency_recall"] < current["emergency_recall"]:
        reasons.append(f"emergency recall {candidate['emergency_recall']:.4f} is below the champion's "
                       f"{current['emergency_recall']:.4f}")
    return reasons


def _read(models_dir: Path) -> dict:
    try:
        return json.loads((models_dir / CHAMPION).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"history": []}


def _write(models_dir: Path, version: str, history: list[dict], scores: dict | None) -> None:
    state = {"version": version, "promoted_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
             "held_out_scores": scores, "history": history}
    tmp = models_dir / (CHAMPION + ".tmp")
    tmp.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
    tmp.replace(models_dir / CHAMPION)  # atomic: the service never reads half a pointer


def promote(models_dir: Path, directory: Path, gold_path: Path, force: bool = False,
            tracking: tuple[str, str] | None = None) -> Verdict:
    """Make ``directory`` the champion if it passes :func:`judge` (or ``force``)."""
    gold = corpus.load([gold_path])
    candidate = score(directory, gold_path, gold)
    current_dir = champion(models_dir)
    current = score(current_dir, gold_path, gold) if current_dir is not None and current_dir != directory else None
    reasons = judge(candidate, current)
    ok = force or not reasons
    if ok:
        state = _read(models_dir)
        history = state.get("history", [])
        if current_dir is not None and current_dir != directory:
            history = [*history, {"version": current_dir.name, "until": datetime.now(timezone.utc).isoformat(timespec="seconds")}]
        _write(models_dir, directory.name, history, candidate)
        if tracking is not None:
            set_alias(*tracking, directory.name)
    return Verdict(ok, reasons, candidate, current)


def rollback(models_dir: Path, tracking: tuple[str, str] | None = None) -> str:
    """Put the previous champion back; returns its version."""
    state = _read(models_dir)
    history = state.get("history", [])
    while history:
        previous = history.pop()["version"]
        if (models_dir / previous).is_dir():
            _write(models_dir, previous, history, None)
            if tracking is not None:
                set_alias(*tracking, previous)
            return previous
    raise LookupError(f"no earlier champion to roll back to in {models_dir / CHAMPION}")


def set_alias(tracking_uri: str, registered_model: str, version: str) -> None:
    """Point the registry's ``champion`` alias at the registered version of ``version``."""
    import mlflow
    from mlflow import MlflowClient

    mlflow.set_tracking_uri(tracking_uri)
    client = MlflowClient()
    try:
        found = client.search_model_versions(f"name = '{registered_model}' and tag.model_version = '{version}'")
    except mlflow.exceptions.MlflowException as exc:
        log.warning("MLflow registry not updated: %s", exc)
        return
    if not found:
        log.warning("model %s is not in the MLflow registry; champion alias not moved", version)
        return
    client.set_registered_model_alias(registered_model, "champion", max(found, key=lambda v: int(v.version)).version)
