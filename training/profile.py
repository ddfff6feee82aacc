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


#: Letters sent as attachments (``--letters``): most cover notes say nothing, the letters are
#: real documents, and every kind of file the intake reads is there.
LETTER_FLOORS = (Floor("letter_median_words", 80), Floor("cover_notes", 0.55), Floor("body_requests", 0.12),
                 Floor("oggetto", 0.5), Floor("pec", 0.3), Floor("signed_p7m", 0.08), Floor("scans", 0.08),
                 Floor("office_files", 0.06))
SCAN_NAME = re.compile(r"(^(scan|fax)[^/]*\.pdf|\.tiff?)$", re.IGNORECASE)
OFFICE_NAME = re.compile(r"\.(docx|odt|rtf|txt)$", re.IGNORECASE)
COVER_WORDS = 40  # a body of at most this many words (signature included) is a cover note


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


def letter_profile(records: Sequence[dict]) -> dict[str, float]:
    """The shape of messages whose request travels in an attachment."""
    n = max(len(records), 1)
    letters = [r.get("attachment") or {"filename": "", "text": ""} for r in records]
    names = [a["filename"] for a in letters]
    covers = sum(len(r["body"].split()) <= COVER_WORDS for r in records)
    return {
        "messages": len(records),
        "letter_median_words": statistics.median(len(a["text"].split()) for a in letters) if letters else 0,
        "cover_notes": covers / n, "body_requests": (len(records) - covers) / n,
        "oggetto": sum(bool(re.search(r"^\s*oggetto\s*:", a["text"], re.I | re.M)) for a in letters) / n,
        "pec": sum(r["channel"] == "pec" for r in records) / n,
        "signed_p7m": sum(name.lower().endswith(".p7m") for name in names) / n,
        "scans": sum(bool(SCAN_NAME.search(name)) for name in names) / n,
        "office_files": sum(bool(OFFICE_NAME.search(name)) for name in names) / n,
    }


def shortfalls(figures: dict[str, float], floors: Sequence[Floor] = FLOORS) -> list[str]:
    """Every figure below its floor, worded for the person who must fix the corpus."""
    return [f"{f.name} is {figures[f.name]:.3g}, below the floor of {f.minimum:g}"
            for f in floors if figures[f.name] < f.minimum]


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
        letter = (r.get("attachment") or {}).get("text", "")
        key = (r["subject"].strip().lower(), " ".join(f"{r['body']} {letter}".lower().split()))
        if key in seen:
            found.append(f"{r['id']} repeats {seen[key]}")
        seen.setdefault(key, r["id"])
    return found


def report(records: Sequence[dict], letters: bool = False) -> tuple[str, list[str]]:
    """The label table, the domains and the shape line as text, and the shape's shortfalls."""
    figures = letter_profile(records) if letters else profile(records)
    domains = Counter(r["domain"] for r in records)
    lines = [label_table(records), "", "domains: " + ", ".join(f"{d} {c}" for d, c in domains.most_common())]
    if letters:
        kinds = Counter(_kind((r.get("attachment") or {}).get("filename", "")) for r in records)
        lines.append("files:   " + ", ".join(f"{k} {c}" for k, c in kinds.most_common()))
        missing = [r["id"] for r in records if "attachment" not in r]
        below = [f"{i} has no attachment (file=<name> and '=== ALLEGATO ===')" for i in missing]
    else:
        below = []
    lines.append("shape:   " + ", ".join(f"{k} {v:.3g}" for k, v in figures.items()))
    return "\n".join(lines), shortfalls(figures, LETTER_FLOORS if letters else FLOORS) + below


def _kind(name: str) -> str:
    lowered = name.lower()
    if lowered.endswith(".p7m"):
        return "p7m"
    if SCAN_NAME.search(lowered):
        return "scan"
    return lowered.rsplit(".", 1)[-1] if "." in lowered else "none"


def main(argv: list[str]) -> int:
    from training.corpus import CorpusError
    from training.handwritten import parse_writer

    letters = "--letters" in argv
    argv = [a for a in argv if a != "--letters"]
    records: list[dict] = []
    try:
        for folder in argv or ["."]:
            records += parse_writer(Path(folder))
    except CorpusError as exc:
        print(exc)
        return 1
    text, below = report(records, letters)
    print(text)
    problems = below + duplicates(records)
    for line in problems:
        print("BELOW:", line)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
