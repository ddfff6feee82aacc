"""MIME bytes to a parsed message: decoded headers, the best text part, attachments, threading.

Pure functions on bytes. Wrong or missing charsets fall back to UTF-8, cp1252 and latin-1;
text/plain is preferred to HTML; attachments are listed (name, type, size), never read into the
model here (``inbox.documents`` reads the letters among them); forwarded ``message/rfc822``
parts are parsed as well.
"""

from __future__ import annotations

import email
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from datetime import datetime

from inbox.slim import base64_chars, kept_bytes, restored, slim

MAX_ATTACHMENTS = 200
MAX_PARTS = 1_000  # parts looked at per message: a hostile tree must not cost more
MAX_TEXT_CHARS = 200_000  # longer bodies are cut: the request is at the top


class ParseError(ValueError):
    """The bytes are not a message smista can read; the reason is kept with the stored message."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    size: int


@dataclass
class ParsedMail:
    """What smista keeps of one RFC 5322 message."""

    message_id_header: str
    subject: str
    sender: str
    recipients: list[str]
    date: datetime | None
    text: str
    html_only: bool
    in_reply_to: str
    references: list[str]
    attachments: list[Attachment] = field(default_factory=list)
    forwarded: list[ParsedMail] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


def decode_text(payload: bytes, charset: str | None) -> str:
    """Decode with the declared charset, then UTF-8, cp1252 and latin-1 (which never fails)."""
    for candidate in (charset, "utf-8", "cp1252", "latin-1"):
        if not candidate:
            continue
        try:
            return payload.decode(candidate)
        except (LookupError, ValueError):  # ValueError: a decode error, or a charset name with a NUL in it
            continue
    return payload.decode("latin-1")


def _raw(msg: Message, name: str) -> str | None:
    """The header's value as received, with raw 8-bit bytes (RFC 6532 UTF-8, or a legacy
    charset) decoded like a body: compat32 would turn them into U+FFFD."""
    lowered = name.lower()
    for key, value in msg.raw_items():
        if key.lower() == lowered:
            if isinstance(value, str) and any("\udc80" <= c <= "\udcff" for c in value):
                return decode_text(value.encode("ascii", "surrogateescape"), None)
            return value if isinstance(value, str) else str(value)
    return None


MAX_HEADER_CHARS = 32_768  # a value is cut there: RFC 5322 lines are 998 long, and decode_header is quadratic in its words


def header(msg: Message, name: str) -> str:
    """A header unfolded and decoded from RFC 2047, tolerant of bad encodings; '' when absent.
    NUL characters are dropped: no database stores them in text."""
    text = _raw(msg, name)
    if text is None:
        return ""
    text = text[:MAX_HEADER_CHARS]
    if "=?" in text:
        try:
            text = str(make_header(decode_header(text)))
        except Exception:  # noqa: BLE001 - keep the raw text rather than lose the header
            pass
    return re.sub(r"\r?\n[ \t]+", " ", text).replace("\x00", "").strip()


MAX_X_HEADERS = 100


def _x_headers(msg: Message) -> dict[str, str]:
    """The first value of each ``X-`` header (PEC: X-Ricevuta, X-Trasporto...), in one pass over
    the headers: a message with 20,000 of them must not cost 20,000 look-ups each."""
    found: dict[str, str] = {}
    for key, _ in msg.raw_items():
        lowered = key.lower()
        if lowered.startswith("x-") and lowered not in found:
            found[lowered] = header(msg, key)
            if len(found) >= MAX_X_HEADERS:
                break
    return found


def _filename(part: Message) -> str:
    """The attachment's name: RFC 2231 and RFC 2047 through the email package, raw 8-bit names
    (common from webmail) from the decoded header, where the email package fails on them."""
    try:
        name = part.get_filename()
    except (AttributeError, TypeError, ValueError, LookupError):
        name = None
    if name is not None and "=?" in name:  # RFC 2047 in a quoted parameter (Outlook): not the standard, but common
        try:
            name = str(make_header(decode_header(name[:MAX_HEADER_CHARS])))
        except Exception:  # noqa: BLE001 - keep the name as written
            pass
    if name is None or "\ufffd" in name:
        for source in ("Content-Disposition", "Content-Type"):
            found = re.search(r'\b(?:file)?name\*?\s*=\s*"?([^";\r\n]+)"?', header(part, source), re.I)
            if found:
                return found.group(1).strip()
        return ""
    return str(name).replace("\x00", "")


def _encoded(part: Message) -> str | None:
    """A leaf part's body as it is in the message; None when the email package cannot give it
    (undecoded, it still decodes 8-bit bodies by their charset, and raises on a name with a NUL)."""
    try:
        body = part.get_payload()
    except (LookupError, ValueError):
        return None
    return body if isinstance(body, str) else None


def _part_text(part: Message) -> str:
    body = _encoded(part)
    cut = kept_bytes(body) if body is not None else None
    payload = part.get_payload(decode=True) if cut is None else cut
    if not isinstance(payload, bytes):
        return ""
    return decode_text(payload, part.get_content_charset()).replace("\x00", "")


def _ids(value: str) -> list[str]:
    return re.findall(r"<[^<>\s]+>", value or "")


def _date(value: str) -> datetime | None:
    try:
        return parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        return None


def best_text(msg: Message) -> tuple[str, bool]:
    """The text/plain body if there is one, else the HTML one; and whether it was HTML only."""
    plain = html = None
    for part in _parts(msg):
        if part.is_multipart() or part.get_content_type() == "message/rfc822":
            continue
        disposition = header(part, "Content-Disposition").lower()
        if "attachment" in disposition or _filename(part):
            continue
        ctype = part.get_content_type()
        if ctype == "text/plain" and plain is None:
            plain = _part_text(part)
        elif ctype == "text/html" and html is None:
            html = _part_text(part)
    if plain is not None and plain.strip():
        return plain[:MAX_TEXT_CHARS], False
    if html is not None:
        return html[:MAX_TEXT_CHARS], True
    return (plain or "")[:MAX_TEXT_CHARS], False


def _size(part: Message) -> int:
    """The decoded size of a leaf part; a base64 one is counted without decoding it (a large
    attachment is not held twice, and :mod:`inbox.slim` may have cut its body)."""
    if part.is_multipart():
        return len(str(part.get_payload()))
    body = _encoded(part)
    if body is not None and part.get("Content-Transfer-Encoding", "").strip().lower() == "base64":
        return base64_chars(body) * 3 // 4
    payload = part.get_payload(decode=True)
    return len(payload) if isinstance(payload, bytes) else len(body or "")


def attachment_parts(msg: Message) -> list[tuple[Attachment, Message]]:
    """Every attachment of the message's tree (a PEC's original and its files included), with its part."""
    found = []
    for part in _parts(msg):
        if part.is_multipart() or part is msg:
            continue
        name = _filename(part)
        disposition = header(part, "Content-Disposition").lower()
        if not name and "attachment" not in disposition and part.get_content_type() != "message/rfc822":
            continue
        found.append((Attachment(name, part.get_content_type(), _size(part)), part))
        if len(found) >= MAX_ATTACHMENTS:
            break
    return found


def attachments(msg: Message) -> list[Attachment]:
    return [a for a, _ in attachment_parts(msg)]


def payload(part: Message, original: bytes | None = None, limit: int = 0) -> bytes | None:
    """A leaf part's decoded bytes. A part :mod:`inbox.slim` cut for the parser is decoded from
    ``original``, the bytes it was parsed from, when it decodes to at most ``limit`` bytes; else None."""
    body = _encoded(part)
    if body is not None and kept_bytes(body) is not None:
        return restored(body, original, limit) if original is not None else None
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else None


def _parts(msg: Message) -> Iterator[Message]:
    return islice(msg.walk(), MAX_PARTS)


def inner_messages(msg: Message) -> list[Message]:
    """The ``message/rfc822`` parts (forwards, PEC ``postacert.eml``), first level only: the
    messages nested inside them are theirs, so each level is read once, not once per ancestor."""
    inner, stack, seen = [], [msg], 0
    while stack and seen < MAX_PARTS:
        part = stack.pop()
        seen += 1
        if not part.is_multipart():  # a leaf: get_payload() would decode its text (and raise on a charset with a NUL)
            continue
        payload = part.get_payload()
        if part is not msg and part.get_content_type() == "message/rfc822":
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                inner.append(payload[0])
        elif isinstance(payload, list):
            stack.extend(p for p in reversed(payload) if isinstance(p, Message))
    return inner


def from_message(msg: Message, depth: int = 0) -> ParsedMail:
    text, html_only = best_text(msg)
    recipients = [addr for _, addr in getaddresses([header(msg, "To"), header(msg, "Cc")]) if addr]
    forwarded = [from_message(m, depth + 1) for m in inner_messages(msg)] if depth < 3 else []
    return ParsedMail(
        message_id_header=(_ids(header(msg, "Message-ID")) or [header(msg, "Message-ID").strip()])[0],
        subject=header(msg, "Subject"), sender=header(msg, "From"), recipients=recipients,
        date=_date(header(msg, "Date")), text=text, html_only=html_only,
        in_reply_to=(_ids(header(msg, "In-Reply-To")) or [""])[0], references=_ids(header(msg, "References")),
        attachments=attachments(msg), forwarded=forwarded,
        headers=_x_headers(msg),
    )


def parse_bytes(data: bytes) -> tuple[Message, ParsedMail]:
    """Parse raw bytes; raises :class:`ParseError` when nothing usable can be read."""
    if not data or not data.strip():
        raise ParseError("empty message")
    try:  # compat32: headers are decoded lazily by header(), several times faster than policy.default
        msg = email.message_from_bytes(slim(data), policy=policy.compat32)
        parsed = from_message(msg)
    except Exception as exc:  # the email package raises many types on hostile input
        raise ParseError(f"cannot parse MIME: {type(exc).__name__}: {exc}") from exc
    if not msg.keys():
        raise ParseError("no headers found: not an RFC 5322 message")
    return msg, parsed
