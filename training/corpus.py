"""Loading and validating the labelled corpus (JSONL, one message per line).

Every problem is reported with its file and line so that a bad line can be found at once;
training refuses to start while any problem remains.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from classifier.labels import CHANNELS, DOMAINS, TYPES, URGENCIES

FIELDS = ("id", "subject", "body", "from", "channel", "type", "urgency", "domain", "source")
ALLOWED = {"type": TYPES, "urgency": URGENCIES, "channel": CHANNELS, "domain": DOMAINS}


@dataclass(frozen=True)
class CorpusProblem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"corpus line {self.line} of {self.path}: {self.message}"


class CorpusError(ValueError):
    """Raised when a corpus file has problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[CorpusProblem]) -> None:
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s) in the corpus:\n{shown}{more}")


def check_record(record: object) -> list[str]:
    """Return what is wrong with one decoded corpus line (empty when it is valid)."""
    if not isinstance(record, dict):
        return [f"expected a JSON object, found {type(record).__name__}"]
    errors = [f"missing field '{f}'" for f in FIELDS if f not in record]
    errors += [f"field '{f}' must be a string, found {type(record[f]).__name__}"
               for f in FIELDS if f in record and not isinstance(record[f], str)]
    for field, allowed in ALLOWED.items():
        value = record.get(field)
        if isinstance(value, str) and value not in allowed:
            errors.append(f"unknown {field} '{value}'; expected one of {', '.join(allowed)}")
    if record.get("writer") is not None and not isinstance(record["writer"], str):
        errors.append(f"field 'writer' must be a string, found {type(record['writer']).__name__}")
    thread = record.get("thread")
    if thread is not None and thread not in TYPES:
        errors.append(f"unknown thread type {thread!r}; expected one of {', '.join(TYPES)} or null")
    if isinstance(record.get("id"), str) and not record["id"].strip():
        errors.append("empty id")
    return errors


def read_file(path: Path) -> tuple[list[dict], list[CorpusProblem]]:
    """Decode and check every line of ``path``; never raises on bad content."""
    records, problems = [], []
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                problems.append(CorpusProblem(path, number, f"not valid UTF-8 ({exc.reason} at byte {exc.start})"))
                continue
            except json.JSONDecodeError as exc:
                problems.append(CorpusProblem(path, number, f"invalid JSON: {exc.msg} at column {exc.colno}"))
                continue
            errors = check_record(record)
            problems += [CorpusProblem(path, number, e) for e in errors]
            if not errors:
                records.append(record)
    return records, problems


def load(paths: Iterable[Path]) -> list[dict]:
    """Load corpus files, raising :class:`CorpusError` listing all problems, duplicate ids included."""
    records: list[dict] = []
    problems: list[CorpusProblem] = []
    seen: dict[str, Path] = {}
    for path in paths:
        if not path.exists():
            problems.append(CorpusProblem(path, 0, "file not found"))
            continue
        file_records, file_problems = read_file(path)
        problems += file_problems
        for number, record in enumerate(file_records, start=1):
            if record["id"] in seen:
                problems.append(CorpusProblem(path, number, f"duplicate id '{record['id']}' (first in {seen[record['id']]})"))
            seen[record["id"]] = path
        records += file_records
    if problems:
        raise CorpusError(problems)
    return records


def sha256_of(paths: Iterable[Path]) -> str:
    """One digest over the corpus files, recorded with every model trained on them."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def check_held_out(train: list[dict], gold: list[dict], gold_path: Path) -> None:
    """Refuse a gold set that shares a message id or a writer with the training data."""
    from training.splits import writer_of
    problems = []
    ids = {r["id"] for r in train} & {r["id"] for r in gold}
    if ids:
        problems.append(CorpusProblem(gold_path, 0, f"gold ids also in training: {sorted(ids)[:5]}"))
    writers = {writer_of(r) for r in train} & {writer_of(r) for r in gold}
    if writers:
        problems.append(CorpusProblem(gold_path, 0, f"gold writers also in training: {sorted(writers)}"))
    if problems:
        raise CorpusError(problems)
