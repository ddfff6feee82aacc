"""PEC parsing against real provider mail (../shared/data/pec-samples, not copied here) and
against envelopes and receipts built to the specification."""

from __future__ import annotations

from datetime import datetime, timezone
from email.message import EmailMessage
from pathlib import Path

import pytest

from inbox import pec
from inbox.signature import verify_signature
from inbox.mime import parse_bytes
from training.samples import pec_envelope

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "pec-samples"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared PEC samples not present")


def detect(raw: bytes) -> pec.PecData | None:
    msg, _ = parse_bytes(raw)
    return pec.detect(msg, raw, verify_signature)


@needs_samples
@pytest.mark.parametrize("name, receipt", [
    ("oca_l10n-italy/aruba_accettazione_signed-ok.eml", "accettazione"),
    ("oca_l10n-italy/aruba_avvenuta-consegna_completa_signed-ok.eml", "avvenuta-consegna"),
    ("go-pec/anon_accettazione_sig-truncated.eml", "accettazione"),
    ("go-pec/anon_errore-consegna_no-dest_sig-truncated.eml", "errore-consegna"),
    ("go-pec/anon_avvenuta-consegna_completa_payloads-truncated.eml", "avvenuta-consegna"),
])
def test_real_receipts_are_receipts_linked_to_their_message(name, receipt):
    data = detect((SAMPLES / name).read_bytes())
    assert data.kind == "pec-receipt" and data.receipt_type == receipt
    assert data.refers_to.startswith("<") and data.daticert["tipo"] == receipt
    assert data.original is None  # a complete delivery receipt carries our own message: not a request


@needs_samples
def test_signature_integrity_is_recorded():
    ok = detect((SAMPLES / "oca_l10n-italy/aruba_accettazione_signed-ok.eml").read_bytes())
    broken = detect((SAMPLES / "oca_l10n-italy/sogei-sdi_posta-certificata_broken-xml_signature-broken.eml").read_bytes())
    truncated = detect((SAMPLES / "go-pec/anon_accettazione_sig-truncated.eml").read_bytes())
    if ok.signature_verified is None:
        pytest.skip("openssl not installed")
    assert (ok.signature_verified, broken.signature_verified, truncated.signature_verified) == (True, False, False)


@needs_samples
def test_sogei_envelope_gives_the_original_message_and_daticert():
    data = detect((SAMPLES / "oca_l10n-italy/sogei-sdi_posta-certificata_breve_invio-file_signed-ok.eml").read_bytes())
    assert data.kind == "pec" and data.receipt_detail == "breve"  # X-Tiporicevuta, odd case
    assert data.original.subject == "Invio File 7339338 (SIMULAZIONE)"
    d = data.daticert
    assert (d["mittente"], d["gestore_emittente"], d["giorno"], d["ora"], d["zona"]) == (
        "sdi03@pec.fatturapa.it", "Sogei SpA", "08/12/2018", "12:26:18", "+0100")
    assert d["identificativo"].startswith("opec288.") and d["msgid"].startswith("<4163125586355393")


@needs_samples
def test_missing_daticert_and_malformed_mime_do_not_crash():
    missing = detect((SAMPLES / "oca_l10n-italy/sogei-sdi_posta-certificata_mancata-consegna_NO-daticert_signature-broken.eml").read_bytes())
    assert missing.kind == "pec" and missing.daticert == {} and "missing" in missing.daticert_error
    malformed = detect((SAMPLES / "go-pec/anon_posta-certificata_malformed-mime.eml").read_bytes())
    assert malformed.kind == "pec" and malformed.original is not None
    assert pec.original_subject("POSTA CERTIFICATA: POSTA CERTIFICATA: EXAMPLE") == "EXAMPLE"
    assert pec.original_subject("[lista] POSTA CERTIFICATA: guasto") == "guasto"


def receipt(kind: str, header_name: str = "X-Ricevuta") -> bytes:
    msg = EmailMessage()
    msg["Subject"] = f"{kind.upper()}: prova"
    msg["From"] = "posta-certificata@pec.example.it"
    msg[header_name] = kind
    msg["X-Riferimento-Message-ID"] = "<abc@x.it>"
    msg.set_content("Ricevuta")
    msg.add_attachment(f'<postacert tipo="{kind}" errore="nessuno"><intestazione><mittente>a@pec.it</mittente>'
                       f'</intestazione><dati><identificativo>id1</identificativo></dati></postacert>'.encode(),
                       maintype="application", subtype="xml", filename="daticert.xml")
    return bytes(msg)


@pytest.mark.parametrize("kind", pec.RECEIPTS)
def test_every_receipt_type_built_to_the_rules(kind):
    data = detect(receipt(kind))
    assert (data.kind, data.receipt_type, data.refers_to, data.daticert["tipo"]) == ("pec-receipt", kind, "<abc@x.it>", kind)


def test_unknown_receipt_type_is_refused_and_header_case_is_ignored():
    with pytest.raises(pec.UnknownReceipt, match="consegna-parziale"):
        detect(receipt("consegna-parziale"))
    assert detect(receipt("accettazione", "x-ricevuta")).receipt_type == "accettazione"


def test_anomaly_is_flagged():
    msg = EmailMessage()
    msg["Subject"] = "ANOMALIA MESSAGGIO: richiesta"
    msg["X-Trasporto"] = "errore"
    msg.set_content("Anomalia")
    assert detect(bytes(msg)).kind == "pec-anomaly"


def test_envelope_with_html_only_original_in_latin1():
    original = EmailMessage()
    original["From"] = "ufficio@pec.comune.it"
    original["Subject"] = "Caldaia"
    original.set_content("<p>La caldaia della scuola è in blocco, città al freddo</p>", subtype="html", charset="latin-1")
    record = {"from": "ufficio@pec.comune.it", "channel": "pec", "subject": "Caldaia", "body": "x"}
    envelope = pec_envelope(record, datetime(2026, 11, 2, tzinfo=timezone.utc), 1)
    for part in envelope.walk():
        if part.get_filename() == "postacert.eml":
            part.set_payload([original])
    data = detect(bytes(envelope))
    assert data.kind == "pec" and data.original.html_only and "città" in data.original.text
    assert data.daticert["mittente"] == "ufficio@pec.comune.it"
    assert detect(bytes(original)) is None


def test_segnatura_protocol_data():
    xml = b"""<Segnatura xmlns="http://www.digitPa.gov.it/protocollo/"><Intestazione><Identificatore>
    <CodiceAmministrazione>c_a182</CodiceAmministrazione><NumeroRegistrazione>0012345</NumeroRegistrazione>
    <DataRegistrazione>2026-11-20</DataRegistrazione></Identificatore><Origine><Mittente><Amministrazione>
    <Denominazione>Comune di Alessandria</Denominazione></Amministrazione></Mittente></Origine>
    <Oggetto>Guasto illuminazione</Oggetto></Intestazione></Segnatura>"""
    assert pec.parse_segnatura(xml) == {"numero": "0012345", "data": "2026-11-20", "amministrazione": "Comune di Alessandria",
                                        "oggetto": "Guasto illuminazione"}
    assert pec.parse_segnatura(b"<broken") == {}
