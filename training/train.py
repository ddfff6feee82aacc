"""Training: corpus -> features -> two calibrated heads -> review thresholds -> gold evaluation.

The gold set is read only after the model and its thresholds are final, and only to measure.
Thresholds come from out-of-fold predictions on the hand-written training messages, the data
closest to real mail that training may use.
"""

from __future__ import annotations

import logging
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from classifier import bundle
from classifier import nlp as nlp_mod
from classifier.features import Message, Prepared, build_features, prepare
from classifier.model import HEADS, TriageModel
from training import corpus
from training.evaluate import choose_threshold, summary

log = logging.getLogger(__name__)
DEFAULT_CONFIG = Path(__file__).with_name("config.toml")
Progress = Callable[[str], None]


def read_config(path: Path = DEFAULT_CONFIG) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def to_message(record: dict) -> Message:
    return Message(subject=record.get("subject", ""), body=record.get("body", ""), sender=record.get("from", ""))


def fit(prepared: list[Prepared], records: list[dict], config: dict, spacy_pipeline: str, version: str) -> TriageModel:
    """Fit features and both heads; thresholds are set by the caller."""
    features = build_features(**config["features"])
    X = features.fit_transform(prepared)
    m = config["model"]
    weights = np.array([m["handwritten_weight"] if r["source"] == "handwritten" else 1.0 for r in records])
    heads = {}
    for head in HEADS:
        svc = LinearSVC(C=m["C"], class_weight="balanced", random_state=m["seed"])
        clf = CalibratedClassifierCV(svc, method=m["calibration"], cv=m["calibration_folds"])
        heads[head] = clf.fit(X, [r[head] for r in records], sample_weight=weights)
    model = TriageModel(features=features, heads=heads, thresholds={"type": 0.0, "urgency": 0.0},
                        spacy_pipeline=spacy_pipeline, version=version)
    return model.finish()


def out_of_fold(prepared: list[Prepared], records: list[dict], config: dict, nlp_name: str,
                progress: Progress) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Confidence and correctness per head for every hand-written training message, each
    predicted by a model that did not see it."""
    hand = np.array([i for i, r in enumerate(records) if r["source"] == "handwritten"])
    rest = np.array([i for i, r in enumerate(records) if r["source"] != "handwritten"])
    folds = StratifiedKFold(config["review"]["validation_folds"], shuffle=True, random_state=config["model"]["seed"])
    conf = {h: np.zeros(len(hand)) for h in HEADS}
    correct = {h: np.zeros(len(hand), dtype=bool) for h in HEADS}
    for k, (tr, te) in enumerate(folds.split(hand, [records[i]["type"] for i in hand]), start=1):
        progress(f"validation fold {k}/{folds.n_splits}")
        train_idx = np.concatenate([rest, hand[tr]])
        model = fit([prepared[i] for i in train_idx], [records[i] for i in train_idx], config, nlp_name, "fold")
        _, proba = model.probabilities([prepared[i] for i in hand[te]])
        for head, labels in HEADS.items():
            pred = [labels[j] for j in proba[head].argmax(axis=1)]
            conf[head][te] = proba[head].max(axis=1)
            correct[head][te] = [p == records[i][head] for p, i in zip(pred, hand[te])]
    return {h: (conf[h], correct[h]) for h in HEADS}


@dataclass
class TrainOutcome:
    directory: Path
    metadata: dict
    gold: dict
    validation: dict


def run(project: Path, models_dir: Path, config_path: Path = DEFAULT_CONFIG, progress: Progress = log.info,
        spacy_pipeline: str | None = None) -> TrainOutcome:
    """Validate the corpus, train, choose thresholds, evaluate on gold and save the bundle."""
    config = read_config(config_path)
    train_paths = [project / p for p in config["corpus"]["train"]]
    gold_path = project / config["corpus"]["gold"]
    progress("validating the corpus")
    records = corpus.load(train_paths)
    gold = corpus.load([gold_path])
    overlap = {r["id"] for r in records} & {r["id"] for r in gold}
    if overlap:
        raise corpus.CorpusError([corpus.CorpusProblem(gold_path, 0, f"gold ids also in training: {sorted(overlap)[:5]}")])
    started = time.perf_counter()
    nlp, nlp_name = nlp_mod.load(spacy_pipeline)
    progress(f"preparing {len(records)} training messages with {nlp_name}")
    prepared = prepare([to_message(r) for r in records], nlp)
    oof = out_of_fold(prepared, records, config, nlp_name, progress)
    review = config["review"]
    thresholds = {"type": choose_threshold(*oof["type"], review["target_type_precision"]),
                  "urgency": choose_threshold(*oof["urgency"], review["target_urgency_precision"])}
    progress("fitting the final model")
    version = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    model = fit(prepared, records, config, nlp_name, version)
    model.thresholds = thresholds
    train_seconds = time.perf_counter() - started
    progress("evaluating on the gold set")
    gold_results = model.predict([to_message(r) for r in gold], nlp)
    gold_summary = summary(gold, gold_results)
    validation = {f"{h}_oof_accuracy": round(float(oof[h][1].mean()), 4) for h in HEADS}
    metrics = {k: v for k, v in gold_summary.items() if k != "reports"}
    metadata = {
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "training_data_sha256": corpus.sha256_of(train_paths),
        "gold_data_sha256": corpus.sha256_of([gold_path]),
        "training_messages": len(records),
        "train_seconds": round(train_seconds, 1),
        "config": config,
        "metrics": {"gold": metrics, "validation": validation},
    }
    directory = bundle.save(model, models_dir, metadata)
    return TrainOutcome(directory, bundle.read_metadata(directory), gold_summary, validation)
