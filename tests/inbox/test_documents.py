"""Attachments read from real files: every format the intake reads, and the files built to
break a reader (password, bombs, corrupt signatures), each recorded with its reason."""

from __future__ import annotations

import io
import shutil
import subprocess
import time
import zipfile

import pytest

from inbox import documents, ocr
from inbox.cades import SignedFileError, unwrap
from inbox.documents import FAILED, READ, SKIPPED, Budget
from training import letters

LETTER = """COMUNE DI ROCCAVALLE - Settore Lavori Pubblici
Roccavalle, 12/03/2026 - Prot. n. 4521
Spett.le Contact Center - Servizio manutenzione edifici
Oggetto: Scuola primaria Pascoli - distacco di intonaco dal soffitto dell'aula 3B
Si comunica che questa mattina alle ore 8:10 una porzione di intonaco si è staccata dal soffitto
dell'aula 3B, sopra i banchi. Si chiede un intervento immediato di messa in sicurezza.
Il Responsabile del Settore, Ing. Paolo Ferretti"""
OCR = ocr.find()
needs_ocr = pytest.mark.skipif(OCR is None, reason="tesseract with its Italian model is not installed")
needs_openssl = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")


def read(name: str, data: bytes, budget: Budget | None = None, with_ocr: bool = True) -> documents.Document:
    return documents.read(name, letters.content_type(name), data, budget or Budget(), OCR if with_ocr else None)


@pytest.mark.parametrize("name", ["nota.pdf", "nota.docx", "nota.odt", "nota.rtf", "nota.txt"])
def test_text_documents_are_read_whole(name):
    doc = read(name, letters.render(name, LETTER, 1))
    assert doc.status == READ and doc.method == "text", doc.reason
    assert "distacco di intonaco" in doc.text and "Ing. Paolo Ferretti" in doc.text
    assert "è staccata" in doc.text  # accents survive every format


@needs_ocr
@pytest.mark.parametrize("name", ["scan_nota.pdf", "fax_0574.tif"])
def test_scans_and_faxes_are_read_by_ocr(name):
    doc = read(name, letters.render(name, LETTER, 2))
    assert doc.status == READ and doc.method == "ocr", doc.reason
    assert "intonaco" in doc.text and "soffitto" in doc.text


@needs_ocr
def test_a_fax_is_read_from_its_first_pages_within_the_ocr_budget():
    fax = letters.render("fax_0574.tif", "\n".join([LETTER] * 25), 3)  # 175 lines: several pages
    from PIL import Image

    pages = Image.open(io.BytesIO(fax)).n_frames
    assert pages >= 3
    started = time.monotonic()
    doc = read("fax_0574.tif", fax, Budget(ocr_pages=1))
    assert time.monotonic() - started < 10
    assert doc.status == READ and doc.pages == 1, doc.reason
    assert f"the first 1 of {pages} pages" in doc.reason
    assert doc.text.count("intonaco") < 25


@needs_ocr
def test_a_corrupt_fax_is_failed_with_its_reason():
    doc = read("fax_0574.tif", b"II*\x00" + b"\xff" * 500)
    assert doc.status == FAILED and "cannot read the image" in doc.reason


def test_a_scan_without_ocr_is_listed_with_the_reason():
    doc = read("scan_nota.pdf", letters.render("scan_nota.pdf", LETTER, 2), with_ocr=False)
    assert doc.status == SKIPPED and "OCR is not installed" in doc.reason and not doc.text


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A signing certificate made with openssl, as a test CA would issue one."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    folder = tmp_path_factory.mktemp("signer")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-keyout", folder / "key.pem",
                    "-out", folder / "cert.pem", "-subj", "/C=IT/CN=Paolo Ferretti/serialNumber=TINIT-FRRPLA70A01H501X"],
                   check=True, capture_output=True)
    return folder


def openssl_sign(folder, data: bytes, pem: bool = False) -> bytes:
    (folder / "in.bin").write_bytes(data)
    subprocess.run(["openssl", "cms", "-sign", "-binary", "-nodetach", "-md", "sha256", "-in", folder / "in.bin",
                    "-signer", folder / "cert.pem", "-inkey", folder / "key.pem", "-outform", "PEM" if pem else "DER",
                    "-out", folder / "out.p7m"], check=True, capture_output=True)
    return (folder / "out.p7m").read_bytes()


@needs_openssl
@pytest.mark.parametrize("pem", [False, True], ids=["der", "base64"])
def test_a_p7m_signed_by_openssl_gives_its_pdf_and_signer(certificate, pem):
    signed = openssl_sign(certificate, letters.render("nota.pdf", LETTER, 1), pem)
    doc = read("nota_prot_4521.pdf.p7m", signed)
    assert doc.status == READ and doc.kind == "p7m" and doc.inner == "pdf"
    assert "distacco di intonaco" in doc.text
    assert doc.signature["verified"] is True and doc.signature["signer"] == "Paolo Ferretti"
    assert doc.signature["signed_at"].startswith("20")


@needs_openssl
def test_a_p7m_whose_document_was_changed_is_read_but_not_verified(certificate):
    data = letters.render("nota.txt", LETTER, 1)
    signed = bytearray(openssl_sign(certificate, data))
    at = bytes(signed).index(b"intonaco")
    signed[at:at + 8] = b"INTONACO"
    doc = read("nota.txt.p7m", bytes(signed))
    assert doc.status == READ and "INTONACO" in doc.text
    assert doc.signature["verified"] is False and "does not match" in doc.signature["problem"]


def test_signed_inside_signed_and_an_unnamed_signed_pdf():
    signer = letters.Signer("Maria Bianchi")
    twice = signer.sign(signer.sign(letters.render("nota.pdf", LETTER, 1)))
    doc = read("documento.p7m", twice)
    assert doc.status == READ and "intonaco" in doc.text and doc.signature["signer"] == "Maria Bianchi"


@pytest.mark.parametrize("data, reason", [
    (b"\x30\x82\x10\x00garbage", "corrupt signed file"),
    (b"not a signature at all", "not a signed file"),
    (b"", "corrupt signed file"),
])
def test_a_corrupt_p7m_is_failed_with_its_reason(data, reason):
    doc = read("nota.pdf.p7m", data)
    assert doc.status == FAILED and reason in doc.reason
    with pytest.raises(SignedFileError):
        unwrap(data)


def test_a_password_protected_pdf_is_failed_with_its_reason():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="segreto")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text="Riservato: verbale di sopralluogo")
    doc = read("verbale.pdf", bytes(pdf.output()))
    assert doc.status == FAILED and "password-protected" in doc.reason


def nested_pdf(depth: int) -> bytes:
    """A PDF whose one object is an array nested ``depth`` deep."""
    body = b"[" * depth + b"]" * depth
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /X " + body + b" >>",
               b"<< /Length 0 >>\nstream\n\nendstream"]
    return _assemble(objects)


def many_pages_pdf(pages: int) -> bytes:
    """A page tree that claims ``pages`` pages, all the same page object."""
    kids = b" ".join([b"3 0 R"] * pages)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 712 Td (pagina ripetuta) Tj ET\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    return _assemble(objects)


def _assemble(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % off for off in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def test_a_deeply_nested_pdf_is_failed_or_read_without_its_bomb():
    started = time.monotonic()
    doc = read("bomba.pdf", nested_pdf(200_000))
    assert time.monotonic() - started < 20
    assert doc.status in (FAILED, SKIPPED) and doc.reason and not doc.text


def test_a_pdf_of_a_hundred_thousand_pages_is_read_from_its_first_pages_only():
    budget = Budget(max_pages=5)
    started = time.monotonic()
    doc = read("elenco.pdf", many_pages_pdf(100_000), budget)
    assert time.monotonic() - started < 20
    assert doc.status == READ and doc.pages == 5 and doc.text.count("pagina ripetuta") == 5


def test_a_docx_zip_bomb_is_refused_before_it_is_unpacked():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (80 * 1024 * 1024) + b"</w:document>")
    doc = read("verbale.docx", out.getvalue())
    assert doc.status == FAILED and "above the 50 MiB budget" in doc.reason


def test_what_is_not_a_document_is_listed_only():
    assert read("foto_palo.jpg", b"\xff\xd8\xff").status == SKIPPED
    assert documents.kind_of("daticert.xml", "application/xml") == ""
    assert documents.kind_of("smime.p7s", "application/pkcs7-signature") == ""
    assert documents.kind_of("nota.PDF", "application/octet-stream") == "pdf"


def test_budgets_cut_large_files_and_long_texts():
    big = read("nota.txt", b"x" * 2048, Budget(max_bytes=1024))
    assert big.status == SKIPPED and "read budget" in big.reason
    long = read("nota.txt", ("parola " * 50_000).encode(), Budget(max_chars=1000))
    assert long.status == READ and len(long.text) == 1000
