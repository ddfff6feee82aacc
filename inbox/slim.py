"""What the MIME parser reads of a very large message: its long base64 bodies cut short.

The email package holds a message several times over while parsing it (the bytes, their text,
one string per line, the joined body, the decoded body): a 30 MB attachment costs 350 MB. None of
that is needed: attachments are listed, not read, and text is cut at ``MAX_TEXT_CHARS``. So in a
message above ``SLIM_ABOVE`` bytes, every run of more than ``KEEP_LINES`` base64 lines keeps its
first ``KEEP_LINES`` (more than any text the model reads) and the rest becomes one marker line
that says how many base64 characters it stood for, from which the attachment's size is still
exact, and where its cut lines lie in the original (a letter in such a part is read from there,
:func:`restored`). The stored original is never touched: only the parser's copy is cut.

The scan is one pass over line ends (``bytes.find``), linear whatever the input; the marker
carries a token drawn at start-up, so a sender cannot forge one to fake an attachment's size.
"""

from __future__ import annotations

import base64
import re
import secrets
import zlib

SLIM_ABOVE = 4 * 1024 * 1024
KEEP_LINES = 16_384  # 930 KB of decoded text: beyond the 200,000 characters a body is cut at
TOKEN = "smistaCut" + secrets.token_hex(8)  # base64 letters only: the body stays valid base64
_MARKER = re.compile(re.escape(TOKEN) + r"(\d{1,12})x(\d{1,12})x(\d{1,12})x(\d{1,10})")
_LINE = re.compile(rb"[A-Za-z0-9+/=]{40,100}\r?")


def slim(data: bytes, keep: int = KEEP_LINES, above: int = SLIM_ABOVE) -> bytes:
    """``data`` with every run of base64 lines longer than ``keep`` cut to ``keep`` lines and a
    marker; ``data`` itself when it is ``above`` bytes or less, or has no such run."""
    if len(data) <= above:
        return data
    pieces: list[bytes] = []
    done = pos = cut_from = run = 0  # copied up to ``done``; ``run`` base64 lines so far, cut from ``cut_from``
    while pos < len(data):
        end = data.find(b"\n", pos)
        end = len(data) if end < 0 else end
        if _LINE.fullmatch(data, pos, end):
            run += 1
            if run == keep + 1:
                cut_from = pos
        else:
            if run > keep:
                pieces += [data[done:cut_from], _marker(data, cut_from, pos)]
                done = pos
            run = 0
        pos = end + 1
    if run > keep:
        pieces += [data[done:cut_from], _marker(data, cut_from, len(data))]
        done = len(data)
    return data if not pieces else b"".join([*pieces, data[done:]])


def _marker(data: bytes, start: int, end: int) -> bytes:
    """The characters cut, where they lie in ``data`` and their CRC-32; digits and ``x`` keep the body base64."""
    return f"{TOKEN}{_chars(data, start, end)}x{start}x{end}x{zlib.crc32(memoryview(data)[start:end])}\r\n".encode("ascii")


def _chars(data: bytes, start: int, end: int) -> int:
    return end - start - sum(data.count(c, start, end) for c in (b"\n", b"\r", b"="))


def base64_chars(body: str) -> int:
    """How many base64 data characters ``body`` (a part's encoded body, as parsed) stands for,
    counting what a marker replaced; whitespace and padding are not counted, so the decoded size
    is this times 3 // 4."""
    visible = len(body) - sum(body.count(c) for c in "\r\n\t =")
    for match in _MARKER.finditer(body):
        visible += int(match.group(1)) - len(match.group(0))
    return visible


def restored(body: str, original: bytes, limit: int) -> bytes | None:
    """The whole decoded part whose cut body is ``body``, its cut lines taken back from
    ``original`` (the bytes ``slim`` read); None when it would decode to more than ``limit``
    bytes, or when a marker does not describe ``original`` (the part came from other bytes,
    such as a PEC original sent base64-encoded)."""
    if base64_chars(body) * 3 // 4 > limit:
        return None
    pieces, done = [], 0
    for match in _MARKER.finditer(body):
        _, start, end, crc = (int(g) for g in match.groups())
        if not (0 <= start <= end <= len(original)) or zlib.crc32(memoryview(original)[start:end]) != crc:
            return None
        pieces += [body[done:match.start()].encode("ascii", "ignore"), original[start:end]]
        done = match.end()
    pieces.append(body[done:].encode("ascii", "ignore"))
    try:
        return base64.b64decode(b"".join(pieces))  # not validated: line ends are dropped, as MIME decoders do
    except ValueError:
        return None


def kept_bytes(body: str) -> bytes | None:
    """The decoded bytes a cut base64 body kept, ending on a whole character whatever the text's
    encoding (its last, maybe partial, character dropped); None when ``body`` was not cut."""
    marker = _MARKER.search(body)
    if marker is None:
        return None
    data = "".join(body[: marker.start()].split())
    payload = base64.b64decode(data[: len(data) // 4 * 4])
    end = len(payload)
    while end > 0 and len(payload) - end < 3 and 0x80 <= payload[end - 1] < 0xC0:
        end -= 1  # UTF-8 continuation bytes
    return payload[: end - 1] if end > 0 else b""
