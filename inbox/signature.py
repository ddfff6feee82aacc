"""The PEC signature check: the integrity of an S/MIME ``multipart/signed`` envelope, in process.

The signed first part is taken from the raw bytes exactly as delivered (RFC 1847: between the
first boundary line and the CRLF before the next one, line ends canonicalised to CRLF), and the
detached CMS signature of the ``smime.p7s`` part is checked against it with asn1crypto and
cryptography (``inbox.cades``): the content's digest against the signed attributes, the
signature against the signer's certificate. As for ``openssl smime -verify -noverify``, which
this replaces (one process per PEC message cost more than parsing it), the certificate's chain
of trust is not checked.
"""

from __future__ import annotations

import base64
import binascii
import re
from email import policy
from email.parser import BytesHeaderParser

from inbox.cades import SignedFileError, verify_detached

_HEADERS_END = re.compile(rb"\r?\n\r?\n")


def verify_signature(raw: bytes) -> bool | None:
    """True when the envelope's signature holds over its first part, False otherwise
    (no signature, a truncated or broken one, content changed since it was signed)."""
    parts = signed_parts(raw)
    if parts is None:
        return False
    content, signature_part = parts
    try:
        return verify_detached(_signature_der(signature_part), content).verified
    except SignedFileError:
        return False


def signed_parts(raw: bytes) -> tuple[bytes, bytes] | None:
    """The signed content (canonical CRLF) and the raw signature part of a ``multipart/signed``
    message; None when ``raw`` is not one or its boundaries are missing."""
    end = _HEADERS_END.search(raw)
    if end is None:
        return None
    headers = BytesHeaderParser(policy=policy.compat32).parsebytes(raw[:end.start()] + b"\r\n\r\n")
    boundary = headers.get_boundary() if headers.get_content_type() == "multipart/signed" else None
    if not boundary:
        return None
    body = b"\n" + raw[end.end():]
    delimiter = re.compile(rb"\r?\n--" + re.escape(boundary.encode("latin-1", "replace")) + rb"(--)?[ \t]*(?=\r?\n|$)")
    marks = list(delimiter.finditer(body))
    if len(marks) < 3 or marks[0].group(1) or marks[1].group(1):
        return None
    first = body[_line_end(body, marks[0].end()):marks[1].start()]
    second = body[_line_end(body, marks[1].end()):marks[2].start()]
    return _canonical(first), second


def _line_end(body: bytes, at: int) -> int:
    """Where the part after a boundary line begins: past the line's CRLF (or LF)."""
    return at + (2 if body[at:at + 2] == b"\r\n" else 1 if body[at:at + 1] == b"\n" else 0)


def _canonical(data: bytes) -> bytes:
    return re.sub(rb"\r?\n", b"\r\n", data)


def _signature_der(part: bytes) -> bytes:
    """The DER of the signature part: its body, base64-decoded unless sent as binary."""
    end = _HEADERS_END.search(part)
    if end is None:
        raise SignedFileError("signature part without a body")
    headers = BytesHeaderParser(policy=policy.compat32).parsebytes(part[:end.start()] + b"\r\n\r\n")
    body = part[end.end():]
    if str(headers.get("Content-Transfer-Encoding", "")).strip().lower() != "base64":
        return body
    try:
        return base64.b64decode(re.sub(rb"\s+", b"", body), validate=False)
    except (binascii.Error, ValueError) as exc:
        raise SignedFileError("signature part: invalid base64") from exc
