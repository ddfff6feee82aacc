"""The questions a clarification message asks, from its new text only, pseudonymised.

An FAQ candidate is built from what many senders asked, so a question must carry neither the
quoted history it replies to (that is our own earlier answer), nor greetings and signatures
(they say nothing about the request), nor anything that identifies the sender: the questions
are kept and shown to editors long after the message itself is handled.
"""

from __future__ import annotations

import re

from classifier.textprep import html_to_text, split_message

# Placeholders: bracketed words the tokenizers read as one ordinary word, so a masked
# question still matches the FAQ by what it asks.
NAME, EMAIL, PHONE, IBAN, TAX_CODE, PLATE, DATE, CODE = (
    "[NOME]", "[EMAIL]", "[TELEFONO]", "[IBAN]", "[CF]", "[TARGA]", "[DATA]", "[CODICE]")

_CAP = r"[A-ZÀ-Ý][a-zà-ÿ']+"
_FULL_NAME = rf"{_CAP}(?:\s+(?:de|di|da|del|della|d')?\s*{_CAP}){{0,2}}"
_TITLE = r"(?:(?:sig|sigg|dott|dr|ing|arch|avv|geom|prof|rag)\.?(?:ssa|ra|a)?\s+)"
_GREETING = re.compile(
    rf"^\s*(?:gentil(?:e|issim[oa]|i)|egregi[oa]|spett\.?(?:le|abile)?|car[oa]|buongiorno|buonasera|salve|ciao|alla c\.a\.?)"
    rf"[\s,]*(?:{_TITLE})?(?P<name>{_FULL_NAME})?[\s,.:;!]*$",
    re.I,
)
_SELF_INTRO = re.compile(rf"\b(?i:mi chiamo|sono (?:il |la )?{_TITLE}?|io sottoscritt[oa]|il sottoscritto|la sottoscritta)\s*(?P<name>{_FULL_NAME})")
_NAME_LINE = re.compile(rf"^\s*{_TITLE}?(?P<name>{_FULL_NAME})\s*$")
_PATTERNS = [
    (EMAIL, re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\b")),
    (IBAN, re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}(?:\s?[A-Z0-9]{1,3})?\b")),
    (TAX_CODE, re.compile(r"\b[A-Z]{6}\d{2}[A-EHLMPRST]\d{2}[A-Z]\d{3}[A-Z]\b", re.I)),
    (PHONE, re.compile(r"(?<![\w/.-])(?:\+39[\s.]?)?(?:3\d{2}|0\d{1,3})[\s./-]?\d{2,4}[\s./-]?\d{3,4}(?![\w/-])")),
    (PLATE, re.compile(r"\b[A-Z]{2}\s?\d{3}\s?[A-Z]{2}\b")),
    # Customer, contract, meter and ticket numbers: a run of 5+ digits, or letters and digits mixed.
    (DATE, re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")),
    (CODE, re.compile(r"\b(?=[A-Za-z]{0,12}\d)(?=\d{0,12}[A-Za-z])[A-Za-z0-9]{5,24}(?:[-/][A-Za-z0-9]{1,24}){0,4}\b"
                      r"|\b\d(?:[\s./-]?\d){4,24}\b")),
]
_NOT_NAMES = {"Gentile", "Buongiorno", "Buonasera", "Salve", "Grazie", "Cordiali", "Distinti", "Saluti", "Cliente", "Clienti",
              "Servizio", "Ufficio", "Contact", "Center", "Centro", "Assistenza", "Comune", "Spett"}

_SENTENCE = re.compile(r"[^.?!\n]+(?:[.?!]+|$)", re.M)
_ASKS = re.compile(
    r"^\s*(?:(?:ma|e|allora|quindi|inoltre|infine|scusate|per favore|cortesemente)[\s,]+)?"
    r"(?:come|quando|dove|perch[eéè']|quale|quali|quanto|quanta|quanti|quante|chi|cosa|che cosa|a chi|in che|in quale|entro quando|"
    r"posso|possiamo|si pu[oò']|è possibile|e' possibile|esiste|c'è|ci sono|devo|dobbiamo|bisogna|serve|servono|occorre|"
    r"vorrei (?:sapere|capire|chiedere|informazioni)|volevo (?:sapere|chiedere|capire)|desidero sapere|gradirei (?:sapere|conoscere)|"
    r"chiedo|vi chiedo|domando|mi (?:potete|potreste|sapete|sapreste) (?:dire|indicare|spiegare)|potete|potreste|sapete|sapreste)\b",
    re.I,
)


def _names_around(text: str) -> set[str]:
    """Names written after a greeting ("Gentile Mario Rossi,") or on a signature line."""
    names: set[str] = set()
    parts = split_message(text)
    for line in text.splitlines()[:3]:
        m = _GREETING.match(line)
        if m and m.group("name"):
            names.add(m.group("name"))
    for line in parts.signature.splitlines()[1:] or parts.signature.splitlines():
        m = _NAME_LINE.match(line)
        if m:
            names.add(m.group("name"))
    for m in _SELF_INTRO.finditer(parts.new):
        names.add(m.group("name"))
    words = {w for name in names for w in name.split() if w not in _NOT_NAMES and len(w) > 1 and w[0].isupper()}
    return words


def pseudonymise(text: str, names: set[str] | frozenset[str] = frozenset()) -> str:
    """Mask e-mail addresses, IBANs, tax codes, phones, car plates, customer codes and the given
    names (plus any introduced by "mi chiamo ..." / "sono ...") by placeholder words."""
    for token, pattern in _PATTERNS:
        text = pattern.sub(token, text)
    text = _SELF_INTRO.sub(lambda m: m.group(0)[: m.start("name") - m.start(0)] + NAME, text)
    for name in sorted(names, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name)}\b", NAME, text)
    text = re.sub(rf"{re.escape(NAME)}(?:\s+{re.escape(NAME)})+", NAME, text)
    return text


def _is_question(sentence: str) -> bool:
    return sentence.rstrip().endswith("?") or bool(_ASKS.match(sentence))


_GREETING_LEAD = re.compile(r"^\s*(?:buongiorno|buonasera|salve|ciao|gentili|egregi)\s*[,!:;]\s*(?=\S)", re.I)


def _body_lines(new: str) -> str:
    """The new text without greeting lines ("Buongiorno," / "Gentile Sig. Rossi,") or a greeting opening it."""
    body = "\n".join(line for line in new.splitlines() if not _GREETING.match(line)).strip()
    return _GREETING_LEAD.sub("", body)


def extract_questions(text: str) -> list[str]:
    """The pseudonymised questions asked in the new text of a message.

    Sentences ending in "?" or opening as a request for information ("vorrei sapere", "come
    posso") are questions; a message with none (customers often write "bolletta non
    arrivata") is one question as a whole, since a clarification message always asks something.
    """
    text = html_to_text(text)
    body = _body_lines(split_message(text).new)
    if not body:
        return []
    body = pseudonymise(body, _names_around(text))  # first: e-mail addresses and codes hold dots
    sentences = [s.strip() for s in _SENTENCE.findall(body) if len(s.split()) >= 2]
    return [_clip(s) for s in sentences if _is_question(s)] or [_clip(re.sub(r"\s+", " ", body))]


MAX_QUESTION_CHARS = 400  # an FAQ question is a sentence or two; masking may lengthen the text


def _clip(question: str) -> str:
    return question if len(question) <= MAX_QUESTION_CHARS else question[:MAX_QUESTION_CHARS].rsplit(" ", 1)[0]


_OWN_CASE = re.compile(r"\b(?:mi[ao]|nostr[ao]|la|il)\s+(?:segnalazione|richiesta|pratica|reclamo|ticket|domanda|istanza)\s+"
                       r"(?:n\.?|nr\.?|numero|del|inviat[ao]|fatt[ao]|aperta|protocollo)", re.I)


def is_general(question: str) -> bool:
    """A question anyone could ask, not one about the sender's own case ("a che punto è la mia
    segnalazione n. [CODICE]?"): only those of a status message belong in the FAQ."""
    return not any(token in question for token in (CODE, PLATE, DATE, TAX_CODE, IBAN)) and not _OWN_CASE.search(question)
