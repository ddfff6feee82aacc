"""The one path from a message's bytes to what the classifier reads.

The pipeline, ``smista classify`` and ``POST /v1/classify`` all read a message here, so a PEC
envelope is unwrapped, its subject prefixes stripped and its original's text chosen the same way
whichever door the message came in by.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from classifier.features import Message
from inbox.documents import READ, SKIPPED, Item, kind_of
from inbox.mime import ParsedMail, attachment_parts, parse_bytes, payload
from inbox.pec import MessageKind, PecData, SignatureCheck, detect, original_subject

class ReadDocuments(Protocol):
    """Reads attachments into records: ``inbox.reading.DocumentReader``, or the records stored at
    intake (:func:`stored`), so that a message is never read twice."""

    @property
    def max_bytes(self) -> int:
        """Larger attachments are not decoded for the reader (a 30 MB fax would cost its size again)."""

    def __call__(self, items: Sequence[Item]) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class Incoming:
    parsed: ParsedMail        # the message as delivered (for PEC: the provider's envelope)
    pec: PecData | None       # None for ordinary mail
    content: ParsedMail       # what the sender wrote: the PEC original when there is one
    request: Message          # what the classifier reads (thread unset: the store knows it)
    #: Every attachment (name, type, size) with what was read of it (``document``), for the store.
    attachments: list[dict[str, Any]] = field(default_factory=list)

    @property
    def kind(self) -> MessageKind:
        return self.pec.kind if self.pec is not None else MessageKind.EMAIL

    @property
    def subject(self) -> str:
        """The sender's subject, without the provider's ``POSTA CERTIFICATA:`` prefixes."""
        return original_subject(self.content.subject) if self.pec is not None else self.content.subject

    @property
    def is_receipt(self) -> bool:
        """A PEC receipt tells us about our own mail: recorded, never classified as a request."""
        return self.kind == MessageKind.PEC_RECEIPT


def read(raw: bytes, check_signature: SignatureCheck | None = None, documents: ReadDocuments | None = None) -> Incoming:
    """Parse ``raw``; raises ``inbox.mime.ParseError`` or ``inbox.pec.UnknownReceipt``.

    ``documents`` reads the attachments that hold text (letters, signed files, faxes); without
    it they are listed only."""
    msg, parsed = parse_bytes(raw)
    pec = detect(msg, raw, check_signature)
    content = pec.original if pec is not None and pec.original is not None else parsed
    if pec is not None and pec.kind == MessageKind.PEC_RECEIPT:
        listed = [dict(a.__dict__) for a in parsed.attachments]
        return Incoming(parsed, pec, parsed, Message(parsed.subject, parsed.text, parsed.sender), listed)
    parts = attachment_parts(msg)
    records = [dict(a.__dict__) for a, _ in parts]
    if documents is not None:
        wanted = [i for i, (a, _) in enumerate(parts) if kind_of(a.filename, a.content_type)]
        items = [(a.filename, a.content_type, payload(part, raw, documents.max_bytes) if a.size <= documents.max_bytes else None,
                  a.size) for a, part in (parts[i] for i in wanted)]
        for i, document in zip(wanted, documents(items)):
            records[i]["document"] = document
    read_ = [r for r in records if r.get("document", {}).get("status") == READ]
    subject = original_subject(content.subject) if pec is not None else content.subject
    request = Message(subject, content.text, content.sender, attachment=attachment_text([(r["filename"], r["document"]["text"]) for r in read_]),
                      signer=signer(read_))
    return Incoming(parsed, pec, content, request, records)


def signer(records: Sequence[dict[str, Any]]) -> str:
    """Who signed the first letter whose signature holds: the requester, when the letter is the request."""
    for record in records:
        signature = record["document"].get("signature") or {}
        if signature.get("verified") and signature.get("signer"):
            return str(signature["signer"])
    return ""


def attachment_text(letters: Sequence[tuple[str, str]]) -> str:
    """The text of the attachments that were read, in order, as the classifier reads it."""
    return "\n\n".join(text for _, text in letters)


def stored(records: Sequence[dict[str, Any]] | None) -> ReadDocuments:
    """What was read of a stored message's attachments at intake (search, corrections and the
    console read the message again without reading its files)."""
    return _Stored(records)


class _Stored:
    """The intake's records, matched by file name in order: an attachment listed at intake and
    not read then (a kind smista learnt to read since) is not given another's text."""

    max_bytes = 0  # nothing is decoded: the records are given back

    def __init__(self, records: Sequence[dict[str, Any]] | None) -> None:
        self.records = [r for r in records or [] if "document" in r]

    def __call__(self, items: Sequence[Item]) -> list[dict[str, Any]]:
        left = list(self.records)
        out = []
        for name, *_ in items:
            match = next((r for r in left if r.get("filename") == name), None)
            if match is None:
                out.append({"status": SKIPPED, "reason": "not read at intake"})
                continue
            left.remove(match)
            out.append(match["document"])
        return out
