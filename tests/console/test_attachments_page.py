"""The message page shows what was read of each attachment: the letter's text folded, the
signature's signer and integrity, and the reason a file was not read."""

from __future__ import annotations

from email.message import EmailMessage

from tests.console.conftest import Console
from tests.triage.test_attachments import pec_with_letter
from training import letters


def test_the_letter_its_signature_and_unread_files_are_shown(console: Console) -> None:
    pipeline = console.services.pipeline
    pk = pipeline.ingest(pec_with_letter(letters.Signer("Anna Marini")), "pec", "INBOX", 1, "90").pk
    broken = EmailMessage()
    broken["From"] = "a.rossi@libero.it"
    broken["Subject"] = "segnalazione"
    broken.set_content("Buongiorno, vi allego il verbale del sopralluogo sul lampione di via Po.")
    broken.add_attachment(b"\x30\x82\x01corrotto", maintype="application", subtype="pkcs7-mime", filename="verbale.pdf.p7m")
    other = pipeline.ingest(bytes(broken), "contatti", "INBOX", 1, "91").pk
    client, _ = console.login("luca")
    page = client.get(f"/console/messages/{pk}").text
    assert "nota_prot_2231.pdf.p7m" in page and "letto, 1 pag." in page
    assert "Firma digitale di Anna Marini: integra (certificato dichiarato dal file" in page
    assert "odore di gas nella centrale termica" in page and 'class="attachment-text"' in page
    assert "Richiesta letta dall'allegato" in page
    shown = client.get(f"/console/messages/{other}").text
    assert "<strong>non letto</strong>: corrupt signed file" in shown


def test_the_letters_words_are_found_by_search(console: Console) -> None:
    from triage import search

    pipeline = console.services.pipeline
    pk = pipeline.ingest(pec_with_letter(letters.Signer("Anna Marini")), "pec", "INBOX", 1, "92").pk
    stored, _ = pipeline.store_raw(pec_with_letter(letters.Signer("Anna Marini")).replace(b"nota2231", b"nota2232"),
                                   "pec", "INBOX", 1, "93")
    found, _ = search.search(console.services.sessions, "Dirigente scolastico Marini")
    assert found == [pk]  # only the letter says it; a message not processed yet is not indexed yet
    pipeline.process(stored)
    assert search.search(console.services.sessions, "Dirigente scolastico Marini")[0] == [stored, pk]
