"""The Comune di Alessandria's citizen reports (Municipium app, CC BY 4.0) loaded as messages.

The data set (``../shared/data/alessandria-segnalazioni``: evaluation only, never copied into the
repository; its path is always an argument) gives for each report its id, state, day of creation,
day of closing and category, and no text. Each report becomes a portal message of its real day
with its category mapped to a service domain and a request type, its closing day to
``resolved_at``, and the routing decision the project's rules take for it. What the data does not
hold is stated, not invented silently: the hour of arrival (the day only is given) is spread
over 07:00-21:00 local by the report's id, the urgency is ``normal`` for all, and the routing is
taken at arrival. Rows are written with bulk inserts, so a bench can load a million.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select, text

from triage.db import Sessions
from triage.models import Classification, MessageStatus, Routing, Sighting, StoredMessage
from triage.routing import Router

CSV_NAME = "segnalazioni-municipium.csv"
ZONE = ZoneInfo("Europe/Rome")
MAILBOX, FOLDER = "api", "municipium"  # the portal: what comes from an app arrives as POST /v1/messages
#: Municipium category -> (service domain, request type); ideas are not requests.
CATEGORIES: dict[str, tuple[str, str]] = {
    "Buche": ("roads", "intervention"),
    "Verde pubblico": ("roads", "intervention"),
    "Semafori e segnaletica stradale": ("roads", "intervention"),
    "Arredo urbano": ("roads", "intervention"),
    "Tombini": ("roads", "intervention"),
    "Parchi gioco e aree cani": ("roads", "intervention"),
    "Acquedotto e fognature": ("roads", "intervention"),
    "Illuminazione pubblica": ("lighting", "intervention"),
    "Cimiteri": ("buildings", "intervention"),
    "Accessibilità ed inclusione delle persone con disabilità": ("buildings", "intervention"),
    "Disinfestazione (topi, blatte, vespe, piccioni)": ("facility", "intervention"),
    "Tutela animali": ("general", "intervention"),
    "Idee e proposte": ("general", "other"),
    "Altro": ("general", "intervention"),
    "": ("general", "intervention"),
}
CLOSED_STATES = ("chiusa", "annullata", "archiviata", "eliminata")
#: Copies of the pattern are shifted by whole weeks, so each keeps its weekdays.
SHIFT = timedelta(weeks=156)


@dataclass(frozen=True)
class CitizenReport:
    id: int
    state: str
    created: date
    closed: date | None
    category: str


def read_reports(folder: Path) -> list[CitizenReport]:
    """The CSV as published (UTF-8, ``;``-separated)."""
    with (folder / CSV_NAME).open(encoding="utf-8", newline="") as fh:
        return [CitizenReport(int(r["Id"]), r["Stato"], date.fromisoformat(r["Creato"]),
                              date.fromisoformat(r["Chiusa"]) if r["Chiusa"] else None, r["Categoria"])
                for r in csv.DictReader(fh, delimiter=";")]


def arrival(report: CitizenReport, copy: int = 0) -> datetime:
    """The report's day, at a time of day spread over 07:00-21:00 by its id (the data has no hour)."""
    spread = int(hashlib.blake2b(f"{report.id}/{copy}".encode(), digest_size=4).hexdigest(), 16) % (14 * 3600)
    local = datetime.combine(report.created, time(7), ZONE) + timedelta(seconds=spread)
    return local.astimezone(timezone.utc)


def resolution(report: CitizenReport, arrived: datetime) -> datetime | None:
    """The closing day at the end of working hours (17:30), never before the arrival."""
    if report.closed is None or report.state not in CLOSED_STATES:
        return None
    closed = datetime.combine(report.closed, time(17, 30), ZONE).astimezone(timezone.utc)
    return max(closed, arrived + timedelta(minutes=1))


@dataclass(frozen=True)
class Rows:
    messages: list[dict]
    sightings: list[dict]
    classifications: list[dict]
    routings: list[dict]


def rows(reports: list[CitizenReport], first_pk: int, n: int | None = None, router: Router | None = None,
         tiles: int | None = None, batch: int = 5000) -> Iterator[Rows]:
    """``n`` messages (default: one per report) in batches. Beyond the data set the pattern repeats:
    copy ``c`` is shifted by ``SHIFT`` times ``c % tiles``, so ``tiles`` spans of about three years
    each hold ``n / tiles`` messages (every copy its own span when ``tiles`` is None)."""
    total = len(reports) if n is None else n
    pk = first_pk
    out = Rows([], [], [], [])
    for i in range(total):
        report, copy = reports[i % len(reports)], i // len(reports)
        shift = SHIFT * (copy if tiles is None else copy % tiles)
        arrived = arrival(report, copy) + shift
        resolved = resolution(report, arrival(report, copy))
        domain, kind = CATEGORIES.get(report.category, ("general", "intervention"))
        header = f"<municipium-{report.id}-{copy}@segnalazioni.comune.alessandria.it>"
        subject = f"Segnalazione {report.id}: {report.category or 'senza categoria'}"
        raw = (f"Message-ID: {header}\r\nSubject: {subject}\r\nFrom: app-municipium@comune.alessandria.it\r\n\r\n"
               f"Segnalazione dall'app Municipium, stato: {report.state}.\r\n").encode()
        out.messages.append({"id": pk, "message_id_header": header, "sha256": hashlib.sha256(raw).hexdigest(), "raw": raw,
                             "size": len(raw), "received_at": arrived, "kind": "email", "status": MessageStatus.CLASSIFIED,
                             "subject": subject, "sender": "app-municipium@comune.alessandria.it", "needs_operator": False,
                             "attempts": 1, "updated_at": arrived, "domain": domain,
                             "resolved_at": resolved + shift if resolved else None})
        out.sightings.append({"id": pk, "message_pk": pk, "mailbox": MAILBOX, "folder": FOLDER, "uidvalidity": 0,
                              "uid": f"{report.id}-{copy}", "seen_at": arrived, "acknowledged": True})
        out.classifications.append({"id": pk, "message_pk": pk, "type": kind, "type_confidence": 1.0, "urgency": "normal",
                                    "urgency_confidence": 1.0, "probabilities": {}, "needs_review": False,
                                    "explanation": {"type": [], "urgency": [], "rules": [f"categoria: {report.category}"]},
                                    "entities": {}, "model_version": "municipium-categoria", "created_at": arrived})
        if router is not None:
            decision = router.decide(arrived, type=kind, urgency="normal", mailbox=MAILBOX, domain=domain)
            out.routings.append({"id": pk, "message_pk": pk, "classification_pk": pk, "rule": decision.rule,
                                 "destination": decision.destination, "deadline": decision.deadline, "created_at": arrived})
        pk += 1
        if len(out.messages) >= batch:
            yield out
            out = Rows([], [], [], [])
    if out.messages:
        yield out


def load(sessions: Sessions, folder: Path, n: int | None = None, router: Router | None = None,
         tiles: int | None = None) -> int:
    """Insert ``n`` messages from the reports in ``folder`` (all of them once by default); returns how many.

    The planner's statistics are refreshed after (``ANALYZE``): a bulk load would otherwise leave
    PostgreSQL planning the report's queries for empty tables."""
    reports = read_reports(folder)
    with sessions() as s:
        first = max(int(s.scalar(select(func.max(t.id))) or 0) for t in (StoredMessage, Sighting, Classification, Routing)) + 1
    count = 0
    for chunk in rows(reports, first, n, router, tiles):
        with sessions.begin() as s:
            # Core inserts: one executemany per table and batch (the ORM's bulk path issued a statement per few rows)
            s.connection().execute(insert(StoredMessage), chunk.messages)
            s.connection().execute(insert(Sighting), chunk.sightings)
            s.connection().execute(insert(Classification), chunk.classifications)
            if chunk.routings:
                s.connection().execute(insert(Routing), chunk.routings)
        count += len(chunk.messages)
    with sessions.begin() as s:  # ids were given explicitly: PostgreSQL's sequences must move past them
        if s.get_bind().dialect.name == "postgresql":
            for table in ("messages", "sightings", "classifications", "routings"):
                s.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
    with sessions.begin() as s:
        s.execute(text("ANALYZE"))
    return count
