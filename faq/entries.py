"""A published FAQ as the matcher, the publisher and the store exchange it.

Apart from :mod:`faq.matching` so that reading and writing entries never loads the matcher's
models (scikit-learn, e5).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FaqEntry:
    """A published FAQ; ``paraphrases`` are earlier questions linked to it."""

    id: str
    question: str
    answer: str = ""
    tags: tuple[str, ...] = ()
    paraphrases: tuple[str, ...] = ()
