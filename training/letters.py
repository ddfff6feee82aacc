"""Letters sent as attachments, from the writers' text to real files and back.

The writers of ``data/letters/`` write a cover note and a letter; here the letter becomes the
file its name says (a PDF, a signed ``.pdf.p7m``, a scanned page or a TIFF fax, DOCX, ODT, RTF,
text), the whole becomes an RFC 5322 message with the file attached, and that message is read
back through the intake path, OCR included. So
training and evaluation see what the service will see: the text as extracted from the file,
not as typed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
import re
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian's fonts-dejavu-core
MONO = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")


def _latin(text: str) -> str:
    """Text for the PDF core fonts when DejaVu is not installed."""
    table = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u2026": "...",
             "\u20ac": "EUR"}
    return "".join(table.get(c, c) for c in text).encode("latin-1", "replace").decode("latin-1")


def pdf(text: str, title: str = "") -> bytes:
    """A text PDF, as a word processor prints a letter."""
    from fpdf import FPDF

    doc = FPDF(format="A4")
    doc.set_title(title[:100])
    doc.set_auto_page_break(True, margin=20)
    doc.add_page()
    if FONT.exists():
        doc.add_font("DejaVu", fname=str(FONT))
        doc.set_font("DejaVu", size=11)
    else:
        doc.set_font("Helvetica", size=11)
        text = _latin(text)
    for paragraph in text.split("\n"):
        doc.multi_cell(0, 5.5, paragraph if paragraph.strip() else " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())


def page_images(text: str, seed: int, fax: bool = False) -> list[Any]:
    """The letter as scanned pages (200 dpi, grey, a little skew and noise; a fax in black and white)."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    rng = random.Random(seed)
    width, height, margin = 1654, 2339, 150
    font = ImageFont.truetype(str(MONO if fax else FONT), 30 if fax else 27) if FONT.exists() else ImageFont.load_default()
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words, line = paragraph.split(), ""
        for word in words:
            if len(line) + len(word) + 1 > (62 if fax else 80):
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
    per_page = (height - 2 * margin) // 42
    pages = []
    for start in range(0, max(len(lines), 1), per_page):
        page = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(page)
        for row, line in enumerate(lines[start:start + per_page]):
            draw.text((margin + rng.randint(-3, 3), margin + row * 42), line, fill=rng.randint(0, 40), font=font)
        page = page.rotate(rng.uniform(-0.8, 0.8), fillcolor=255, resample=Image.Resampling.BICUBIC)
        for _ in range(1500 if fax else 600):  # specks
            x, y = rng.randrange(width), rng.randrange(height)
            page.putpixel((x, y), rng.randint(0, 120))
        page = page.filter(ImageFilter.GaussianBlur(0.6))
        pages.append(page.point(lambda v: 0 if v < 150 else 255, mode="1") if fax else page)
    return pages


def scan_pdf(text: str, seed: int) -> bytes:
    """A scanned letter: a PDF of page images with no text layer."""
    pages = page_images(text, seed)
    out = io.BytesIO()
    pages[0].save(out, format="PDF", resolution=200.0, save_all=True, append_images=pages[1:])
    return out.getvalue()


def tiff(text: str, seed: int) -> bytes:
    """A fax: black-and-white pages in one TIFF, CCITT group 4, as fax gateways send them."""
    pages = page_images(text, seed, fax=True)
    out = io.BytesIO()
    pages[0].save(out, format="TIFF", compression="group4", dpi=(200, 200), save_all=True,
                  append_images=pages[1:])
    return out.getvalue()


def docx(text: str) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    for paragraph in text.split("\n"):
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt(text: str) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    for paragraph in text.split("\n"):
        document.text.addElement(P(text=paragraph))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def rtf(text: str) -> bytes:
    def escape(line: str) -> str:
        line = line.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")
        return "".join(c if ord(c) < 128 else f"\\u{ord(c) if ord(c) < 32768 else ord(c) - 65536}?" for c in line)
    body = "\\par\n".join(escape(line) for line in text.split("\n"))
    return ("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0\\fs24\n" + body + "\\par\n}").encode("ascii")


class Signer:
    """A test signing identity (made once per build): CAdES-like SignedData with the document inside."""

    def __init__(self, name: str = "Firma di prova smista") -> None:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID

        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name), x509.NameAttribute(NameOID.COUNTRY_NAME, "IT")])
        now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
        self.cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(self.key.public_key())
                     .serial_number(x509.random_serial_number()).not_valid_before(now)
                     .not_valid_after(now + dt.timedelta(days=3650)).sign(self.key, hashes.SHA256()))

    def sign(self, data: bytes) -> bytes:
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.serialization import pkcs7

        return (pkcs7.PKCS7SignatureBuilder().set_data(data).add_signer(self.cert, self.key, hashes.SHA256())
                .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary]))


MIME = {"pdf": "application/pdf", "p7m": "application/pkcs7-mime", "tif": "image/tiff", "tiff": "image/tiff",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "odt": "application/vnd.oasis.opendocument.text", "rtf": "application/rtf", "txt": "text/plain"}


def render(filename: str, text: str, seed: int, signer: Signer | None = None) -> bytes:
    """The file ``filename`` names, holding ``text``."""
    name = filename.lower()
    if name.endswith(".p7m"):
        return (signer or Signer()).sign(render(filename[:-4], text, seed, signer))
    if name.endswith((".tif", ".tiff")):
        return tiff(text, seed)
    if name.endswith(".pdf"):
        return scan_pdf(text, seed) if re.match(r"(scan|fax)", Path(name).name) else pdf(text)
    if name.endswith(".docx"):
        return docx(text)
    if name.endswith(".odt"):
        return odt(text)
    if name.endswith(".rtf"):
        return rtf(text)
    return text.encode("utf-8")


def content_type(filename: str) -> str:
    return MIME.get(filename.lower().rsplit(".", 1)[-1], "application/octet-stream")


def message(record: dict, signer: Signer | None = None) -> bytes:
    """The record as the RFC 5322 message that would reach the mailbox, its letter attached."""
    seed = int(hashlib.sha256(record["id"].encode()).hexdigest()[:8], 16)
    letter = record["attachment"]
    mail = EmailMessage()
    mail["From"] = record["from"]
    mail["To"] = "contactcenter@servizi.example.it"
    mail["Subject"] = record["subject"]
    mail["Date"] = format_datetime(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc) + dt.timedelta(minutes=seed % 50_000))
    mail["Message-ID"] = f"<{record['id']}@letters.smista.test>"
    mail.set_content(record["body"] or "")
    data = render(letter["filename"], letter["text"], seed, signer)
    maintype, subtype = content_type(letter["filename"]).split("/")
    mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=letter["filename"])
    return mail.as_bytes()


def compile_letters(source: Path, out_dir: Path, held_out: list[str]) -> dict[str, int]:
    """Write ``letters_train.jsonl`` and ``letters_gold.jsonl`` (the held-out letter writers):
    every record with its letter rendered, sent and read back, ``attachment.read`` being the
    text the intake got from the file (OCR included) and ``attachment.document`` how."""
    from inbox.incoming import read
    from inbox.reading import DocumentReader
    from training.handwritten import parse_writers, write_jsonl

    signer = Signer()
    reader = DocumentReader()
    train: list[dict] = []
    gold: list[dict] = []
    try:
        for record in parse_writers(source):
            incoming = read(message(record, signer), documents=reader)
            [document] = [a["document"] for a in incoming.attachments if "document" in a] or [{"status": "missing"}]
            record["attachment"] |= {"read": incoming.request.attachment,
                                     "document": {k: document.get(k) for k in ("status", "kind", "method", "inner", "reason")
                                                  if document.get(k)}}
            (gold if record["writer"] in held_out else train).append(record)
    finally:
        reader.close()
    write_jsonl(out_dir / "letters_train.jsonl", train)
    write_jsonl(out_dir / "letters_gold.jsonl", gold)
    return {"letters_train.jsonl": len(train), "letters_gold.jsonl": len(gold)}


#: How a held-out letter is read for scoring: as the service reads it (the file, through the
#: intake), as if the same request had been written in the body, and with the attachment unread.
VIEWS = ("attachment", "in_body", "cover_only")


def view(record: dict, how: str) -> Any:
    """The record as a classifier message in one of :data:`VIEWS`."""
    from classifier.features import Message, to_message

    letter = record["attachment"]
    if how == "attachment":
        return to_message(record)
    if how == "in_body":
        return Message(record["subject"], f"{record['body']}\n\n{letter['text']}".strip(), record["from"], record.get("thread"))
    return Message(record["subject"], record["body"], record["from"], record.get("thread"))


def kind(record: dict) -> str:
    """The file kind a letter was sent as: pdf, p7m, scan (OCR), office."""
    document = record["attachment"].get("document", {})
    if document.get("method") == "ocr":
        return "scan"
    return {"pdf": "pdf", "p7m": "p7m"}.get(document.get("kind", ""), "office")
