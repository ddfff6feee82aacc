"""Operators' corrections as training data.

``smista export --corrections`` writes them in the corpus's own line format (source
``correction``, writer ``operators``), so they are validated like any corpus file and weighted
by ``[model] source_weight.correction``.
"""

from __future__ import annotations

from pathlib import Path

from training import corpus


def as_records(path: Path) -> list[dict]:
    """The corrections file as corpus records; raises :class:`corpus.CorpusError` on bad lines."""
    records = corpus.load([path])
    wrong = [corpus.CorpusProblem(path, i, f"source is {r['source']!r}, expected 'correction'")
             for i, r in enumerate(records, start=1) if r["source"] != "correction"]
    if wrong:
        raise corpus.CorpusError(wrong)
    return records
