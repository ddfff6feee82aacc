"""Build the sample Maildir shipped in ``data/samples/maildir`` from gold messages.

Gold messages are never trained on, so the demo shows the model on mail it has not seen.
PEC messages are wrapped in a transport envelope shaped as providers send it (DPR 68/2005,
DM 2 novembre 2005): ``X-Trasporto: posta-certificata``, a ``multipart/signed`` body with the
provider's notice, ``daticert.xml``, the original ``postacert.eml`` and ``smime.p7s``. The
signature part is a placeholder: these samples are not signed by a real provider.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

BASE_TIME = datetime(2026, 11, 23, 8, 0, tzinfo=timezone(timedelta(hours=1)))
RECIPIENT = "assistenza@contactcenter.it"
PEC_RECIPIENT = "assistenza@pec.contactcenter.it"


def plain_message(record: dict, when: datetime, index: int) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = record["from"]
    msg["To"] = PEC_RECIPIENT if record["channel"] == "pec" else RECIPIENT
    msg["Subject"] = record["subject"]
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = f"<sample{index:04d}.{when:%Y%m%d%H%M%S}@{record['from'].split('@')[-1]}>"
    msg.set_content(record["body"])
    return msg


def daticert(record: dict, original: EmailMessage, when: datetime, ident: str) -> str:
    sender, subject, msgid = escape(record["from"]), escape(record["subject"]), escape(original["Message-ID"])
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<postacert tipo="posta-certificata" errore="nessuno">
  <intestazione>
    <mittente>{sender}</mittente>
    <destinatari tipo="certificato">{PEC_RECIPIENT}</destinatari>
    <risposte>{sender}</risposte>
    <oggetto>{subject}</oggetto>
  </intestazione>
  <dati>
    <gestore-emittente>Sample PEC Provider S.p.A.</gestore-emittente>
    <data zona="+0100"><giorno>{when:%d/%m/%Y}</giorno><ora>{when:%H:%M:%S}</ora></data>
    <identificativo>{ident}</identificativo>
    <msgid>{msgid}</msgid>
  </dati>
</postacert>
"""


def pec_envelope(record: dict, when: datetime, index: int, original: EmailMessage | None = None) -> EmailMessage:
    """The record as its provider delivers it; ``original``: the sender's message, when it is not the record's plain one."""
    original = original or plain_message(record, when, index)
    ident = f"opec{index:04d}.{when:%Y%m%d%H%M%S}.sample@pec.example.it"
    inner = EmailMessage()
    inner.set_content(f"Messaggio di posta certificata\n\nIl giorno {when:%d/%m/%Y} alle ore {when:%H:%M:%S} (+0100) "
                      f"il messaggio \"{record['subject']}\" è stato inviato da \"{record['from']}\" indirizzato a: "
                      f"{PEC_RECIPIENT}\nIl messaggio originale è incluso in allegato.\nIdentificativo messaggio: {ident}\n")
    inner.add_attachment(daticert(record, original, when, ident).encode(), maintype="application", subtype="xml",
                         filename="daticert.xml")
    inner.add_attachment(original, filename="postacert.eml")
    envelope = EmailMessage()
    envelope["From"] = f"\"Per conto di: {record['from']}\" <posta-certificata@pec.example.it>"
    envelope["To"] = PEC_RECIPIENT
    envelope["Subject"] = f"POSTA CERTIFICATA: {record['subject']}"
    envelope["Date"] = format_datetime(when)
    envelope["Message-ID"] = f"<{ident}>"
    envelope["X-Trasporto"] = "posta-certificata"
    envelope["X-Riferimento-Message-ID"] = original["Message-ID"]
    envelope.set_type("multipart/signed")
    envelope.set_param("protocol", "application/pkcs7-signature")
    envelope.set_param("micalg", "sha-256")
    envelope.attach(inner)
    signature = EmailMessage()
    signature.set_content(b"placeholder: sample not signed by a real PEC provider", maintype="application",
                          subtype="pkcs7-signature", filename="smime.p7s")
    envelope.attach(signature)
    return envelope


def build_maildir(records: list[dict], out_dir: Path) -> int:
    """Write each record as one message in ``out_dir`` (a Maildir); returns the count."""
    for sub in ("cur", "new", "tmp"):
        (out_dir / sub).mkdir(parents=True, exist_ok=True)
        if sub != "new":  # git keeps no empty folder; a Maildir needs all three
            (out_dir / sub / ".gitkeep").touch()
    for index, record in enumerate(records, start=1):
        when = BASE_TIME + timedelta(minutes=37 * index)
        msg = pec_envelope(record, when, index) if record["channel"] == "pec" else plain_message(record, when, index)
        (out_dir / "new" / f"{int(when.timestamp())}.M{index:04d}P1.smista").write_bytes(bytes(msg))
    return len(records)


def pick(gold: list[dict], every: int = 8) -> list[dict]:
    """Every PEC message of the gold set plus every ``every``-th of the others."""
    others = [r for r in gold if r["channel"] != "pec"]
    return [r for r in gold if r["channel"] == "pec"] + others[::every]
