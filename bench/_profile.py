"""Where the time of ``smista poll --once`` goes, from a cProfile dump, split into stages.

A stage is the cumulative time of the functions that enter it; stages nested in another one
(the PEC signature check inside parsing, lemmatisation inside preparation...) are subtracted
from it, so the rows add up to the whole run.
"""

from __future__ import annotations

import pstats

#: stage -> (file suffix, function name) entry points; inner stages listed after their outer one.
STAGES: dict[str, list[tuple[str, str]]] = {
    "start-up and model load": [("classifier/bundle.py", "load")],
    "fetch (IMAP)": [("inbox/sources.py", "fetch")],
    "store raw bytes": [("triage/pipeline.py", "store_many")],
    "parse (MIME, PEC)": [("inbox/incoming.py", "read")],
    "PEC signature check": [("inbox/signature.py", "verify_signature")],
    "text preparation": [("classifier/features.py", "prepare")],
    "lemmatisation (spaCy)": [("classifier/nlp.py", "lemmatise")],
    "features": [("classifier/fast.py", "transform")],
    "heads": [("classifier/fast.py", "predict_proba")],
    "results: rules, entities, explanations": [("classifier/model.py", "_result")],
    "classify (rest)": [("classifier/bundle.py", "classify")],
    "commit results and routing": [("triage/pipeline.py", "process_many")],
    "acknowledge": [("inbox/sources.py", "acknowledge")],
}
INSIDE = {  # outer stage -> the stages measured inside it
    "parse (MIME, PEC)": ["PEC signature check"],
    "text preparation": ["lemmatisation (spaCy)"],
    "classify (rest)": ["text preparation", "features", "heads", "results: rules, entities, explanations"],
    "commit results and routing": ["parse (MIME, PEC)", "classify (rest)"],
}


def split(path: str) -> tuple[dict[str, float], float]:
    stats = pstats.Stats(path)
    raw: dict[str, float] = dict.fromkeys(STAGES, 0.0)
    total = max(ct for (_, _, _, ct, _) in stats.stats.values())  # type: ignore[attr-defined]
    for (filename, _, name), (_, _, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        for stage, entries in STAGES.items():
            if any(filename.endswith(suffix) and name == fn for suffix, fn in entries):
                raw[stage] += cumulative
    own = dict(raw)
    for outer, inner in INSIDE.items():
        own[outer] = raw[outer] - sum(raw[i] for i in inner)
    own["other (imports, SQL set-up, logging)"] = total - sum(own.values())
    return own, total


def table(path: str, messages: int = 0) -> str:
    """The split as a table: seconds, share and (given the run's ``messages``) ms per message."""
    own, total = split(path)
    per = f"{'ms/msg':>9}" if messages else ""
    lines = [f"{'stage':42}{'seconds':>9}{'share':>8}{per}"]
    for stage, seconds in [*own.items(), ("total", total)]:
        ms = f"{seconds * 1000 / messages:9.2f}" if messages else ""
        share = f"{seconds / total:8.1%}" if stage != "total" else " " * 8
        lines.append(f"{stage:42}{seconds:9.2f}{share}{ms}")
    return "\n".join(lines)
