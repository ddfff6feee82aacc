"""Text preparation: HTML to text, new text versus quoted history, signatures and disclaimers,
and the normalisation that makes ``perche'``, ``PERCHÉ`` and ``perché`` one token.

These are pure functions on strings. They follow what Italian mail looks like: reply headers
``Il giorno ... ha scritto:``, ``Da: / Inviato: / Oggetto:``, ``-----Messaggio originale-----``,
``Inviato da iPhone``, and privacy notices citing the GDPR.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

_HTML_HINT = re.compile(r"<\s*(html|body|div|p|br|span|table|td|font|b|i|a)\b[^>]{0,2000}>|&nbsp;|&#\d+;|&[a-z]+;", re.I)
_BLOCK_END = re.compile(r"<\s*(br\s*/?|/p|/div|/tr|/li|/h\d|/table)\s*>", re.I)


def html_to_text(text: str) -> str:
    """Turn HTML (whole documents or leftovers like ``<br>`` and ``&nbsp;``) into plain text."""
    if not _HTML_HINT.search(text):
        return text
    tree = LexborHTMLParser(_BLOCK_END.sub("\n", text))
    tree.strip_tags(["style", "script", "head", "title"])
    root = tree.body or tree.root
    plain = root.text(separator="") if root is not None else ""
    plain = plain.replace("\xa0", " ")
    return re.sub(r"\n\s*\n\s*\n+", "\n\n", plain).strip()


# --- splitting -------------------------------------------------------------------------------

_QUOTE_START = [
    re.compile(r"^\s*il (giorno )?.{0,80}(ha scritto|wrote)\s*:?\s*$", re.I),
    re.compile(r"^\s*il (giorno )?\S.{0,80}$", re.I),  # header wrapped over two lines: checked with the next
    re.compile(r"^\s*on .{0,120}wrote\s*:\s*$", re.I),
    re.compile(r"^\s*-{2,}\s*(messaggio originale|original message|messaggio inoltrato|forwarded message)\s*-*", re.I),
    re.compile(r"^\s*(da|from)\s*:\s*\S.*$", re.I),
]
_HEADER_FOLLOW = re.compile(r"^\s*(inviato|data|sent|date|a|to|oggetto|subject|cc)\s*:", re.I)
_SIGNATURE_START = re.compile(
    r"^\s*(--\s*|__+\s*|inviato da (iphone|ipad|il mio|dal mio).*|sent from my .*|inviato dal mio .*|"
    r"(cordiali |distinti |cari |un )?salut[ie][\s,.!]*|cordialmente[\s,.!]*|grazie( mille| ancora| anticipatamente| di cuore)?[\s,.!]*|"
    r"(in attesa|resto in attesa|rimango in attesa|attendo) (di )?(un |una |vostro |vostra |cortese )*(riscontro|risposta|vostre notizie).*|"
    r"buona (giornata|serata)[\s,.!]*|ringraziando( anticipatamente)?.*|best regards|kind regards|regards|thanks[\s,.!]*|thank you[\s,.!]*)$",
    re.I,
)
_DISCLAIMER = re.compile(
    r"(ai sensi del|regolamento (\(?ue\)? )?(n\.? )?2016/679|gdpr|d\.?\s?lgs\.?\s?196/2003|informativa privacy|avviso di riservatezza|"
    r"informazioni contenute (in|nel)|prima di stampare|this e-?mail and any attachments|confidential and may be privileged|"
    r"destinatario(?: indicato)?.{0,40}(errore|per sbaglio))",
    re.I,
)


@dataclass(frozen=True)
class Parts:
    """A message split into what the sender wrote now and what surrounds it."""

    new: str
    quoted: str = ""
    signature: str = ""
    disclaimer: str = ""


def _quote_start(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        if line.lstrip().startswith(">") and i > 0:
            return i
        if _QUOTE_START[0].match(line) or _QUOTE_START[2].match(line) or _QUOTE_START[3].match(line):
            return i
        if _QUOTE_START[1].match(line) and i + 1 < len(lines) and re.search(r"(ha scritto|wrote)\s*:\s*$", lines[i + 1], re.I):
            return i
        if _QUOTE_START[4].match(line) and any(_HEADER_FOLLOW.match(nxt) for nxt in lines[i + 1:i + 4]):
            return i
    return None


def _signature_start(lines: list[str]) -> int | None:
    """The closing formula or signature marker after which only the sender's details follow."""
    for i in range(max(1, len(lines) - 8), len(lines)):  # a closing formula has at most 7 lines after it
        if _SIGNATURE_START.match(lines[i]):
            return i
    return None


def split_message(text: str) -> Parts:
    """Separate new text from quoted history, the signature and legal disclaimers."""
    lines = text.replace("\r\n", "\n").split("\n")
    legal = [len(ln) > 30 and _DISCLAIMER.search(ln) is not None for ln in lines]
    disclaimer = [ln for ln, is_legal in zip(lines, legal) if is_legal]
    lines = [ln for ln, is_legal in zip(lines, legal) if not is_legal]
    start = _quote_start(lines)
    lines_all = lines
    quoted_lines = lines[start:] if start is not None else []
    lines = lines[:start] if start is not None else lines
    cut = _signature_start(lines)
    signature = lines[cut:] if cut is not None else []
    new = "\n".join(lines[:cut] if cut is not None else lines).strip()
    quoted = "\n".join(ln.lstrip("> ").rstrip() for ln in quoted_lines).strip()
    forwarded = start is not None and re.search(r"inoltrato|forwarded", lines_all[start], re.I)
    if forwarded and len(new.split()) < 4:  # a bare forward: the forwarded text is the request
        new, quoted = f"{new}\n{quoted}".strip(), ""
    return Parts(new=new, quoted=quoted, signature="\n".join(signature).strip(), disclaimer="\n".join(disclaimer))


# --- normalisation ---------------------------------------------------------------------------

_ACCENT_APOSTROPHE = re.compile(r"([aeiouAEIOU])['`´’](?=[\s.,;:!?)]|$)")
_ACCENTED = {"a": "à", "e": "è", "i": "ì", "o": "ò", "u": "ù", "A": "À", "E": "È", "I": "Ì", "O": "Ò", "U": "Ù"}
_PLACEHOLDERS = [
    ("xurl", re.compile(r"\b(?:https?://|www\.)\S+|\b[\w-]{1,63}\.(?:com|net|info|it|eu|org)/\S*", re.I)),
    ("xemail", re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\b")),
    ("xphone", re.compile(r"(?<!\w)(?:\+39[\s.]?)?(?:3\d{2}|0\d{1,3})[\s./-]?\d{2,4}[\s./-]?\d{3,4}(?!\w)")),
    ("xdate", re.compile(r"\b\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b")),
    ("xtime", re.compile(r"\b\d{1,2}[:.]\d{2}(?::\d{2})?\b")),
    # Every repetition is bounded: unbounded look-aheads made "a-a-a-..." quadratic (40,000
    # characters took minutes), and a code has a few segments, not thousands.
    ("xcode", re.compile(r"\b(?=[A-Za-z-]{0,24}\d)(?=\d{0,24}[A-Za-z])[A-Za-z0-9]{1,24}(?:[-/][A-Za-z0-9]{1,24}){1,8}\b"
                         r"|\b[A-Za-z]{1,4}\d{3,24}[A-Za-z]{0,8}\b")),
    ("xnum", re.compile(r"\b\d+(?:[.,]\d+)*\b")),
    # No word is 40 characters long (the corpus's longest are 39: hostnames, "____" rules), and
    # spaCy's tokenizer is quadratic in a token's length ("<" * 8,000 took 13 s, a 100,000-character
    # run would take hours): a longer run without spaces (base64, ASCII art, garbage) is one placeholder.
    ("xlong", re.compile(r"(?<!\S)\S{40,}")),
]


def restore_accents(text: str) -> str:
    """``perche'`` -> ``perchè``, ``e'`` -> ``è``: the apostrophe people type for a final accent."""
    return _ACCENT_APOSTROPHE.sub(lambda m: _ACCENTED[m.group(1)], text)


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")  # diacritical marks


def fold_accents(text: str) -> str:
    """Strip diacritics so ``è``, ``e'`` and ``e`` end up alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed if decomposed.isascii() else _COMBINING.sub("", decomposed)


_DIGIT = re.compile(r"\d")
_URL_HINT = re.compile(r"://|www\.|\.(?:com|net|info|it|eu|org)/")
#: What a text must contain for a placeholder's pattern to match in it: a cheap test that
#: skips the pattern's scan of every position (most messages hold no URL, many no number).
#: Each is implied by its pattern; an ASCII text's lowercase stands for the URL pattern's
#: case-insensitive match (other scripts have letters that fold onto ASCII ones: run it).
_CAN_MATCH = {
    "xurl": lambda text: not text.isascii() or _URL_HINT.search(text.lower()) is not None,
    "xemail": lambda text: "@" in text,
    **dict.fromkeys(("xphone", "xdate", "xtime", "xcode", "xnum"), lambda text: _DIGIT.search(text) is not None),
}


def mask(text: str) -> str:
    """Replace URLs, e-mails, phone numbers, dates, codes and numbers by placeholder words."""
    for token, pattern in _PLACEHOLDERS:
        can_match = _CAN_MATCH.get(token)
        if can_match is None or can_match(text):
            text = pattern.sub(f" {token} ", text)
    return text


_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lowercase, placeholder-masked, accent-folded text with collapsed whitespace."""
    return normalise_masked(mask(restore_accents(text)))


def normalise_masked(text: str) -> str:
    """:func:`normalise` of a text already through :func:`restore_accents` and :func:`mask`."""
    # Lowered again after folding: compatibility letters (𝐅𝐔𝐎𝐂𝐎, ℌ) have no lowercase of their own
    # and become ASCII capitals only there, which the case-sensitive safety cues would miss.
    return _SPACES.sub(" ", fold_accents(text.lower()).lower()).strip()


def normalise_lines(first: str, second: str, first_masked: str, second_masked: str) -> str:
    """``normalise(f"{first}\\n{second}")`` from the two texts already masked apart.

    No placeholder's match can hold the line break but a phone number's (its separators are
    ``[\\s./-]``), and only between two digits: then the two are masked together again."""
    if first[-1:].isdigit() and second[:1].isdigit():
        return normalise(f"{first}\n{second}")
    return normalise_masked(f"{first_masked}\n{second_masked}")
