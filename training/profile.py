"""The shape of a corpus, compared with the shape of a real contact-center inbox.

A corpus that is short, cue-heavy and in one register teaches a model that fails on real
mail, so the corpus builder refuses one below these figures. Stdlib only: independent
writers run it on their own folder (``python3 -m training.profile data/writers/w07``)
without installing the project.
"""

from __future__ import annotations

import re
import statistics
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from classifier.labels import TYPES, URGENCIES

QUOTE = re.compile(
    r"^\s*>|^\s*Il giorno .{0,120}ha scritto|^-{2,}\s*Messaggio originale|^Da:\s.+$\n^(Inviato|Data|Sent):"
    r"|^From:\s.+$\n^(Sent|Date):|^On .{0,160}wrote:|^Il .{0,80}\d{1,2}:\d{2}.{0,80}ha scritto|scritto:\s*$",
    re.IGNORECASE | re.MULTILINE)
FORWARD = re.compile(
    r"messaggio inoltrato|forwarded message|inizio messaggio inoltrato|^-{2,}\s*inoltrato|^(I|Fwd?|Inoltro|TR):",
    re.IGNORECASE | re.MULTILINE)
SIGNOFF = re.compile(r"inviato da (il mio |mio )?(iphone|ipad|android|smartphone|samsung|xiaomi|outlook)"
                     r"|sent from my|get outlook for", re.IGNORECASE)
DISCLAIMER = re.compile(r"2016/679|GDPR|D\.?\s?Lgs\.?\s*196|riservat[oae]|confidential", re.IGNORECASE)
HTML = re.compile(r"<\s*/?\s*(br|p|div|span|b|i|td|tr)\b|&nbsp;|&amp;|&egrave;|&agrave;", re.IGNORECASE)
ENGLISH = re.compile(r"\b(the|please|hello|dear|thanks|regards)\b", re.IGNORECASE)
NO_ACCENT = re.compile(r"\b(perche|pero|citta|gia|piu|e'|puo|cosi|sara|verra)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Floor:
    """One figure of the inbox's shape and the least a corpus may have of it."""
    name: str
    minimum: float


FLOORS = (Floor("median_words", 60), Floor("over_150_words", 0.10), Floor("replies", 0.25),
          Floor("forwards", 0.05), Floor("pec", 0.10), Floor("signoffs", 0.03), Floor("disclaimers", 0.03),
          Floor("no_accents", 0.05), Floor("shouting", 0.02), Floor("html", 0.01), Floor("english", 0.02))


def _caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 15 and sum(c.isupper() for c in letters) / len(letters) > 0.6


def profile(records: Sequence[dict]) -> dict[str, float]:
    """Share of messages with each trait, plus body length figures."""
    words = [len(r["body"].split()) for r in records]
    n = max(len(records), 1)

    def share(test) -> float:
        return sum(1 for r in records if test(r)) / n

    return {
        "messages": len(records),
        "median_words": statistics.median(words) if words else 0,
        "over_150_words": sum(w > 150 for w in words) / n,
        "replies": share(lambda r: bool(QUOTE.search(r["body"]))),
        "forwards": share(lambda r: bool(FORWARD.search(r["body"]) or FORWARD.match(r["subject"]))),
        "pec": share(lambda r: r["channel"] == "pec"),
        "with_thread": share(lambda r: r.get("thread") is not None),
        "signoffs": share(lambda r: bool(SIGNOFF.search(r["body"]))),
        "disclaimers": share(lambda r: bool(DISCLAIMER.search(r["body"]))),
        "no_accents": share(lambda r: bool(NO_ACCENT.search(r["body"]))),
        "shouting": share(lambda r: _caps(r["subject"] + " " + r["body"])),
        "html": share(lambda r: bool(HTML.search(r["body"]))),
        "english": share(lambda r: len(ENGLISH.findall(r["body"])) >= 2),
    }


def shortfalls(figures: dict[str, float]) -> list[str]:
    """Every figure below its floor, worded for the person who must fix the corpus."""
    return [f"{f.name} is {figures[f.name]:.3g}, below the floor of {f.minimum:g}"
            for f in FLOORS if figures[f.name] < f.minimum]


def label_table(records: Sequence[dict]) -> str:
    counts = Counter((r["type"], r["urgency"]) for r in records)
    rows = [f"{'':14}" + "".join(f"{u:>10}" for u in URGENCIES) + f"{'total':>8}"]
    for t in TYPES:
        rows.append(f"{t:14}" + "".join(f"{counts[(t, u)]:>10}" for u in URGENCIES)
                    + f"{sum(counts[(t, u)] for u in URGENCIES):>8}")
    rows.append(f"{'total':14}" + "".join(f"{sum(counts[(t, u)] for t in TYPES):>10}" for u in URGENCIES)
                + f"{len(records):>8}")
    return "\n".join(rows)


def duplicates(records: Sequence[dict]) -> list[str]:
    seen: dict[tuple[str, str], str] = {}
    found = []
    for r in records:
        key = (r["subject"].strip().lower(), " ".join(r["body"].lower().split()))
        if key in seen:
            found.append(f"{r['id']} repeats {seen[key]}")
        seen.setdefault(key, r["id"])
    return found


def report(records: Sequence[dict]) -> tuple[str, list[str]]:
    """The label table, the domains and the shape line as text, and the shape's shortfalls."""
    figures = profile(records)
    domains = Counter(r["domain"] for r in records)
    text = "\n".join([label_table(records), "", "domains: " + ", ".join(f"{d} {c}" for d, c in domains.most_common()),
                      "shape:   " + ", ".join(f"{k} {v:.3g}" for k, v in figures.items())])
    return text, shortfalls(figures)


def main(argv: list[str]) -> int:
    from training.corpus import CorpusError
    from training.handwritten import parse_writer

    records: list[dict] = []
    try:
        for folder in argv:
            records += parse_writer(Path(folder))
    except CorpusError as exc:
        print(exc)
        return 1
    text, below = report(records)
    print(text)
    problems = below + duplicates(records)
    for line in problems:
        print("BELOW:", line)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:] or ["."]))
