"""Folds that hold out whole writers.

A model scored on messages by a writer it was trained on learns that writer's habits and
looks better than it will on a new mailbox. Every validation in training (review thresholds,
calibration, model selection) therefore uses folds in which each writer sits on one side
only. Messages without a human writer (the generator's) are always on the training side:
they are never what a figure is measured on.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

#: Records of these groups are trained on, never validated on.
ALWAYS_TRAIN = ("generator",)

Split = tuple[np.ndarray, np.ndarray]


def writer_of(record: dict) -> str:
    """The record's writer; generated messages have none, older hand-written ones are ``h0``."""
    if record.get("writer"):
        return str(record["writer"])
    return "generator" if record.get("source") == "generated" else "h0"


def writer_folds(records: Sequence[dict], n_splits: int, seed: int) -> list[Split]:
    """``n_splits`` (train, test) index pairs; each test side is a set of whole writers.

    Stratified on type so that every fold sees every label; capped at the number of writers."""
    groups = np.array([writer_of(r) for r in records])
    validated = np.flatnonzero(~np.isin(groups, ALWAYS_TRAIN))
    always = np.flatnonzero(np.isin(groups, ALWAYS_TRAIN))
    writers = np.unique(groups[validated])
    if len(writers) < 2:
        raise ValueError(f"writer folds need at least two writers, found {list(writers)}")
    k = min(n_splits, len(writers))
    folds = StratifiedGroupKFold(k, shuffle=True, random_state=seed)
    types = [records[int(i)]["type"] for i in validated]
    out = []
    for tr, te in folds.split(validated, types, groups[validated]):
        out.append((np.sort(np.concatenate([always, validated[tr]])), validated[te]))
    return out


def check_disjoint(records: Sequence[dict], splits: Sequence[Split]) -> None:
    """Raise if any writer is on both sides of a split (a leak that inflates every figure)."""
    groups = np.array([writer_of(r) for r in records])
    for k, (tr, te) in enumerate(splits):
        shared = set(groups[tr]) & set(groups[te])
        if shared:
            raise AssertionError(f"fold {k}: writers {sorted(shared)} are on both sides")
