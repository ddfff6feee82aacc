"""What the message page shows of a message's text: the new text with the words that explained
its labels marked, and the quoted history, signature and disclaimer apart (pure functions).

The explanation names lemmas and normalised n-grams (``centrale termico``), not the words as
written (``centrale termica``): a written word is marked when, with case and accents folded,
it starts with the first letters of one of those terms' words (all but the last two letters,
four at least), which is how Italian inflects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from classifier.textprep import fold_accents, html_to_text, split_message
from inbox.incoming import read

_WORD = re.compile(r"\w+", re.UNICODE)
_PLACEHOLDER = re.compile(r"^x(url|email|phone|date|time|code|num|long)$")


@dataclass(frozen=True)
class Shown:
    subject: str
    new: str
    quoted: str
    signature: str
    disclaimer: str
    error: str = ""


def shown(raw: bytes | None, subject: str | None) -> Shown:
    if raw is None:
        return Shown(subject or "", "", "", "", "", "messaggio non trovato")
    try:
        incoming = read(raw)
    except Exception as exc:  # noqa: BLE001 - a message smista could not parse is still shown by its headers
        return Shown(subject or "", "", "", "", "", f"il testo non si può leggere: {type(exc).__name__}")
    parts = split_message(html_to_text(incoming.request.body))
    return Shown(incoming.subject or subject or "", parts.new, parts.quoted, parts.signature, parts.disclaimer)


def stems(explanation: dict[str, list[str]] | None) -> set[str]:
    """The word beginnings to mark, from the type's and urgency's explaining terms."""
    found: set[str] = set()
    for key in ("type", "urgency"):
        for term in (explanation or {}).get(key, []):
            for word in _WORD.findall(fold_accents(str(term).lower())):
                if len(word) >= 3 and not _PLACEHOLDER.match(word):
                    found.add(word[:max(4, len(word) - 2)] if len(word) > 4 else word)
    return found


def highlight(text: str, marks: set[str]) -> Markup:
    """``text`` escaped, with each word that begins with one of ``marks`` in ``<mark>``."""
    out: list[str] = []
    last = 0
    for m in _WORD.finditer(text):
        folded = fold_accents(m.group().lower())
        if any(folded.startswith(s) for s in marks if len(folded) >= len(s)):
            out.append(str(escape(text[last:m.start()])))
            out.append(f"<mark>{escape(m.group())}</mark>")
            last = m.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))
