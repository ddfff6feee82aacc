"""Compile the hand-written messages from their authoring format into corpus JSONL.

Authoring format, one block per message::

    ### <type> <urgency> <domain> <channel> <sender address> [thread=<type>]
    <subject line, may be empty>
    <body lines ...>

``thread=<type>`` says that the message continues a mail thread whose earlier message from
the same sender, already in the contact center's mailbox, had that type: what the store
knows when it links a reply to its thread.

Letters sent as attachments (``data/letters/``) add ``file=<name>`` to the header and a line
``=== ALLEGATO ===`` between the cover note (the body) and the letter's text; the record
gets ``attachment: {"filename", "text"}``, rendered into a real file by ``training.letters``.

Two sources use it: ``data/handwritten/`` (the first writer: ``gold_*.txt`` held out,
``train_*.txt`` trainable) and ``data/writers/<writer>/*.txt`` (one folder per independent
writer, with the brief it wrote from; see ``data/writers/README.md``).
"""

from __future__ import annotations

import json
from typing import Any
from pathlib import Path

from classifier.labels import TYPES
from training.corpus import CorpusError, CorpusProblem, check_record

HEADER = "type urgency domain channel sender [thread=<type>] [file=<name>]"
SEPARATOR = "=== ALLEGATO ==="


def parse(path: Path, prefix: str | None = None, writer: str | None = None) -> list[dict]:
    """Parse one authoring file; raises :class:`CorpusError` with line numbers on bad headers."""
    records: list[dict] = []
    problems: list[CorpusProblem] = []
    block: list[str] = []
    header_line = 0
    prefix = prefix or f"h-{path.stem}"

    def flush() -> None:
        if not block:
            return
        fields = block[0][3:].split()
        options = {f.split("=", 1)[0]: f.split("=", 1)[1] for f in fields[5:] if "=" in f}
        thread, filename = options.pop("thread", None), options.pop("file", None)
        if len(fields) > 5 and len(fields) - 5 != (thread is not None) + (filename is not None):
            fields = []  # an unknown option: reported below
        fields = fields[:5]
        if len(fields) != 5:
            problems.append(CorpusProblem(path, header_line, f"header needs: {HEADER}; found {block[0]!r}"))
            return
        mtype, urgency, domain, channel, sender = fields
        subject = block[1].strip() if len(block) > 1 else ""
        lines, letter = block[2:], None
        if SEPARATOR in (line.strip() for line in lines):
            at = [line.strip() for line in lines].index(SEPARATOR)
            lines, letter = lines[:at], "\n".join(lines[at + 1:]).strip()
        body = "\n".join(lines).strip()
        record: dict[str, Any] = {"id": f"{prefix}-{len(records) + 1:03d}", "subject": subject, "body": body, "from": sender,
                  "channel": channel, "type": mtype, "urgency": urgency, "domain": domain, "source": "handwritten",
                  "writer": writer or "h0", "thread": thread}
        if filename is not None:
            record["attachment"] = {"filename": filename, "text": letter or ""}
        errors = check_record(record) + ([] if body or filename else ["empty body"])
        if (filename is None) != (letter is None):
            errors.append(f"a letter needs both file=<name> in its header and one '{SEPARATOR}' line")
        elif letter is not None and not letter:
            errors.append("empty letter after the separator")
        if thread is not None and thread not in TYPES:
            errors.append(f"unknown thread type '{thread}'; expected one of {', '.join(TYPES)}")
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


def parse_writer(folder: Path) -> list[dict]:
    """Every message of one writer's folder, with the folder's name as the writer."""
    records: list[dict] = []
    problems: list[CorpusProblem] = []
    for path in sorted(folder.glob("*.txt")):
        try:
            records += parse(path, prefix=f"{folder.name}-{path.stem}", writer=folder.name)
        except CorpusError as exc:
            problems += exc.problems
    if problems:
        raise CorpusError(problems)
    return records


def parse_writers(root: Path, only: list[str] | None = None) -> list[dict]:
    """Every message of every writer's folder under ``root`` (or of the writers named in ``only``)."""
    return [r for folder in sorted(p for p in root.iterdir() if p.is_dir() and (not only or p.name in only))
            for r in parse_writer(folder)]


def compile_dir(source: Path, out_dir: Path) -> dict[str, int]:
    """Write ``gold.jsonl`` and ``handwritten_train.jsonl``; return how many lines each got."""
    counts = {}
    for prefix, name in (("gold_", "gold.jsonl"), ("train_", "handwritten_train.jsonl")):
        records = [r for path in sorted(source.glob(f"{prefix}*.txt")) for r in parse(path)]
        write_jsonl(out_dir / name, records)
        counts[name] = len(records)
    return counts


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def compile_writers(source: Path, out_dir: Path, held_out: list[str],
                    settled: dict[str, tuple[str, str, str]] | None = None) -> dict[str, int]:
    """Write ``writers_train.jsonl`` and ``writers_gold.jsonl`` (the held-out writers, whole),
    with the labels settled after the blind second labelling applied."""
    from training.relabel import apply
    train: list[dict] = []
    gold: list[dict] = []
    for record in apply(parse_writers(source), settled or {}):
        (gold if record["writer"] in held_out else train).append(record)
    write_jsonl(out_dir / "writers_train.jsonl", train)
    write_jsonl(out_dir / "writers_gold.jsonl", gold)
    return {"writers_train.jsonl": len(train), "writers_gold.jsonl": len(gold)}
