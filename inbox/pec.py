"""PEC (posta elettronica certificata) per DPR 68/2005 and DM 2 novembre 2005.

A provider wraps every certified message in a transport envelope (``X-Trasporto:
posta-certificata``, subject ``POSTA CERTIFICATA: ...``): a ``multipart/signed`` body with the
provider's notice, ``daticert.xml`` (the certified data), the sender's original message as
``postacert.eml`` and the S/MIME signature ``smime.p7s``. Receipts (``X-Ricevuta``) tell the
sender what happened to a message it sent; anomalies (``ANOMALIA MESSAGGIO:``) are messages the
provider could not certify. What counts is ``daticert.xml``: the signature does not cover the
top-level headers, which anyone on the path could change.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from enum import StrEnum

from inbox.mime import ParsedMail, _ids, from_message, header

RECEIPTS = ("accettazione", "non-accettazione", "presa-in-carico", "avvenuta-consegna", "errore-consegna",
            "preavviso-errore-consegna", "rilevazione-virus")


class MessageKind(StrEnum):
    EMAIL = "email"
    PEC = "pec"                    # a certified message in its transport envelope
    PEC_RECEIPT = "pec-receipt"    # a receipt about a message we sent
    PEC_ANOMALY = "pec-anomaly"    # a message the provider could not certify


#: Checks the integrity of a signed message's raw bytes: True, False, or None when it cannot tell.
SignatureCheck = Callable[[bytes], "bool | None"]


class UnknownReceipt(ValueError):
    """A message that says it is a PEC receipt of a type the rules do not define."""


@dataclass
class PecData:
    kind: MessageKind
    receipt_type: str = ""         # one of RECEIPTS for receipts
    receipt_detail: str = ""       # completa | breve | sintetica, from daticert or X-TipoRicevuta
    refers_to: str = ""            # X-Riferimento-Message-ID: the message a receipt is about
    daticert: dict[str, str] = field(default_factory=dict)
    daticert_error: str = ""       # why daticert.xml could not be used, if it could not
    has_signature: bool = False
    signature_verified: bool | None = None  # None: not checked (no openssl on this machine)
    segnatura: dict[str, str] = field(default_factory=dict)
    original: ParsedMail | None = None      # the sender's message (postacert.eml) of a transport envelope


def _header_ci(msg: Message, name: str) -> str:
    """Header lookup that ignores case (providers write X-TipoRicevuta and X-Tiporicevuta)."""
    for key in msg.keys():
        if key.lower() == name.lower():
            return header(msg, key).strip()
    return ""


def _parts_named(msg: Message, name: str) -> list[Message]:
    return [p for p in msg.walk() if (p.get_filename() or "").lower() == name]


def _decoded(part: Message) -> bytes:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _attached(part: Message) -> list[Message]:
    """The message inside a ``message/rfc822`` part; nothing for a leaf part that only bears the
    name (reading a leaf's payload decodes it, which a hostile charset makes fail)."""
    if not part.is_multipart():
        return []
    payload = part.get_payload()
    return [p for p in payload if isinstance(p, Message)] if isinstance(payload, list) else []


def _strip_prefixes(subject: str) -> str:
    return re.sub(r"^(\s*(\[[^\]]*\]\s*)?(POSTA CERTIFICATA|ANOMALIA MESSAGGIO)\s*:\s*)+", "", subject, flags=re.I).strip()


def parse_daticert(xml: bytes) -> dict[str, str]:
    """The certified data; raises ValueError on XML that cannot be read."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise ValueError(f"daticert.xml is not well-formed XML: {exc}") from exc
    if root.tag != "postacert":
        raise ValueError(f"daticert.xml root is <{root.tag}>, expected <postacert>")
    def text(path: str) -> str:
        return (root.findtext(path) or "").strip()

    data = root.find("dati/data")
    ricevuta = root.find("dati/ricevuta")
    consegna = root.find("dati/consegna")
    return {k: v for k, v in {
        "tipo": root.get("tipo", ""), "errore": root.get("errore", ""),
        "mittente": text("intestazione/mittente"),
        "destinatari": ", ".join((d.text or "").strip() for d in root.findall("intestazione/destinatari")),
        "risposte": text("intestazione/risposte"), "oggetto": text("intestazione/oggetto"),
        "gestore_emittente": text("dati/gestore-emittente"),
        "giorno": text("dati/data/giorno"), "ora": text("dati/data/ora"), "zona": data.get("zona", "") if data is not None else "",
        "identificativo": text("dati/identificativo"), "msgid": text("dati/msgid"),
        "ricevuta": ricevuta.get("tipo", "") if ricevuta is not None else "",
        "consegna": (consegna.text or "").strip() if consegna is not None else "",
        "errore_esteso": text("dati/errore-esteso"),
    }.items() if v}


def parse_segnatura(xml: bytes) -> dict[str, str]:
    """Protocol data of a PEC between administrations (``Segnatura.xml``), best effort."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        return {}
    def find(*names: str) -> str:
        for el in root.iter():
            value = (el.text or "").strip()
            if el.tag.split("}")[-1] in names and value:
                return value
        return ""
    return {k: v for k, v in {"numero": find("NumeroRegistrazione"), "data": find("DataRegistrazione"),
                              "amministrazione": find("Denominazione"), "oggetto": find("Oggetto")}.items() if v}


def detect(msg: Message, raw: bytes, check_signature: SignatureCheck | None = None) -> PecData | None:
    """PEC data of ``msg``, or None for ordinary mail. Raises :class:`UnknownReceipt`.

    Pure: the signature is checked only by the ``check_signature`` passed in (see ``inbox.signature``)."""
    trasporto = _header_ci(msg, "X-Trasporto").lower()
    ricevuta = _header_ci(msg, "X-Ricevuta").lower()
    subject = header(msg, "Subject")
    if not trasporto and not ricevuta and not re.search(r"(POSTA CERTIFICATA|ANOMALIA MESSAGGIO)\s*:", subject, re.I):
        return None
    if ricevuta:
        if ricevuta not in RECEIPTS:
            raise UnknownReceipt(f"unknown PEC receipt type X-Ricevuta: {ricevuta!r}; expected one of {', '.join(RECEIPTS)}")
        kind = MessageKind.PEC_RECEIPT
    elif trasporto == "errore" or re.match(r"\s*(\[[^\]]*\]\s*)?ANOMALIA MESSAGGIO\s*:", subject, re.I):
        kind = MessageKind.PEC_ANOMALY
    else:
        kind = MessageKind.PEC
    pec = PecData(kind=kind, receipt_type=ricevuta,
                  refers_to=(_ids(_header_ci(msg, "X-Riferimento-Message-ID")) or [""])[0],
                  has_signature=bool(_parts_named(msg, "smime.p7s")) or msg.get_content_type() == "multipart/signed")
    daticert = _parts_named(msg, "daticert.xml")
    if not daticert:
        pec.daticert_error = "daticert.xml is missing"
    else:
        try:
            pec.daticert = parse_daticert(_decoded(daticert[0]))
        except ValueError as exc:
            pec.daticert_error = str(exc)
    pec.receipt_detail = pec.daticert.get("ricevuta", "") or _header_ci(msg, "X-TipoRicevuta").lower()
    segnatura = _parts_named(msg, "segnatura.xml")
    if segnatura:
        pec.segnatura = parse_segnatura(_decoded(segnatura[0]))
    if kind != MessageKind.PEC_RECEIPT:  # in a receipt, postacert.eml is our own outgoing message, not a request
        originals = [inner for p in _parts_named(msg, "postacert.eml") for inner in _attached(p)[:1]]
        if originals:
            pec.original = from_message(originals[0])
    if check_signature is not None and pec.has_signature:
        pec.signature_verified = check_signature(raw)
    return pec


def original_subject(subject: str) -> str:
    """``POSTA CERTIFICATA: POSTA CERTIFICATA: X`` and list tags reduced to ``X``."""
    return _strip_prefixes(subject)
