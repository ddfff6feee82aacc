"""Text from attachments: PDF letters, signed ``.p7m`` files, office documents, faxes.

Pure functions on bytes (OCR is passed in, see :mod:`inbox.ocr`). Every reader works within a
:class:`Budget`: bytes read, pages, characters kept, seconds; a file that breaks one, or that no
reader can open, gives a :class:`Document` with status ``failed`` or ``skipped`` and the reason,
never an exception. :mod:`inbox.reading` runs them in a child process, which is what makes the
time and memory budgets hard ones.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from dataclasses import asdict, dataclass, field
from typing import Any

from inbox.cades import SignedFileError, unwrap
from inbox.mime import decode_text
from inbox.ocr import Ocr, OcrError

READ, FAILED, SKIPPED = "read", "failed", "skipped"
MIB = 1024 * 1024
#: One attachment to read: its name, MIME type, decoded bytes (None: not to be had whole) and size.
Item = tuple[str, str, bytes | None, int]


@dataclass(frozen=True)
class Budget:
    max_bytes: int = 20 * 1024 * 1024   # larger files are listed, not read
    max_pages: int = 30                 # a letter is read from its first pages
    ocr_pages: int = 4                  # scans cost about a second a page
    max_chars: int = 50_000             # text kept per document
    seconds: float = 20.0               # per document; per message, ``message_seconds``
    message_seconds: float = 45.0
    max_documents: int = 10             # documents read per message
    max_unzipped: int = 50 * 1024 * 1024  # DOCX and ODT are zip files: a zip bomb stops here
    depth: int = 3                      # .p7m inside .p7m


@dataclass
class Document:
    """What was read of one attachment; stored with the message's attachment list."""

    status: str
    kind: str = ""
    reason: str = ""
    text: str = ""
    method: str = ""                    # text | ocr
    pages: int = 0
    seconds: float = 0.0
    signature: dict[str, Any] | None = None
    inner: str = ""                     # the signed file's kind, for a .p7m

    def record(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in ("", None, 0, 0.0)} | {"status": self.status}


class BudgetExceeded(RuntimeError):
    pass


@dataclass
class _Clock:
    seconds: float
    start: float = field(default_factory=time.monotonic)

    def check(self, what: str) -> None:
        if time.monotonic() - self.start > self.seconds:
            raise BudgetExceeded(f"{what} took more than {self.seconds:g} s")

    @property
    def left(self) -> float:
        return max(self.seconds - (time.monotonic() - self.start), 0.5)


_EXTENSIONS = {".pdf": "pdf", ".p7m": "p7m", ".docx": "docx", ".odt": "odt", ".rtf": "rtf", ".txt": "text",
               ".tif": "tiff", ".tiff": "tiff"}
_TYPES = {"application/pdf": "pdf", "application/pkcs7-mime": "p7m", "application/x-pkcs7-mime": "p7m",
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
          "application/vnd.oasis.opendocument.text": "odt", "application/rtf": "rtf", "text/rtf": "rtf",
          "image/tiff": "tiff"}
#: Parts of a PEC envelope and S/MIME: the transport's own files, never a letter.
_TRANSPORT = {"daticert.xml", "postacert.eml", "smime.p7s", "smime.p7m", "segnatura.xml"}


def kind_of(filename: str, content_type: str) -> str:
    """The reader for an attachment, from its name first (mailers send PDFs as octet-stream); '' for none."""
    name = filename.lower().strip()
    if name in _TRANSPORT:
        return ""
    for ext, kind in _EXTENSIONS.items():
        if name.endswith(ext):
            return kind
    return _TYPES.get(content_type.lower(), "")


def unread(kind: str, size: int, budget: Budget) -> Document | None:
    """Why an attachment is not read before looking inside it: not a document, or too large."""
    if not kind:
        return Document(SKIPPED, reason="not a document smista reads (photos, archives and other files are listed only)")
    if size > budget.max_bytes:
        return Document(SKIPPED, kind, f"{size / MIB:.1f} MiB: above the {budget.max_bytes / MIB:.0f} MiB read budget")
    return None


def read(filename: str, content_type: str, data: bytes, budget: Budget, ocr: Ocr | None,
         clock: _Clock | None = None, depth: int = 0) -> Document:
    """Read one attachment within ``budget``; never raises on the file's content."""
    clock = clock or _Clock(budget.seconds)
    kind = kind_of(filename, content_type)
    refused = unread(kind, len(data), budget)
    if refused is not None:
        return refused
    try:
        doc = _READERS[kind](data, budget, ocr, clock, depth, filename)
    except BudgetExceeded as exc:
        doc = Document(FAILED, kind, str(exc))
    except MemoryError:
        doc = Document(FAILED, kind, "exceeds the memory budget")
    except RecursionError:
        doc = Document(FAILED, kind, "nested too deeply")
    except Exception as exc:  # noqa: BLE001 - the parsers raise many types on hostile files
        doc = Document(FAILED, kind, f"cannot read the {kind.upper()} file: {type(exc).__name__}: {str(exc)[:300]}")
    doc.kind = kind
    doc.text = _clean(doc.text)[: budget.max_chars]
    doc.seconds = round(time.monotonic() - clock.start, 3)
    if doc.status == READ and not doc.text.strip():
        doc.status, doc.reason = SKIPPED, doc.reason or "no text in the document"
    return doc


def _clean(text: str) -> str:
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[ \t]+\n", "\n", re.sub(r"\n{3,}", "\n\n", text)).strip()


def _pdf(data: bytes, budget: Budget, ocr: Ocr | None, clock: _Clock, depth: int, name: str) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:  # many PDFs are encrypted with an empty user password, only to forbid editing
            if not reader.decrypt(""):
                return Document(FAILED, reason="password-protected PDF")
        except (FileNotDecryptedError, NotImplementedError) as exc:
            return Document(FAILED, reason=f"password-protected PDF ({exc})")
    pages = reader.pages
    count = len(pages)
    texts: list[str] = []
    size = 0
    for number in range(min(count, budget.max_pages)):
        clock.check(f"reading page {number + 1}")
        text = pages[number].extract_text() or ""
        texts.append(text)
        size += len(text)
        if size >= budget.max_chars:
            break
    read_pages = len(texts)
    if sum(len(t.split()) for t in texts) >= 5 * max(min(read_pages, 2), 1):  # a text layer, not a scan
        return Document(READ, text="\n\n".join(texts), method="text", pages=read_pages)
    if ocr is None:
        return Document(SKIPPED, reason="scanned PDF without a text layer: OCR is not installed (tesseract-ocr, tesseract-ocr-ita)",
                        pages=count)
    try:
        text, done = ocr.pdf(data, min(count, budget.ocr_pages), clock.left)
    except OcrError as exc:
        return Document(FAILED, reason=f"OCR: {exc}", pages=count)
    return Document(READ, reason=_first_pages(done, count), text=text, method="ocr", pages=done)


def _first_pages(done: int, count: int) -> str:
    return f"OCR budget: the first {done} of {count} pages read" if count > done else ""


def _tiff(data: bytes, budget: Budget, ocr: Ocr | None, clock: _Clock, depth: int, name: str) -> Document:
    if ocr is None:
        return Document(SKIPPED, reason="scanned image: OCR is not installed (tesseract-ocr, tesseract-ocr-ita)")
    try:
        text, done, count = ocr.image(data, budget.ocr_pages, clock.left)
    except OcrError as exc:
        return Document(FAILED, reason=f"OCR: {exc}")
    return Document(READ, reason=_first_pages(done, count), text=text, method="ocr", pages=done)


def _zip_guard(data: bytes, budget: Budget) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        total = sum(info.file_size for info in archive.infolist())
    if total > budget.max_unzipped:
        raise BudgetExceeded(f"unpacks to {total / MIB:.0f} MiB, above the {budget.max_unzipped / MIB:.0f} MiB budget")


def _docx(data: bytes, budget: Budget, ocr: Ocr | None, clock: _Clock, depth: int, name: str) -> Document:
    import docx

    _zip_guard(data, budget)
    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    size = 0
    for number, paragraph in enumerate(document.paragraphs):  # a small file may hold a million empty paragraphs
        if number % 500 == 0:
            clock.check("reading the paragraphs")
        lines.append(paragraph.text)
        size += len(lines[-1]) + 1
        if size >= budget.max_chars:
            break
    for table in document.tables:
        clock.check("reading the tables")
        lines += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    return Document(READ, text="\n".join(lines), method="text")


def _odt(data: bytes, budget: Budget, ocr: Ocr | None, clock: _Clock, depth: int, name: str) -> Document:
    from odf import opendocument, teletype, text as odf_text

    _zip_guard(data, budget)
    document = opendocument.load(io.BytesIO(data))
    lines = [teletype.extractText(element) for element in document.getElementsByType(odf_text.P)
             + document.getElementsByType(odf_text.H)]
    return Document(READ, text="\n".join(lines), method="text")


def _rtf(data: bytes, budget: Budget, ocr: Ocr | None, clock: _Clock, depth: int, name: str) -> Document:
    from striprtf.striprtf import rtf_to_text

    source = decode_text(data[: budget.max_chars * 20], "cp1252")
    if not source.lstrip().startswith("{\\rtf"):
        raise ValueError("no {\\rtf header")
    return Document(READ, text=rtf_to_text(source, errors="replace"), method="text")  # type: ignore[no-untyped-call,unused-ignore]


def _text(data: bytes, budget: Budget, ocr: Ocr | None, clock: _Clock, depth: int, name: str) -> Document:
    return Document(READ, text=decode_text(data[: budget.max_chars * 4], None), method="text")


def _p7m(data: bytes, budget: Budget, ocr: Ocr | None, clock: _Clock, depth: int, name: str) -> Document:
    try:
        signed = unwrap(data)
    except SignedFileError as exc:
        return Document(FAILED, reason=str(exc))
    if depth >= budget.depth:
        return Document(FAILED, reason=f"signed files nested more than {budget.depth} deep", signature=signed.record())
    inner_name = name[:-4] if name.lower().endswith(".p7m") else name
    if not kind_of(inner_name, ""):
        inner_name = _sniff(signed.content) or inner_name
    inner = read(inner_name, "", signed.content, budget, ocr, clock, depth + 1)
    return Document(inner.status, reason=inner.reason, text=inner.text, method=inner.method, pages=inner.pages,
                    signature=signed.record(), inner=inner.kind or "unknown")


def _sniff(content: bytes) -> str:
    """A name for signed content whose file name says nothing of it (``documento.p7m``)."""
    if content.startswith(b"%PDF"):
        return "content.pdf"
    if content.startswith(b"{\\rtf"):
        return "content.rtf"
    if content.startswith(b"\x30"):  # DER: a signed file signed again
        return "content.p7m"
    if content.startswith(b"PK"):
        return "content.odt" if b"opendocument.text" in content[:200] else "content.docx"
    return ""


_READERS = {"pdf": _pdf, "p7m": _p7m, "docx": _docx, "odt": _odt, "rtf": _rtf, "text": _text, "tiff": _tiff}
