"""The label taxonomy (see data/README.md): machine names are stable for downstream systems."""

from __future__ import annotations

TYPES: tuple[str, ...] = ("intervention", "status", "clarification", "reminder", "complaint", "other")
URGENCIES: tuple[str, ...] = ("emergency", "high", "normal", "low")

TYPE_IT = {
    "intervention": "richiesta di intervento",
    "status": "informazioni sullo stato",
    "clarification": "richiesta di chiarimenti e informazioni",
    "reminder": "sollecito",
    "complaint": "reclamo",
    "other": "non pertinente",
}
URGENCY_IT = {"emergency": "emergenza", "high": "alta", "normal": "normale", "low": "bassa"}

#: The urgencies LABELS.md allows each type: a status question, a reminder and a complaint are
#: at least normal; a clarification is never an emergency (a question about a danger is not one:
#: "chi chiamo se cade un albero?"); other is always low.
ALLOWED_URGENCIES: dict[str, tuple[str, ...]] = {
    "intervention": URGENCIES,
    "status": ("emergency", "high", "normal"),
    "clarification": ("high", "normal", "low"),
    "reminder": ("emergency", "high", "normal"),
    "complaint": ("emergency", "high", "normal"),
    "other": ("low",),
}

#: Urgency levels from the most to the least pressing; the safety layer only moves up this list.
URGENCY_RANK = {label: rank for rank, label in enumerate(reversed(URGENCIES))}

CHANNELS: tuple[str, ...] = ("email", "pec")

DOMAINS: tuple[str, ...] = (
    "lighting",    # public street lighting: poles with codes and QR labels
    "buildings",   # maintenance of public buildings and schools
    "it",          # IT maintenance for public offices
    "facility",    # hospital and office facility services
    "roads",       # road and green maintenance
    "energy",      # energy and heating service
    "insurance",   # a vehicle insurance programme
    "cards",       # company payment and toll cards
    "funding",     # a regional agency's funding calls
    "general",     # not tied to one service (newsletters, receipts, wrong recipient)
)


def more_urgent(a: str, b: str) -> str:
    """Return the more pressing of two urgency labels."""
    return a if URGENCY_RANK[a] >= URGENCY_RANK[b] else b
