"""The FAQ as files: read from the ``id;question;answer;tag`` CSV a contact center already keeps,
written as CSV (the same form, so an export imports back unchanged) and as a Markdown page a
web site can publish."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from faq.entries import FaqEntry

HEADER = ["id", "question", "answer", "tag"]


class FaqFileError(ValueError):
    """A line of an FAQ file that cannot be imported, with its line number."""


def read_csv(text: str) -> list[FaqEntry]:
    """Every row or none: an FAQ half imported would publish some answers and silently drop others."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    if rows and [c.strip().lower() for c in rows[0]] [:4] == HEADER:
        rows = rows[1:]
        first = 2
    else:
        first = 1
    entries, seen, problems = [], set(), []
    for number, row in enumerate(rows, start=first):
        if not any(c.strip() for c in row):
            continue
        if len(row) < 3:
            problems.append(f"line {number}: {len(row)} fields, expected id;question;answer;tag")
            continue
        faq_id, question, answer = (c.strip() for c in row[:3])
        tags = tuple(t.strip() for t in (row[3] if len(row) > 3 else "").split(",") if t.strip())
        if not faq_id or len(faq_id) > 64 or not all(ch.isalnum() or ch in "_.-" for ch in faq_id):
            problems.append(f"line {number}: id {faq_id!r} must be 1-64 letters, digits, '_', '.' or '-'")
        elif faq_id in seen:
            problems.append(f"line {number}: id {faq_id} repeated")
        elif len(question) < 3 or not answer:
            problems.append(f"line {number}: question and answer must not be empty")
        else:
            seen.add(faq_id)
            entries.append(FaqEntry(faq_id, question, answer, tags))
    if problems:
        raise FaqFileError("; ".join(problems[:20]) + (f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""))
    return entries


def to_csv(entries: Sequence[FaqEntry]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(HEADER)
    for e in entries:
        writer.writerow([e.id, e.question, e.answer, ", ".join(e.tags)])
    return buffer.getvalue()


def to_markdown(entries: Sequence[FaqEntry], title: str = "Domande frequenti") -> str:
    """Grouped by first tag, in the collection's order; answers kept as written."""
    groups: dict[str, list[FaqEntry]] = {}
    for e in entries:
        groups.setdefault(e.tags[0] if e.tags else "Altre domande", []).append(e)
    lines = [f"# {title}", ""]
    for tag, items in groups.items():
        lines += [f"## {tag[:1].upper()}{tag[1:]}", ""]
        for e in items:
            lines += [f'### {e.question} <a id="{e.id}"></a>', "", e.answer.strip(), ""]
    return "\n".join(lines).rstrip() + "\n"
