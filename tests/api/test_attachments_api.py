"""``POST /v1/classify`` with an uploaded .eml reads its letter as the intake does."""

from __future__ import annotations

from email.message import EmailMessage

from tests.triage.test_attachments import GAS_LETTER
from training import letters


def test_an_uploaded_cover_note_is_classified_from_its_letter(served):
    msg = EmailMessage()
    msg["From"] = "segreteria@icrodari.edu.it"
    msg["Subject"] = "Trasmissione nota"
    msg.set_content("Vedi allegato.")
    msg.add_attachment(letters.docx(GAS_LETTER), maintype="application",
                       subtype="vnd.openxmlformats-officedocument.wordprocessingml.document", filename="nota.docx")
    with served.client("read") as c:
        r = c.post("/v1/classify", files={"file": ("m.eml", bytes(msg), "message/rfc822")})
        assert r.status_code == 200, r.text
        body = r.json()
        assert (body["type"], body["urgency"]) == ("intervention", "emergency")
        assert body["explanation"]["read_from"] == ["attachment"]
        schema = c.get("/openapi.json").json()["components"]["schemas"]
        assert "signature" in schema["DocumentOut"]["properties"] and "document" in schema["AttachmentOut"]["properties"]
