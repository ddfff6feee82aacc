"""Evaluation of predictions against labels: the figures the README and MLflow report."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

from classifier.labels import TYPES, URGENCIES


@dataclass(frozen=True)
class HeadReport:
    labels: tuple[str, ...]
    precision: dict[str, float]
    recall: dict[str, float]
    f1: dict[str, float]
    support: dict[str, int]
    macro_f1: float
    confusion: np.ndarray


def head_report(y_true: list[str], y_pred: list[str], labels: tuple[str, ...]) -> HeadReport:
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=list(labels), zero_division=0)
    present = [lab for lab in labels if lab in set(y_true)]
    return HeadReport(labels, dict(zip(labels, p.round(4).tolist())), dict(zip(labels, r.round(4).tolist())),
                      dict(zip(labels, f.round(4).tolist())), dict(zip(labels, s.tolist())),
                      round(float(f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0)), 4),
                      confusion_matrix(y_true, y_pred, labels=list(labels)))


def summary(records: list[dict], results: list) -> dict:
    """Headline metrics: macro-F1 per head, emergency recall, and auto-routing coverage/precision."""
    types = head_report([r["type"] for r in records], [x.type for x in results], TYPES)
    urg = head_report([r["urgency"] for r in records], [x.urgency for x in results], URGENCIES)
    auto = np.array([not x.needs_review for x in results])
    type_ok = np.array([x.type == r["type"] for r, x in zip(records, results)])
    urg_ok = np.array([x.urgency == r["urgency"] for r, x in zip(records, results)])
    return {
        "n": len(records),
        "type_macro_f1": types.macro_f1,
        "urgency_macro_f1": urg.macro_f1,
        "emergency_recall": urg.recall["emergency"],
        "type_accuracy": round(float(type_ok.mean()), 4) if len(records) else 0.0,
        "urgency_accuracy": round(float(urg_ok.mean()), 4) if len(records) else 0.0,
        "auto_coverage": round(float(auto.mean()), 4) if len(records) else 0.0,
        "auto_type_precision": round(float(type_ok[auto].mean()), 4) if auto.any() else 0.0,
        "auto_urgency_precision": round(float(urg_ok[auto].mean()), 4) if auto.any() else 0.0,
        "reports": {"type": types, "urgency": urg},
    }


def choose_threshold(confidence: np.ndarray, correct: np.ndarray, target: float) -> float:
    """The lowest confidence threshold whose covered messages reach ``target`` precision.

    Scanning from the most confident down keeps the widest coverage that still meets the target.
    """
    order = np.argsort(-confidence)
    hits = np.cumsum(correct[order])
    precision = hits / np.arange(1, len(order) + 1)
    ok = np.where(precision >= target)[0]
    if len(ok) == 0:
        return 1.0
    return float(confidence[order][ok[-1]])


HEADLINE = ("type_macro_f1", "urgency_macro_f1", "emergency_recall", "auto_coverage", "auto_type_precision")


def headline(records: list[dict], results: list) -> dict[str, float]:
    return {k: v for k, v in summary(records, results).items() if k in HEADLINE}


def _macro_f1(true: np.ndarray, pred: np.ndarray, k: int) -> np.ndarray:
    """Macro-F1 over the labels present in each row of ``true`` (rows are resamples)."""
    f1 = []
    for label in range(k):
        t, p = true == label, pred == label
        tp = (t & p).sum(axis=1)
        denom = t.sum(axis=1) + p.sum(axis=1)
        f1.append(np.where(denom > 0, 2 * tp / np.maximum(denom, 1), np.nan))
        f1[-1] = np.where(t.sum(axis=1) > 0, f1[-1], np.nan)
    return np.nanmean(np.vstack(f1), axis=0)


def bootstrap(records: list[dict], results: list, rounds: int = 1000, seed: int = 0,
              groups: list[str] | None = None) -> dict[str, tuple[float, float]]:
    """95% intervals of the headline figures by resampling messages, within each group when
    ``groups`` is given, so that a pooled interval keeps every writer's share. The figures of
    all resamples are computed at once on label codes (the same definitions as :func:`summary`)."""
    rng = np.random.default_rng(seed)
    groups = groups or ["all"] * len(records)
    members = [np.flatnonzero(np.array(groups) == g) for g in dict.fromkeys(groups)]
    idx = np.hstack([rng.choice(m, size=(rounds, len(m))) for m in members])
    figures = resampled(records, results, idx)
    return {k: (round(float(np.percentile(v, 2.5)), 4), round(float(np.percentile(v, 97.5)), 4))
            for k, v in figures.items()}


def resampled(records: list[dict], results: list, idx: np.ndarray) -> dict[str, np.ndarray]:
    """The headline figures of every row of indices ``idx`` (one row per resample)."""
    t_true = np.array([TYPES.index(r["type"]) for r in records])[idx]
    t_pred = np.array([TYPES.index(x.type) for x in results])[idx]
    u_true = np.array([URGENCIES.index(r["urgency"]) for r in records])[idx]
    u_pred = np.array([URGENCIES.index(x.urgency) for x in results])[idx]
    auto = np.array([not x.needs_review for x in results])[idx]
    emergency = u_true == URGENCIES.index("emergency")
    ok = (t_true == t_pred) & auto
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "type_macro_f1": _macro_f1(t_true, t_pred, len(TYPES)),
            "urgency_macro_f1": _macro_f1(u_true, u_pred, len(URGENCIES)),
            "emergency_recall": np.where(emergency.any(axis=1), (emergency & (u_pred == u_true)).sum(axis=1)
                                         / np.maximum(emergency.sum(axis=1), 1), 0.0),
            "auto_coverage": auto.mean(axis=1),
            "auto_type_precision": np.where(auto.any(axis=1), ok.sum(axis=1) / np.maximum(auto.sum(axis=1), 1), 0.0),
        }


def by_writer(records: list[dict], results: list, writers: list[str], rounds: int = 1000) -> dict[str, dict]:
    """Headline figures with 95% intervals for each writer and for all of them pooled."""
    out = {}
    for writer in sorted(set(writers)):
        idx = [i for i, w in enumerate(writers) if w == writer]
        rec, res = [records[i] for i in idx], [results[i] for i in idx]
        out[writer] = {"n": len(idx), **headline(rec, res), "ci95": bootstrap(rec, res, rounds)}
    out["pooled"] = {"n": len(records), **headline(records, results),
                     "ci95": bootstrap(records, results, rounds, groups=writers)}
    return out


@dataclass(frozen=True)
class Reliability:
    """Confidence against accuracy in bins: a calibrated model's points lie on the diagonal."""
    edges: np.ndarray
    confidence: np.ndarray   # mean confidence per bin (nan when empty)
    accuracy: np.ndarray     # share correct per bin
    count: np.ndarray
    ece: float               # expected calibration error: the count-weighted gap


def reliability(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> Reliability:
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    count = np.bincount(which, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        conf = np.bincount(which, weights=confidence, minlength=bins) / count
        acc = np.bincount(which, weights=correct.astype(float), minlength=bins) / count
    gap = np.where(count > 0, np.abs(np.nan_to_num(conf) - np.nan_to_num(acc)), 0.0)
    ece = float((gap * count).sum() / max(count.sum(), 1))
    return Reliability(edges, conf, acc, count, round(ece, 4))
