"""Entities for tracking a request: who wrote, how to reach them, where, which asset, which
earlier ticket or protocol, and which dates. Pure regular expressions over the message text;
each list keeps the order of first appearance without duplicates."""

from __future__ import annotations

import re
from email.utils import parseaddr

# Bounded parts (RFC 5321 limits): an unbounded local part made "a-a-a-..." without an "@"
# quadratic, 35 s for 80,000 characters; bounded, every start position costs at most 64 steps.
_EMAIL = re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\b")
_PHONE = re.compile(r"(?<![\w/.-])(?:\+39[\s.]?)?(?:3\d{2}|0\d{1,3})[\s./-]?\d{2,4}[\s./-]?\d{3,4}(?![\w/-])")
_STREET = (r"(?:via|viale|v\.le|piazza|p\.zza|piazzale|corso|c\.so|vicolo|largo|strada|lungarno|lungomare|borgo|contrada)")
_WORD = r"[A-Z0-9ÀÈÉÌÒÙ][\w'àèéìòù]*"
_ADDRESS = re.compile(
    rf"\b{_STREET} (?:(?:del|della|dei|degli|delle|dell'|di|d'|san|santa|s\.) ?)?{_WORD}(?: {_WORD}){{0,3}}(?:,? (?:n\. ?)?\d{{1,4}}[a-zA-Z]?\b)?"
)
_POLE = re.compile(
    r"\b(?:palo|lampione|punto luce|sostegno)(?:\s+(?:n\.?|numero|codice|cod\.|con (?:il )?codice|con etichetta(?: QR)?))?\s*"
    r"((?=[A-Z0-9/-]*\d)[A-Z]{0,4}-?[0-9][0-9/-]{1,10}[A-Z]?)\b"
    r"|\b(QR[- ]?(?:[A-Z]{2}-)?\d{4,8})\b",
)
_TICKET = re.compile(
    r"\b(?:ticket|segnalazione|pratica|richiesta|riferimento|rif\.|sinistro|n\.)\s*(?:n\.\s*|numero\s*|#\s*)?"
    r"((?=[A-Z0-9/#-]*\d)(?:[A-Z]{2,4}-?)?\d[\d/-]{3,14}\d)\b"
    r"|\b((?:TK|INC|SR|REQ)-?\d{4}(?:-\d{3,6})?|INC\d{5,8}|#\d{5,8})\b",
    re.I,
)
_PROTOCOL = re.compile(r"\bprot(?:ocollo|\.)?\s*(?:n\.?\s*)?(\d{3,7}(?:/\d{2,4})?)", re.I)
_PLATE = re.compile(r"\b([A-Z]{2}\s?\d{3}\s?[A-Z]{2})\b")
_MONTHS = "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre"
_DATE = re.compile(rf"\b(\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{1,2}}\s(?:{_MONTHS})(?:\s\d{{4}})?)\b", re.I)
_NAME_LINE = re.compile(r"^(?:(?:dott|dr|ing|arch|avv|geom|prof|rag|sig)\.?(?:ssa|ra)?\s+)?([A-ZÀ-Ý][a-zà-ÿ']+(?:\s+(?:de|di|da|del|della|d')?\s*[A-ZÀ-Ý][a-zà-ÿ']+){1,2})\s*$")


def _unique(items: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        item = item.strip(" ,.;")
        if item and item.lower() not in {s.lower() for s in seen}:
            seen[item] = None
    return list(seen)


def requester_name(sender: str, signature: str, display: str | None = None) -> str | None:
    """Display name from the ``From`` header (``display`` when already parsed), else a name-like
    line of the signature."""
    if display is None:
        display, _ = parseaddr(sender or "")
    if display and "@" not in display:
        return display.strip()
    for line in (signature or "").splitlines():
        m = _NAME_LINE.match(line.strip())
        if m:
            return m.group(1)
    return None


def extract(text: str, subject: str = "", sender: str = "", signature: str = "",
            signer: str = "") -> dict[str, list[str] | str | None]:
    """Extract tracking entities from the new text, subject and signature of a message.

    ``signer``: who signed the letter that is the request (a PEC mailbox of a municipality
    is named after its office; the letter after the person who asks)."""
    whole = f"{subject}\n{text}\n{signature}"
    display, sender_addr = parseaddr(sender or "")  # parsed once: the stdlib parser is slow
    emails = _unique(([sender_addr] if "@" in sender_addr else []) + _EMAIL.findall(whole))
    poles = _unique([a or b for a, b in _POLE.findall(whole)])
    tickets = _unique([a or b for a, b in _TICKET.findall(whole)])
    return {
        "requester_name": signer or requester_name(sender, signature, display),
        "emails": emails,
        "phones": _unique(_PHONE.findall(whole)),
        "addresses": _unique(_ADDRESS.findall(whole)),
        "asset_codes": poles,
        "tickets": [t for t in tickets if t not in poles],
        "protocols": _unique(_PROTOCOL.findall(whole)),
        "plates": _unique(_PLATE.findall(whole)),
        "dates": _unique(_DATE.findall(whole)),
    }
