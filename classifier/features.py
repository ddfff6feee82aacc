"""From a raw message to the text views the model reads, and the sparse features built on them.

A message is prepared once (HTML stripped, split, masked, lemmatised) and that preparation is
shared by both heads, the safety rules, the entities and the explanation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from spacy.language import Language

from classifier import nlp as nlp_mod
from classifier.textprep import (Parts, fold_accents, html_to_text, mask, normalise_lines, restore_accents,
                                 split_message)


@dataclass(frozen=True)
class Message:
    """What the classifier needs of a message: nothing else is read."""

    subject: str
    body: str
    sender: str = ""
    #: The type of the earlier request in this message's mail thread, when the store holds one
    #: (filled by the pipeline from the thread's parent; ``/v1/classify`` may pass it).
    thread: str | None = None
    #: The text read from the message's attachments (letters, signed files, faxes), in order.
    attachment: str = ""
    #: Who signed the letter (a verified ``.p7m``): the requester when the letter is the request.
    signer: str = ""


@dataclass(frozen=True)
class Prepared:
    """The views of one message that features, rules and entities are computed from."""

    subject: str          # subject as written
    text: str             # the new text as written (no quotes, signature, disclaimer)
    signature: str
    subject_words: str    # lemmas, masked, accent-folded
    text_words: str
    quoted_words: str
    chars: str            # normalised subject + new text, for character n-grams
    folded: str           # normalised subject + new text with original word forms, for rules
    context: str = "ctx"  # evidence of earlier contact, as tokens (see :func:`context_tokens`)
    thread: str = "thr"   # the thread's earlier request, as tokens (``thr thr_intervention``)
    edge_words: str = ""  # the opening and closing lemmas of the new text, where requests are phrased
    read_from: str = "body"  # "attachment" when the body was a cover note and the letter was read as the request


def to_message(record: dict[str, Any]) -> Message:
    """A corpus or export record (``subject``, ``body``, ``from``, ``thread``, ``attachment``) as a
    message; a letter's text is the one read back from its rendered file (``read``) when there is one."""
    letter = record.get("attachment") or {}
    return Message(subject=record.get("subject", ""), body=record.get("body", ""), sender=record.get("from", ""),
                   thread=record.get("thread"), attachment=letter.get("read", letter.get("text", "")))


#: A body of at most this many words over a letter is a cover note ("Si trasmette in allegato
#: la nota prot. ..."); up to ``COVER_HINTED_WORDS`` when it says so. Longer bodies ask
#: something themselves, and the letter is a weaker view, like quoted history.
COVER_WORDS = 25
COVER_HINTED_WORDS = 60
MIN_LETTER_WORDS = 12
MAX_LETTER_CHARS = 20_000  # a letter's request is in its subject line and first paragraphs
_COVER_HINT = re.compile(r"\b(in allegato|allegat[oaie]|alleg[ao]\b|si trasmett|trasmett[oeiao]|inoltr[oaie]|vedi all|"
                         r"come da all|fax ricevuto|pagin[ae] ricevut|per competenza|per quanto di competenza|quanto in oggetto)",
                         re.I)


def is_cover_note(new: str, letter: str) -> bool:
    """Whether the body only carries the letter: then the letter is the request."""
    if len(letter.split()) < MIN_LETTER_WORDS:
        return False
    words = len(new.split())
    return words <= COVER_WORDS or (words <= COVER_HINTED_WORDS and bool(_COVER_HINT.search(new)))


_REPLY = re.compile(r"^\s*((re|r|rif|aw|sv|ris)\s*(\[\d+\])?\s*:\s*)", re.I)
_FORWARD = re.compile(r"^\s*((i|fw|fwd|tr|inoltro|wg)\s*:\s*)", re.I)


def context_tokens(subject: str, new: str, quoted: str) -> str:
    """What a message says of its history apart from its words: a reply or forward chain in
    the subject, quoted history, an almost empty or very long new text.

    A reminder often re-describes its fault in words that read as a new report; these tokens
    carry the evidence that the contact center has heard of it before."""
    tokens = ["ctx"]
    replies = forwards = 0
    rest = subject
    while m := (_REPLY.match(rest) or _FORWARD.match(rest)):
        replies += m.re is _REPLY
        forwards += m.re is _FORWARD
        rest = rest[m.end():]
    tokens += ["ctx_re"] * min(replies, 1) + ["ctx_rere"] * (replies > 1) + ["ctx_fwd"] * min(forwards, 1)
    if quoted:
        tokens.append("ctx_quoted")
    words = len(new.split())
    tokens.append("ctx_short" if words < 8 else "ctx_long" if words > 120 else "ctx_mid")
    return " ".join(tokens)


EDGE = 25


def edges(words: str, n: int = EDGE) -> str:
    """The first and last ``n`` words: "vi sollecito...", "...chiedo formale risposta" sit there,
    while the middle of a long message describes the fault whatever the sender wants."""
    tokens = words.split()
    return " ".join(tokens if len(tokens) <= 2 * n else tokens[:n] + tokens[-n:])


def thread_tokens(thread: str | None) -> str:
    """The thread's earlier request as tokens; ``thr`` alone when there is none, so that the
    block's weight is spread the same way on every message."""
    return f"thr thr_{thread}" if thread else "thr"


#: What the model reads of a message at most: a request is written in its first pages, and a
#: hostile megabyte subject or body must cost what these do (spaCy refuses texts over 1e6
#: characters). The stored message keeps every byte.
MAX_SUBJECT_CHARS = 2_000
MAX_BODY_CHARS = 100_000


def prepare(messages: list[Message], nlp: Language) -> list[Prepared]:
    """Prepare a batch; lemmatising in one ``nlp.pipe`` call keeps this fast."""
    read = [_with_letter(split_message(html_to_text((m.body or "")[:MAX_BODY_CHARS])), m.attachment) for m in messages]
    parts = [p for p, _ in read]
    subjects = [html_to_text((m.subject or "")[:MAX_SUBJECT_CHARS]) for m in messages]
    views = [mask(restore_accents(t)) for pair in zip(subjects, (p.new for p in parts), (p.quoted for p in parts)) for t in pair]
    lemmas = [fold_accents(x) for x in nlp_mod.lemmatise(nlp, views)]
    out = []
    for i, (subject, p) in enumerate(zip(subjects, parts)):
        joined = normalise_lines(subject, p.new, views[3 * i], views[3 * i + 1])  # masked once, for both views
        out.append(Prepared(subject=subject, text=p.new, signature=p.signature, subject_words=lemmas[3 * i],
                            text_words=lemmas[3 * i + 1], quoted_words=lemmas[3 * i + 2], chars=joined, folded=joined,
                            context=context_tokens(subject, p.new, p.quoted), thread=thread_tokens(messages[i].thread),
                            edge_words=edges(lemmas[3 * i + 1]), read_from=read[i][1]))
    return out


def _with_letter(parts: Parts, attachment: str) -> tuple[Parts, str]:
    """The body's parts with the attached letter read in, and where the request was read from:
    after a cover note the letter is the new text, else it is read as quoted history."""
    if not attachment.strip():
        return parts, "body"
    whole = html_to_text(attachment[:MAX_LETTER_CHARS])
    letter = split_message(whole).new
    if len(letter.split()) < len(whole.split()) // 2:  # a letter's "Da: / A: / Oggetto:" block is not quoted history
        letter = whole
    if is_cover_note(parts.new, letter):
        return replace(parts, new=f"{parts.new}\n\n{letter}".strip()), "attachment"
    return replace(parts, quoted=f"{parts.quoted}\n\n{letter}".strip()), "body"


#: The views whose n-grams name the words an explanation shows.
WORD_VIEWS = ("subject_words", "text_words", "edge_words")
#: The views made of lemmas: what the lookup lemmatizer's table changes.
LEMMA_VIEWS = ("subject_words", "text_words", "quoted_words", "edge_words")
