"""Compile the hand-written messages from their authoring format into corpus JSONL.

Authoring format (``data/handwritten/*.txt``), one block per message::

    ### <type> <urgency> <domain> <channel> <sender address>
    <subject line, may be empty>
    <body lines ...>

Files named ``gold_*.txt`` form the held-out gold set, used only for evaluation; files
named ``train_*.txt`` may be used for training, validation and thresholds.
"""

from __future__ import annotations

import json
from pathlib import Path

from training.corpus import CorpusError, CorpusProblem, check_record


def parse(path: Path) -> list[dict]:
    """Parse one authoring file; raises :class:`CorpusError` with line numbers on bad headers."""
    records, problems = [], []
    block: list[str] = []
    header_line = 0

    def flush() -> None:
        if not block:
            return
        fields = block[0][3:].split()
        if len(fields) != 5:
            problems.append(CorpusProblem(path, header_line, "header needs: type urgency domain channel sender"))
            return
        mtype, urgency, domain, channel, sender = fields
        subject = block[1].strip() if len(block) > 1 else ""
        body = "\n".join(block[2:]).strip()
        record = {"id": f"h-{path.stem}-{len(records) + 1:03d}", "subject": subject, "body": body, "from": sender,
                  "channel": channel, "type": mtype, "urgency": urgency, "domain": domain, "source": "handwritten"}
        errors = check_record(record) + ([] if body else ["empty body"])
        problems.extend(CorpusProblem(path, header_line, e) for e in errors)
        records.append(record)

    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("### "):
            flush()
            block, header_line = [line], number
        elif block:
            block.append(line)
        elif line.strip():
            problems.append(CorpusProblem(path, number, "text before the first '### ' header"))
    flush()
    if problems:
        raise CorpusError(problems)
    return records


def compile_dir(source: Path, out_dir: Path) -> dict[str, int]:
    """Write ``gold.jsonl`` and ``handwritten_train.jsonl``; return how many lines each got."""
    counts = {}
    for prefix, name in (("gold_", "gold.jsonl"), ("train_", "handwritten_train.jsonl")):
        records = [r for path in sorted(source.glob(f"{prefix}*.txt")) for r in parse(path)]
        out_dir.mkdir(parents=True, exist_ok=True)
        with (out_dir / name).open("w", encoding="utf-8") as out:
            out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        counts[name] = len(records)
    return counts
