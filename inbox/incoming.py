"""The one path from a message's bytes to what the classifier reads.

The pipeline, ``smista classify`` and ``POST /v1/classify`` all read a message here, so a PEC
envelope is unwrapped, its subject prefixes stripped and its original's text chosen the same way
whichever door the message came in by.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from classifier.features import Message
from inbox.documents import READ, kind_of
from inbox.mime import ParsedMail, attachment_parts, parse_bytes, payload
from inbox.pec import MessageKind, PecData, SignatureCheck, detect, original_subject

#: Reads attachments (name, MIME type, bytes or None) into records: ``inbox.reading.DocumentReader``,
#: or the records stored at intake (:func:`stored`), so that a message is never read twice.
ReadDocuments = Callable[[Sequence[tuple[str, str, bytes | None]]], list[dict[str, Any]]]


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
        for i, document in zip(wanted, documents([(parts[i][0].filename, parts[i][0].content_type, payload(parts[i][1]))
                                                  for i in wanted])):
            records[i]["document"] = document
    letters = [(r["filename"], r["document"]["text"]) for r in records if r.get("document", {}).get("status") == READ]
    subject = original_subject(content.subject) if pec is not None else content.subject
    request = Message(subject, content.text, content.sender, attachment=attachment_text(letters))
    return Incoming(parsed, pec, content, request, records)


def attachment_text(letters: Sequence[tuple[str, str]]) -> str:
    """The text of the attachments that were read, in order, as the classifier reads it."""
    return "\n\n".join(text for _, text in letters)


def stored(records: Sequence[dict[str, Any]] | None) -> ReadDocuments:
    """What was read of a stored message's attachments at intake, given back in the same order
    (search, corrections and the console read the message again without reading its files)."""
    documents = [r["document"] for r in records or [] if "document" in r]

    def give(items: Sequence[tuple[str, str, bytes | None]]) -> list[dict[str, Any]]:
        return [documents[i] if i < len(documents) else {"status": "skipped", "reason": "not read at intake"}
                for i in range(len(items))]
    return give
