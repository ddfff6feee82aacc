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
