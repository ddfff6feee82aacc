"""The child process that reads attachments: its deadline is a hard one, and it comes back."""

from __future__ import annotations

import io
import time
import zipfile

from inbox.documents import Budget
from inbox.reading import DocumentReader
from tests.inbox.test_documents import LETTER
from training import letters


def million_paragraphs() -> bytes:
    """A 165 KB DOCX of 1.3 million one-letter paragraphs: python-docx needs over a minute for
    it, most of it before any check of ours can run."""
    source = zipfile.ZipFile(io.BytesIO(letters.docx("x")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                head = data.partition(b"<w:body>")[0]
                data = head + b"<w:body>" + b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 1_300_000 + b"</w:body></w:document>"
            archive.writestr(info, data)
    return out.getvalue()


def test_a_reader_past_its_deadline_is_stopped_and_the_next_file_is_read():
    reader = DocumentReader(Budget(seconds=0.5), ocr=False, grace=0.5)
    try:
        started = time.monotonic()
        stuck, photo = reader([_item("verbale.docx", "", million_paragraphs()), _item("foto.jpg", "image/jpeg", b"\xff\xd8")])
        assert time.monotonic() - started < 5
        assert stuck["status"] == "failed" and "the reader was stopped" in stuck["reason"]
        assert photo["status"] == "skipped"
        [letter] = reader([_item("nota.pdf", "application/pdf", letters.render("nota.pdf", LETTER, 1))])
        assert letter["status"] == "read" and "intonaco" in letter["text"]
    finally:
        reader.close()


def test_a_worker_that_died_is_replaced():
    reader = DocumentReader(ocr=False)
    try:
        data = letters.render("nota.odt", LETTER, 1)
        assert reader([_item("nota.odt", "", data)])[0]["status"] == "read"
        assert reader._process is not None
        reader._process.kill()
        reader._process.wait()
        assert reader([_item("nota.odt", "", data)])[0]["status"] == "read"
    finally:
        reader.close()


def test_parts_not_had_whole_too_large_and_the_message_budget_are_recorded():
    reader = DocumentReader(Budget(max_documents=1, max_bytes=1000), ocr=False)
    try:
        data = letters.render("nota.txt", LETTER, 1)
        first, second, cut, big = reader([_item("a.txt", "text/plain", data), _item("b.txt", "text/plain", data),
                                          ("c.pdf", "application/pdf", None, 500), ("d.pdf", "application/pdf", None, 5000)])
        assert first["status"] == "read"
        assert second["status"] == "skipped" and "more than 1 documents" in second["reason"]
        assert cut["status"] == "skipped" and "could not be taken whole" in cut["reason"]
        assert big["status"] == "skipped" and "above the 0 MiB read budget" in big["reason"]
    finally:
        reader.close()


def test_pages_pypdf_cannot_count_are_not_all_rendered_and_nothing_is_left_behind():
    import glob
    import os

    from tests.inbox.test_documents import _assemble

    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(120))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count 120 >>"]
    objects += [b"<< /Type /Foo /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * 120  # poppler renders them, pypdf counts none
    reader = DocumentReader(Budget(seconds=10))
    try:
        started = time.monotonic()
        [doc] = reader([_item("scan_pagine.pdf", "application/pdf", _assemble(objects))])
        assert time.monotonic() - started < 15 and doc.get("pages", 0) <= 4
        folder = reader._tmp
        assert folder is not None and os.path.isdir(folder)
    finally:
        reader.close()
    assert not os.path.exists(folder) and not glob.glob(os.path.join(folder, "*"))


def test_ocr_is_looked_up_on_first_use_not_when_the_reader_is_built(monkeypatch):
    import inbox.reading

    calls = []
    monkeypatch.setattr(inbox.reading, "find", lambda: calls.append(1))
    reader = DocumentReader()
    assert calls == []
    assert reader.ocr is None and reader.ocr is None
    assert calls == [1]


def _item(name: str, ctype: str, data: bytes) -> tuple[str, str, bytes, int]:
    return name, ctype, data, len(data)
