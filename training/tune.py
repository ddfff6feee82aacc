"""Model selection on folds of whole training writers (``smista tune``).

Each candidate is a set of changes to the training config (``[[tune.candidates]]`` in
``config.toml``); each is scored by the predictions of models that never saw the writer of
the message they predict. The held-out writers' gold set is never read here.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from classifier import nlp as nlp_mod
from classifier.features import prepare
from training.evaluate import choose_threshold, summary
from training.train import DEFAULT_CONFIG, Progress, load_training, out_of_fold, read_config, to_message

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scored:
    name: str
    figures: dict[str, float]


def apply(config: dict, changes: dict[str, object]) -> dict:
    """A copy of ``config`` with dotted keys (``"model.C"``) set."""
    out = copy.deepcopy(config)
    for dotted, value in changes.items():
        *path, last = dotted.split(".")
        node = out
        for key in path:
            node = node[key]
        node[last] = value
    return out


def figures(records: list[dict], results: list, target: float) -> dict[str, float]:
    headline = {k: v for k, v in summary(records, results).items() if k != "reports"}
    conf = np.array([r.type_confidence for r in results])
    correct = np.array([r.type == rec["type"] for r, rec in zip(results, records)])
    headline["coverage_at_target"] = round(float(np.mean(conf >= choose_threshold(conf, correct, target))), 4)
    return headline


def run(project: Path, config_path: Path = DEFAULT_CONFIG, progress: Progress = log.info,
        only: list[str] | None = None) -> list[Scored]:
    config = read_config(config_path)
    records, _ = load_training(project, config)
    nlp, nlp_name = nlp_mod.load()
    progress(f"preparing {len(records)} messages")
    prepared = prepare([to_message(r) for r in records], nlp)
    scored = []
    for candidate in config["tune"]["candidates"]:
        if only and candidate["name"] not in only:
            continue
        variant = apply(config, candidate.get("set", {}))
        drop = set(candidate.get("drop_sources", []))
        keep = [i for i, r in enumerate(records) if r["source"] not in drop]
        progress(f"candidate {candidate['name']}")
        oof = out_of_fold([prepared[i] for i in keep], [records[i] for i in keep], variant, nlp_name,
                          lambda step: None)
        scored.append(Scored(candidate["name"], figures(oof.records, oof.results,
                                                        config["review"]["target_type_precision"])))
        progress(f"candidate {candidate['name']}: {scored[-1].figures}")
    return scored
