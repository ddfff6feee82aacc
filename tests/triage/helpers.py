"""Message builders shared by the mailbox tests."""

from __future__ import annotations

from datetime import datetime, timezone
from email.message import EmailMessage

from imapclient import IMAPClient

from training.samples import pec_envelope
from tests.servers.dovecot import PASSWORD

TEXTS = [
    ("Lampione spento", "Il lampione di via Roma 12 è spento da tre giorni. Grazie, Mario"),
    ("URGENTE gas", "C'è un forte odore di gas nella centrale termica della scuola Pascoli, venite subito"),
    ("Reclamo", "Presento formale reclamo per i ritardi nella riparazione della caldaia."),
    ("Domanda bando", "Vorrei sapere se le spese di consulenza sono ammissibili nel bando."),
    ("Sollecito", "Vi ho già scritto tre volte per la buca di via Verdi, ancora nessuno è passato."),
]


def mail(i: int, subject: str | None = None, body: str | None = None, **headers: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Cittadino {i} <cittadino{i}@libero.it>"
    msg["To"] = "assistenza@contactcenter.it"
    msg["Subject"] = subject or TEXTS[i % len(TEXTS)][0]
    msg["Message-ID"] = f"<msg{i}@test.smista>"
    msg["Date"] = "Tue, 24 Nov 2026 10:00:00 +0100"
    for key, value in headers.items():
        msg[key.replace("_", "-")] = value
    msg.set_content(body or TEXTS[i % len(TEXTS)][1])
    return bytes(msg).replace(b"\n", b"\r\n")


def pec_mail(i: int) -> bytes:
    record = {"from": f"ufficio{i}@pec.comune.it", "channel": "pec", "subject": "Palo pericolante",
              "body": "Il palo n. 1147 in corso Alfieri è pericolante e si piega verso la strada."}
    return bytes(pec_envelope(record, datetime(2026, 11, 24, 9, i, tzinfo=timezone.utc), i)).replace(b"\n", b"\r\n")


def receipt_mail(refers_to: str) -> bytes:
    msg = EmailMessage()
    msg["Subject"] = "ACCETTAZIONE: Riscontro"
    msg["From"] = "posta-certificata@pec.example.it"
    msg["Message-ID"] = f"<receipt-{refers_to.strip('<>')}>"
    msg["X-Ricevuta"] = "accettazione"
    msg["X-Riferimento-Message-ID"] = refers_to
    msg.set_content("Ricevuta di accettazione")
    msg.add_attachment(b'<postacert tipo="accettazione" errore="nessuno"><dati><identificativo>x</identificativo></dati></postacert>',
                       maintype="application", subtype="xml", filename="daticert.xml")
    return bytes(msg).replace(b"\n", b"\r\n")


def imap(port: int, user: str = "contact") -> IMAPClient:
    client = IMAPClient("127.0.0.1", port=port, ssl=False, timeout=10)
    client.login(user, PASSWORD)
    return client


def append(port: int, messages: list[bytes], user: str = "contact", folder: str = "INBOX") -> None:
    client = imap(port, user)
    for raw in messages:
        client.append(folder, raw)
    client.logout()
