"""Training: corpus -> features -> two calibrated heads -> review thresholds -> held-out evaluation.

Every choice that is learned from data is made on folds that hold out whole writers
(:mod:`training.splits`): the heads' calibration, the review thresholds, and model selection
(``smista tune``). The held-out writers' gold set is read only after the model and its
thresholds are final, and only to measure.
"""

from __future__ import annotations

import logging
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from classifier import bundle
from classifier import nlp as nlp_mod
from classifier.labels import ALLOWED_URGENCIES
from classifier.features import Prepared, prepare, to_message
from classifier.union import build_features
from classifier.model import HEADS, Result, TriageModel
from training import corpus
from training.evaluate import by_writer, choose_threshold, summary
from training.splits import Split, writer_folds, writer_of

log = logging.getLogger(__name__)
DEFAULT_CONFIG = Path(__file__).with_name("config.toml")
Progress = Callable[[str], None]


def read_config(path: Path = DEFAULT_CONFIG) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def sample_weights(records: list[dict], config: dict) -> np.ndarray:
    """Weight per message by its source: hand-written and corrected mail count more than generated."""
    weights = config["model"]["source_weight"]
    return np.array([float(weights.get(r["source"], 1.0)) for r in records])


def calibration_splits(records: list[dict], folds: int, seed: int) -> list[Split]:
    """Writer folds when there are writers to hold out, so that confidence is calibrated on
    writers the fold never saw; plain stratified folds for a corpus of one writer."""
    try:
        return writer_folds(records, folds, seed)
    except ValueError:
        y = [r["type"] for r in records]
        return list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y))


def fit(prepared: list[Prepared], records: list[dict], config: dict, spacy_pipeline: str, version: str) -> TriageModel:
    """Fit features and both heads; thresholds are set by the caller."""
    features = build_features(**config["features"])
    X = features.fit_transform(prepared)
    m = config["model"]
    weights = sample_weights(records, config)
    splits = calibration_splits(records, m["calibration_folds"], m["seed"])
    heads = {}
    for head in HEADS:
        svc = LinearSVC(C=m.get(f"C_{head}", m["C"]), class_weight="balanced", random_state=m["seed"])
        clf = CalibratedClassifierCV(svc, method=m["calibration"], cv=splits, n_jobs=m.get("n_jobs"))
        heads[head] = clf.fit(X, [r[head] for r in records], sample_weight=weights)
    model = TriageModel(features=features, heads=heads, thresholds={"type": 0.0, "urgency": 0.0},
                        spacy_pipeline=spacy_pipeline, version=version)
    return model.finish()


@dataclass
class OutOfFold:
    """Every validated training message predicted by a model that never saw its writer."""
    index: np.ndarray
    results: list[Result]
    records: list[dict] = field(repr=False)

    def confidence(self, head: str) -> tuple[np.ndarray, np.ndarray]:
        conf = np.array([getattr(r, f"{head}_confidence") for r in self.results])
        correct = np.array([getattr(r, head) == rec[head] for r, rec in zip(self.results, self.records)])
        return conf, correct


def out_of_fold(prepared: list[Prepared], records: list[dict], config: dict, nlp_name: str,
                progress: Progress) -> OutOfFold:
    splits = writer_folds(records, config["review"]["validation_folds"], config["model"]["seed"])
    index: list[int] = []
    results: list[Result] = []
    for k, (tr, te) in enumerate(splits, start=1):
        progress(f"validation fold {k}/{len(splits)} ({len(te)} messages of held-out writers)")
        model = fit([prepared[i] for i in tr], [records[i] for i in tr], config, nlp_name, "fold")
        results += model.predict_prepared([to_message(records[i]) for i in te], [prepared[i] for i in te])
        index += list(te)
    idx = np.array(index)
    return OutOfFold(idx, results, [records[i] for i in idx])


def emergency_threshold(oof: OutOfFold, target: float) -> float:
    """The highest emergency probability above which raising the urgency to ``emergency``
    brings the out-of-fold emergency recall to ``target`` (on top of the rules and the argmax)."""
    emergency = np.array([r["urgency"] == "emergency" for r in oof.records])
    found = np.array([x.urgency == "emergency" for x in oof.results])
    p = np.array([x.probabilities["urgency"]["emergency"] if "emergency" in ALLOWED_URGENCIES[x.type] else 0.0
                  for x in oof.results])  # a type that is never an emergency is never raised
    if not emergency.any() or found[emergency].mean() >= target:
        return 1.0
    missed = np.sort(p[emergency & ~found])[::-1]  # the missed emergencies, most probable first
    need = int(np.ceil(target * emergency.sum())) - int((found & emergency).sum())
    return float(missed[min(need, len(missed)) - 1]) if need > 0 else 1.0


@dataclass
class TrainOutcome:
    directory: Path
    metadata: dict
    gold: dict                      # the held-out writers, pooled: summary with reports
    writers: dict                   # per held-out writer and pooled, with 95% intervals
    same_writer: dict | None        # the older same-writer gold set, a secondary row
    validation: dict
    gold_records: list[dict] = field(repr=False, default_factory=list)
    gold_results: list[Result] = field(repr=False, default_factory=list)


def load_training(project: Path, config: dict, corrections: Path | None = None) -> tuple[list[dict], list[Path]]:
    paths = [project / p for p in config["corpus"]["train"]]
    records = corpus.load(paths)
    if corrections is not None:
        from training.corrections import as_records
        records += as_records(corrections)
        paths.append(corrections)
    return records, paths


def run(project: Path, models_dir: Path, config_path: Path = DEFAULT_CONFIG, progress: Progress = log.info,
        spacy_pipeline: str | None = None, corrections: Path | None = None, rounds: int = 1000) -> TrainOutcome:
    """Validate the corpus, train, choose thresholds, evaluate on held-out writers and save the bundle."""
    config = read_config(config_path)
    gold_path = project / config["corpus"]["gold"]
    progress("validating the corpus")
    records, train_paths = load_training(project, config, corrections)
    gold = corpus.load([gold_path])
    corpus.check_held_out(records, gold, gold_path)
    started = time.perf_counter()
    nlp, nlp_name = nlp_mod.load(spacy_pipeline)
    progress(f"preparing {len(records)} training messages with {nlp_name}")
    prepared = prepare([to_message(r) for r in records], nlp)
    oof = out_of_fold(prepared, records, config, nlp_name, progress)
    review = config["review"]
    thresholds = {"type": choose_threshold(*oof.confidence("type"), review["target_type_precision"]),
                  "urgency": choose_threshold(*oof.confidence("urgency"), review["target_urgency_precision"]),
                  "emergency": emergency_threshold(oof, review["target_emergency_recall"])}
    progress("fitting the final model")
    version = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    model = fit(prepared, records, config, nlp_name, version)
    model.thresholds = thresholds
    train_seconds = time.perf_counter() - started
    progress("evaluating on the held-out writers")
    gold_results = model.predict([to_message(r) for r in gold], nlp)
    gold_summary = summary(gold, gold_results)
    writers = by_writer(gold, gold_results, [writer_of(r) for r in gold], rounds)
    same_writer = None
    if config["corpus"].get("same_writer_gold"):
        extra = corpus.load([project / config["corpus"]["same_writer_gold"]])
        same_writer = summary(extra, model.predict([to_message(r) for r in extra], nlp))
    oof_summary = summary(oof.records, oof.results)
    validation = {k: v for k, v in oof_summary.items() if k != "reports"}
    metadata = {
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "training_data_sha256": corpus.sha256_of(train_paths),
        "gold_data_sha256": corpus.sha256_of([gold_path]),
        "training_messages": len(records),
        "training_writers": sorted({writer_of(r) for r in records}),
        "held_out_writers": sorted({writer_of(r) for r in gold}),
        "train_seconds": round(train_seconds, 1),
        "config": config,
        "metrics": {"gold": {k: v for k, v in gold_summary.items() if k != "reports"}, "writers": writers,
                    "same_writer_gold": None if same_writer is None else
                    {k: v for k, v in same_writer.items() if k != "reports"},
                    "validation": validation},
    }
    directory = bundle.save(model, models_dir, metadata)
    return TrainOutcome(directory, bundle.read_metadata(directory), gold_summary, writers, same_writer, validation,
                        gold, gold_results)
