"""Blind second labelling: a sample of messages without their labels for an independent
labeller, and the agreement (Cohen's kappa per head) between the writer and the labeller.

Disagreements are settled in ``data/relabel/adjudicated.tsv`` (id, type, urgency, reason),
which the corpus build applies over the writers' labels: the writers' files stay as written.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

from classifier.labels import TYPES, URGENCIES


def sample(records: list[dict], per_writer: int, seed: int) -> list[dict]:
    """``per_writer`` messages of each writer, drawn at random, shuffled together."""
    rng = random.Random(seed)
    by_writer: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        by_writer[r["writer"]].append(r)
    picked = [r for w in sorted(by_writer) for r in rng.sample(by_writer[w], min(per_writer, len(by_writer[w])))]
    rng.shuffle(picked)
    return picked


def write_blind(records: list[dict], path: Path, key: Path) -> None:
    """Messages as the labeller sees them: an opaque id, channel, subject and body (and a
    letter's text after ``=== ALLEGATO <file> ===``); no labels and nothing that names the writer. ``key`` maps the opaque ids back to corpus ids."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out, key.open("w", encoding="utf-8") as keys:
        keys.write("blind_id\tid\n")
        for n, r in enumerate(records, start=1):
            letter = f"=== ALLEGATO {r['attachment']['filename']} ===\n{r['attachment']['text']}\n" if r.get("attachment") else ""
            out.write(f"### m{n:04d} {r['channel']}\n{r['subject']}\n{r['body']}\n{letter}\n")
            keys.write(f"m{n:04d}\t{r['id']}\n")


def read_key(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as fh:
        return {row[0]: row[1] for row in csv.reader(fh, delimiter="\t") if row and row[0] != "blind_id"}


def _label_rows(path: Path, fields: int) -> dict[str, list[str]]:
    """Rows ``id<TAB>type<TAB>urgency[<TAB>...]`` by id; a row with an unknown label is an error naming it."""
    rows = {}
    with path.open(encoding="utf-8") as fh:
        for number, row in enumerate(csv.reader(fh, delimiter="\t"), start=1):
            if not row or row[0].startswith("#") or row[0] == "id":
                continue
            if len(row) < fields or row[1] not in TYPES or row[2] not in URGENCIES:
                raise ValueError(f"line {number} of {path}: expected {fields} fields (id, type, urgency"
                                 f"{', reason' if fields > 3 else ''}) with known labels; found {row}")
            rows[row[0]] = row
    return rows


def read_labels(path: Path) -> dict[str, tuple[str, str]]:
    """The second labeller's ``id<TAB>type<TAB>urgency`` lines."""
    return {k: (row[1], row[2]) for k, row in _label_rows(path, 3).items()}


def agreement(records: list[dict], second: dict[str, tuple[str, str]]) -> dict:
    """Kappa and raw agreement per head on the messages both labelled, with the disagreements."""
    both = [r for r in records if r["id"] in second]
    out: dict = {"n": len(both)}
    for k, head in enumerate(("type", "urgency")):
        first = [r[head] for r in both]
        other = [second[r["id"]][k] for r in both]
        out[head] = {"kappa": round(float(cohen_kappa_score(first, other)), 4),
                     "agreement": round(sum(a == b for a, b in zip(first, other)) / max(len(both), 1), 4)}
    out["disagreements"] = [{"id": r["id"], "writer": r["writer"], "first": (r["type"], r["urgency"]),
                             "second": second[r["id"]]} for r in both
                            if (r["type"], r["urgency"]) != second[r["id"]]]
    return out


def read_adjudicated(path: Path) -> dict[str, tuple[str, str, str]]:
    """Settled labels: ``id<TAB>type<TAB>urgency<TAB>reason``."""
    if not path.exists():
        return {}
    return {k: (row[1], row[2], row[3]) for k, row in _label_rows(path, 4).items()}


def apply(records: list[dict], settled: dict[str, tuple[str, str, str]]) -> list[dict]:
    """Records with settled labels replaced; the writer's label is kept in ``writer_label``."""
    out = []
    for r in records:
        if r["id"] in settled:
            t, u, _ = settled[r["id"]]
            r = {**r, "type": t, "urgency": u, "writer_label": f"{r['type']}/{r['urgency']}"}
        out.append(r)
    return out
