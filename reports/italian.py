"""Italian words and number formats of the reports (the administration reads them in Italian)."""

from __future__ import annotations

from datetime import date

from classifier.labels import TYPE_IT, URGENCY_IT

MONTHS = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
          "novembre", "dicembre")
WEEKDAYS = ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica")
CHANNELS = {"email": "e-mail", "pec": "PEC", "portal": "portale"}
DOMAINS = {"lighting": "illuminazione pubblica", "buildings": "manutenzione edifici", "it": "manutenzione informatica",
           "facility": "servizi di facility", "roads": "strade e verde", "energy": "energia e calore",
           "insurance": "assicurazioni", "cards": "carte di pagamento", "funding": "bandi e finanziamenti",
           "general": "generale"}
RECEIPTS = {"accettazione": "accettazione", "non-accettazione": "non accettazione", "presa-in-carico": "presa in carico",
            "avvenuta-consegna": "avvenuta consegna", "errore-consegna": "errore di consegna",
            "preavviso-errore-consegna": "preavviso di errore di consegna", "rilevazione-virus": "rilevazione virus"}
UNKNOWN = "non assegnato"


def label(dimension: str, value: str | None) -> str:
    """The Italian name of a value of one of the report's dimensions."""
    if value is None or value == "":
        return "non classificato" if dimension in ("type", "urgency") else UNKNOWN
    names = {"type": TYPE_IT, "urgency": URGENCY_IT, "channel": CHANNELS, "domain": DOMAINS, "receipt": RECEIPTS}.get(dimension, {})
    return names.get(value, value)


def integer(n: int | float) -> str:
    """1234567 -> 1.234.567"""
    return f"{int(round(n)):,}".replace(",", ".")


def decimal(x: float, digits: int = 1) -> str:
    """1234.5 -> 1.234,5"""
    return f"{x:,.{digits}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def percent(part: int | float, whole: int | float, digits: int = 1) -> str:
    return "n.d." if not whole else f"{decimal(100.0 * part / whole, digits)}%"


def minutes(seconds: float | None) -> str:
    """A duration for people: seconds, minutes or hours, with a decimal comma."""
    if seconds is None:
        return "n.d."
    if seconds < 120:
        return f"{decimal(seconds, 0)} s"
    if seconds < 7200:
        return f"{decimal(seconds / 60, 1)} min"
    return f"{decimal(seconds / 3600, 1)} h"


def day(d: date) -> str:
    """2026-03-01 -> 1 marzo 2026"""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def short_day(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def month(d: date) -> str:
    return f"{MONTHS[d.month - 1]} {d.year}"


def cell(value: object) -> str:
    """A table cell as shown in the HTML and the PDF."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sì" if value else "no"
    if isinstance(value, int):
        return integer(value)
    if isinstance(value, float):
        return decimal(value)
    if isinstance(value, date):
        return short_day(value)
    return str(value)
