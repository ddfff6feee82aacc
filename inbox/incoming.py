"""The one path from a message's bytes to what the classifier reads.

The pipeline, ``smista classify`` and ``POST /v1/classify`` all read a message here, so a PEC
envelope is unwrapped, its subject prefixes stripped and its original's text chosen the same way
whichever door the message came in by.
"""

from __future__ import annotations

from dataclasses import dataclass

from classifier.features import Message
from inbox.mime import ParsedMail, parse_bytes
from inbox.pec import MessageKind, PecData, SignatureCheck, detect, original_subject


@dataclass(frozen=True)
class Incoming:
    parsed: ParsedMail        # the message as delivered (for PEC: the provider's envelope)
    pec: PecData | None       # None for ordinary mail
    content: ParsedMail       # what the sender wrote: the PEC original when there is one
    request: Message          # what the classifier reads (thread unset: the store knows it)

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


def read(raw: bytes, check_signature: SignatureCheck | None = None) -> Incoming:
    """Parse ``raw``; raises ``inbox.mime.ParseError`` or ``inbox.pec.UnknownReceipt``."""
    msg, parsed = parse_bytes(raw)
    pec = detect(msg, raw, check_signature)
    content = pec.original if pec is not None and pec.original is not None else parsed
    if pec is not None and pec.kind == MessageKind.PEC_RECEIPT:
        return Incoming(parsed, pec, parsed, Message(parsed.subject, parsed.text, parsed.sender))
    subject = original_subject(content.subject) if pec is not None else content.subject
    return Incoming(parsed, pec, content, Message(subject, content.text, content.sender))
