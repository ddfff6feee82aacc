"""A letter in an attachment, through the pipeline on SQLite and PostgreSQL: read, stored with
its signature data, classified from the letter; files that cannot be read never cost the message."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from inbox.reading import DocumentReader
from tests.inbox.test_documents import nested_pdf
from training import letters
from training.samples import pec_envelope
from triage.db import open_store
from triage.models import Classification, StoredMessage
from triage.pipeline import Pipeline
from triage.queries import message_detail

GAS_LETTER = """ISTITUTO COMPRENSIVO "G. RODARI" - VALDIMONTE
Prot. n. 2231/VI.9 del 24/11/2026
Al Contact Center del servizio di manutenzione degli edifici scolastici
Oggetto: scuola primaria di via dei Mille 4 - odore di gas nella centrale termica
Si segnala che questa mattina alle ore 7:45 il collaboratore scolastico ha avvertito un forte odore di gas
all'ingresso della centrale termica. Gli alunni non sono ancora entrati; l'edificio è stato fatto evacuare.
Si chiede un intervento immediato.
Il Dirigente scolastico, dott.ssa Anna Marini"""


@pytest.fixture(scope="module")
def reader():
    documents = DocumentReader()
    yield documents
    documents.close()


def pec_with_letter(signer: letters.Signer) -> bytes:
    original = EmailMessage()
    original["From"] = "icrodari@pec.istruzione.it"
    original["To"] = "contactcenter@pec.servizi.it"
    original["Subject"] = "Trasmissione nota prot. 2231"
    original["Message-ID"] = "<nota2231@pec.istruzione.it>"
    original.set_content("Si trasmette in allegato la nota in oggetto.\nLa segreteria")
    original.add_attachment(signer.sign(letters.pdf(GAS_LETTER)), maintype="application", subtype="pkcs7-mime",
                            filename="nota_prot_2231.pdf.p7m")
    record = {"from": original["From"], "subject": original["Subject"], "body": ""}
    envelope = pec_envelope(record, datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc), 1, original=original)
    return bytes(envelope).replace(b"\n", b"\r\n")


def test_a_signed_letter_in_a_pec_is_read_and_decides(store_url, classifier, reader):
    store = open_store(store_url)
    raw = pec_with_letter(letters.Signer("Anna Marini"))
    outcome = Pipeline(store, classifier, documents=reader).ingest(raw, "pec", "INBOX", 1, "1")
    assert outcome.status == "classified"
    with store() as session:
        message = session.get(StoredMessage, outcome.pk)
        assert hashlib.sha256(message.raw).digest() == hashlib.sha256(raw).digest()  # the evidence is untouched
        [letter] = [a for a in message.attachments if a["filename"] == "nota_prot_2231.pdf.p7m"]
        document = letter["document"]
        assert document["status"] == "read" and document["kind"] == "p7m" and document["inner"] == "pdf"
        assert "odore di gas" in document["text"]
        assert document["signature"]["verified"] is True and document["signature"]["signer"] == "Anna Marini"
        assert all("document" not in a for a in message.attachments if a["filename"] in ("daticert.xml", "postacert.eml"))
        c = session.scalars(select(Classification).where(Classification.message_pk == outcome.pk)).one()
        assert (c.type, c.urgency) == ("intervention", "emergency")
        assert c.explanation["read_from"] == ["attachment"]
        assert c.entities["requester_name"] == "Anna Marini"  # the letter's signer asks, not the school's PEC box
    shown = message_detail(store, outcome.pk)  # what GET /v1/messages/{id} answers
    assert shown is not None and shown.attachments is not None
    signed = [a.document for a in shown.attachments if a.document is not None and a.document.signature is not None]
    assert [d.signature.signer for d in signed] == ["Anna Marini"] and signed[0].signature.verified


def test_files_that_cannot_be_read_are_recorded_and_the_body_decides(tmp_path, classifier, reader):
    store = open_store(f"sqlite:///{tmp_path / 'smista.db'}")
    msg = EmailMessage()
    msg["From"] = "Mario Rossi <mario.rossi@libero.it>"
    msg["Subject"] = "lampione spento"
    msg["Message-ID"] = "<hostile-attachments@libero.it>"
    msg.set_content("Buongiorno, il lampione davanti al civico 12 di via Roma è spento da una settimana. "
                    "Vi allego la foto e la segnalazione che avevo scritto. Grazie, Mario Rossi")
    msg.add_attachment(b"\x30\x82\x10\x00corrupt", maintype="application", subtype="pkcs7-mime", filename="segnalazione.pdf.p7m")
    msg.add_attachment(nested_pdf(200_000), maintype="application", subtype="pdf", filename="bomba.pdf")
    msg.add_attachment(b"\xff\xd8\xff\xe0 not really a photo", maintype="image", subtype="jpeg", filename="foto.jpg")
    raw = bytes(msg)
    outcome = Pipeline(store, classifier, documents=reader).ingest(raw, "m", "INBOX", 1, "1")
    assert outcome.status == "classified"
    with store() as session:
        message = session.get(StoredMessage, outcome.pk)
        assert message.raw == raw
        by_name = {a["filename"]: a for a in message.attachments}
        assert by_name["segnalazione.pdf.p7m"]["document"]["status"] == "failed"
        assert "corrupt signed file" in by_name["segnalazione.pdf.p7m"]["document"]["reason"]
        assert by_name["bomba.pdf"]["document"]["status"] in ("failed", "skipped") and by_name["bomba.pdf"]["document"]["reason"]
        assert "document" not in by_name["foto.jpg"]
        c = session.scalars(select(Classification).where(Classification.message_pk == outcome.pk)).one()
        assert c.type == "intervention" and c.explanation["read_from"] == ["body"]


def test_the_faq_reads_the_questions_of_a_letter_under_a_cover_note(reader):
    from triage.faq_worker import questions_in

    msg = EmailMessage()
    msg["From"] = "bandi@studioverdi.it"
    msg["Subject"] = "quesito bando"
    msg.set_content("Vedi allegato.")
    msg.add_attachment(letters.docx("Spett.le Agenzia,\nin merito al bando per l'efficienza energetica delle imprese, "
                                    "quali documenti servono per presentare la domanda di contributo?\nDistinti saluti"),
                       maintype="application", subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                       filename="quesito.docx")
    raw = bytes(msg)
    from inbox.incoming import read

    stored = StoredMessage(raw=raw, attachments=read(raw, documents=reader).attachments)
    found = questions_in(stored, "clarification", 20_000)
    assert any("documenti servono" in q for q in found)
    unread = questions_in(StoredMessage(raw=raw, attachments=[]), "clarification", 20_000)  # the letter not read at intake
    assert not any("documenti servono" in q for q in unread)


class _Watching:
    """A reader that, while it reads, takes the message's row in another session: it can only
    if the pipeline holds no transaction on it then."""

    max_bytes = 20 * 1024 * 1024

    def __init__(self, store, reader):
        self.store, self.reader, self.took = store, reader, []

    def __call__(self, items):
        with self.store.begin() as session:
            query = select(StoredMessage.id)
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(nowait=True)  # fails at once on a locked row
                session.execute(query).all()
            else:
                session.execute(StoredMessage.__table__.update().values(attempts=StoredMessage.attempts))  # a write
        self.took.append(len(items))
        return self.reader(items)


def test_attachments_are_read_before_the_batch_holds_any_row(store_url, classifier, reader):
    store = open_store(store_url)  # on SQLite a write lock held by the batch would fail the reader's write
    watching = _Watching(store, reader)
    pipeline = Pipeline(store, classifier, documents=watching)
    raws = [pec_with_letter(letters.Signer("Anna Marini")).replace(b"nota2231@", f"nota{i}@".encode()) for i in range(3)]
    stored = pipeline.store_many([(str(i), raw) for i, raw in enumerate(raws)], "pec", "INBOX", 1)
    beats = []
    statuses = pipeline.process_pending([pk for pk, _ in stored], heartbeat=lambda: beats.append(1))
    assert set(statuses.values()) == {"classified"}
    assert watching.took == [1, 1, 1] and len(beats) == 3


def test_a_letter_in_a_message_above_the_parser_cut_is_read_whole(tmp_path, classifier, reader):
    from inbox import slim

    store = open_store(f"sqlite:///{tmp_path / 'smista.db'}")
    msg = EmailMessage()
    msg["From"] = "protocollo@comune.valdimonte.it"
    msg["Subject"] = "Trasmissione nota"
    msg.set_content("Si trasmette in allegato la nota in oggetto.")
    letter = letters.pdf(GAS_LETTER)
    padded = letter + b"%" + b"x" * 1_500_000 + b"\n"  # a PDF with a large embedded scan: 1.5 MB, beyond the cut
    msg.add_attachment(padded, maintype="application", subtype="pdf", filename="nota.pdf")
    msg.add_attachment(b"\x00" * 4_000_000, maintype="application", subtype="zip", filename="foto.zip")
    raw = bytes(msg)
    assert len(raw) > slim.SLIM_ABOVE and len(slim.slim(raw)) < len(raw)
    outcome = Pipeline(store, classifier, documents=reader).ingest(raw, "pec", "INBOX", 1, "1")
    with store() as session:
        message = session.get(StoredMessage, outcome.pk)
        document = {a["filename"]: a for a in message.attachments}["nota.pdf"]["document"]
        assert document["status"] == "read" and "odore di gas" in document["text"], document
        c = session.scalars(select(Classification).where(Classification.message_pk == outcome.pk)).one()
        assert c.urgency == "emergency" and c.explanation["read_from"] == ["attachment"]


def test_a_message_read_by_two_workers_at_once_is_classified_once(store_url, classifier, reader):
    """A worker taking over stranded mail may read a batch its first worker is still reading."""
    store = open_store(store_url)
    other = Pipeline(store, classifier, documents=reader)

    class Overtaken:
        max_bytes = reader.max_bytes

        def __call__(self, items):
            if not hasattr(self, "done"):
                self.done = other.process_pending([pk for pk, _ in stored])  # the other worker gets there first
            return reader(items)

    first = Pipeline(store, classifier, documents=Overtaken())
    raws = [pec_with_letter(letters.Signer("Anna Marini")).replace(b"nota2231@", f"doppia{i}@".encode()) for i in range(2)]
    stored = first.store_many([(str(i), raw) for i, raw in enumerate(raws)], "pec", "INBOX", 1)
    assert set(first.process_pending([pk for pk, _ in stored]).values()) == {"classified"}
    with store() as session:
        counts = [session.scalar(select(func.count()).select_from(Classification).where(Classification.message_pk == pk))
                  for pk, _ in stored]
    assert counts == [1, 1]
