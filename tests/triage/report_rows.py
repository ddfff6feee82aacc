"""Random but seeded store contents for the report tests, and the same figures counted in Python.

The rows cross the period's edges and the daylight-saving change of 29 March 2026, and hold
every case the report distinguishes: several classifications and corrections of a message, a
message seen in two mailboxes, failed messages, PEC receipts, anomalies and signatures, routings
resolved in time, late or not at all, on-call deliveries delivered, pending and dead."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from triage.db import Sessions
from triage.models import (Classification, Correction, OutboxItem, PecRecord, Routing, Sighting, StoredMessage)

ROME = ZoneInfo("Europe/Rome")
TYPES = ("intervention", "status", "clarification", "reminder", "complaint", "other")
URGENCIES = ("emergency", "high", "normal", "low")
MAILBOXES = ("contact", "pec", "api")
DOMAINS = {"contact": "lighting", "pec": "buildings"}  # what the Settings say of each mailbox
START = datetime(2026, 3, 18, tzinfo=timezone.utc)


@dataclass
class Truth:
    """One message as the test wrote it, with what the report must derive from it."""

    pk: int
    received_at: datetime
    kind: str
    status: str
    mailbox: str
    own_domain: str | None
    resolved_at: datetime | None
    model: tuple[str, str, bool] | None           # latest classification: type, urgency, needs_review
    final: tuple[str, str] | None
    corrected: bool
    routing: tuple[str, datetime, datetime] | None  # latest: destination, deadline; first: created_at (3rd)
    oncall: list[tuple[str, datetime | None]] = field(default_factory=list)
    receipt_type: str | None = None
    signed: bool = False
    verified: bool | None = None

    @property
    def channel(self) -> str:
        return "pec" if self.kind.startswith("pec") else "portal" if self.mailbox == "api" else "email"

    @property
    def domain(self) -> str | None:
        return self.own_domain or DOMAINS.get(self.mailbox)

    @property
    def local(self) -> datetime:
        return self.received_at.astimezone(ROME)


def fill(sessions: Sessions, n: int = 400, seed: int = 7) -> list[Truth]:
    rnd = random.Random(seed)
    truths: list[Truth] = []
    with sessions.begin() as s:
        for i in range(n):
            received = START + timedelta(seconds=rnd.randrange(0, 26 * 86400))
            kind = rnd.choice(["email"] * 6 + ["pec"] * 2 + ["pec-anomaly", "pec-receipt"])
            status = "receipt" if kind == "pec-receipt" else rnd.choice(["classified"] * 9 + ["failed"])
            resolved = received + timedelta(hours=rnd.uniform(0.1, 200)) if rnd.random() < 0.6 else None
            own = rnd.choice([None, None, "roads"])
            m = StoredMessage(message_id_header=f"<r{i}@t>", sha256=f"{i:064d}", raw=b"x", size=1, received_at=received,
                              kind=kind, status=status, resolved_at=resolved, domain=own)
            s.add(m)
            s.flush()
            boxes = rnd.sample(MAILBOXES, rnd.choice([1, 1, 1, 2]))
            for j, box in enumerate(boxes):
                s.add(Sighting(message_pk=m.id, mailbox=box, folder="INBOX", uidvalidity=1, uid=f"{i}-{j}"))
            truth = Truth(m.id, received, kind, status, boxes[0], own, resolved, None, None, False, None)
            if status == "receipt":
                s.add(Classification(message_pk=m.id, type="other", type_confidence=1, urgency="low", urgency_confidence=1,
                                     probabilities={}, needs_review=False, explanation={}, entities={},
                                     model_version="rule:pec-receipt"))
            elif status == "classified":
                for _ in range(rnd.choice([1, 1, 2])):
                    c = Classification(message_pk=m.id, type=rnd.choice(TYPES), type_confidence=0.5,
                                       urgency=rnd.choice(URGENCIES), urgency_confidence=0.5, probabilities={},
                                       needs_review=rnd.random() < 0.3, explanation={}, entities={}, model_version="t")
                    s.add(c)
                    s.flush()
                truth.model = (c.type, c.urgency, c.needs_review)
                truth.final = (c.type, c.urgency)
                for _ in range(rnd.choice([0, 0, 0, 1, 2])):
                    k = Correction(message_pk=m.id, operator="op", type=rnd.choice(TYPES), urgency=rnd.choice(URGENCIES))
                    s.add(k)
                    s.flush()
                    truth.final, truth.corrected = (k.type, k.urgency), True
                first_created = None
                for _ in range(rnd.choice([0, 1, 1, 2])):
                    created = received + timedelta(seconds=rnd.uniform(1, 30000))
                    first_created = first_created or created
                    r = Routing(message_pk=m.id, classification_pk=c.id, rule="r", destination=rnd.choice(["a", "b", "c"]),
                                deadline=received + timedelta(hours=rnd.uniform(1, 100)), created_at=created)
                    s.add(r)
                    s.flush()
                    truth.routing = (r.destination, r.deadline, first_created)
                if c.urgency == "emergency" and rnd.random() < 0.8:
                    state = rnd.choice(["delivered", "delivered", "pending", "dead"])
                    at = received + timedelta(seconds=rnd.uniform(1, 9000)) if state == "delivered" else None
                    s.add(OutboxItem(message_pk=m.id, target="oncall", idempotency_key=f"{m.id}-oncall", payload={},
                                     status=state, delivered_at=at))
                    truth.oncall.append((state, at))
            if kind.startswith("pec"):
                truth.receipt_type = rnd.choice(["accettazione", "avvenuta-consegna", None]) if kind == "pec-receipt" else None
                truth.signed = rnd.random() < 0.7
                truth.verified = rnd.choice([True, True, False, None]) if truth.signed else None
                s.add(PecRecord(message_pk=m.id, kind=kind, receipt_type=truth.receipt_type, daticert={}, segnatura={},
                                has_signature=truth.signed, signature_verified=truth.verified))
            truths.append(truth)
    return truths


def in_period(truths: list[Truth], start: date, end: date, requests: bool = True) -> list[Truth]:
    lo = datetime.combine(start, datetime.min.time(), ROME)
    hi = datetime.combine(end, datetime.min.time(), ROME)
    return [t for t in truths if lo <= t.received_at < hi and (not requests or t.status != "receipt")]


def counter(values: list) -> Counter:
    return Counter(values)
