"""The outbox dispatcher: delivers each routed classification to the routing API (and each
emergency to the on-call endpoint) at least once.

Exceptions::

    DeliveryError            a delivery attempt failed
    +-- RetryableDelivery    timeout, connection error, 408, 429, 5xx: tried again with backoff
    +-- PermanentDelivery    any other 4xx: goes to the dead-letter list with its reason

Items are claimed with a lease (``next_attempt_at`` pushed forward) in a short transaction, with
``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL so that several dispatchers never take the
same item; the HTTP call happens outside any transaction, so a slow receiver never blocks the
store. A dispatcher that dies mid-delivery leaves the lease to expire and the item is sent
again: receivers deduplicate on the ``Idempotency-Key`` header (the message id).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

import httpx
from sqlalchemy import select

from triage.db import Sessions
from triage.models import OutboxItem, OutboxStatus, utcnow
from triage.queries import pending_deliveries

log = logging.getLogger(__name__)
RETRY_STATUS = {408, 429}


class Attempt(StrEnum):
    """How one delivery attempt ended (the dispatcher's counters are named after these)."""

    DELIVERED = "delivered"
    RETRIED = "retried"
    DEAD = "dead"


class DeliveryError(Exception):
    pass


class RetryableDelivery(DeliveryError):
    pass


class PermanentDelivery(DeliveryError):
    pass


def signature(secret: bytes, body: bytes) -> str:
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


@dataclass
class Dispatcher:
    sessions: Sessions
    client: httpx.Client
    urls: dict[str, str]              # target -> URL: "routing", "oncall"
    secret: bytes
    max_attempts: int = 8
    base_backoff: float = 1.0
    max_backoff: float = 300.0
    lease: float = 60.0
    batch: int = 200
    concurrency: int = 8              # deliveries in flight at once
    counters: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Attempt, 0))
    name: str = "dispatcher"

    def __repr__(self) -> str:
        return f"<Dispatcher {self.counters}>"

    def claim(self) -> list[OutboxItem]:
        now = utcnow()
        with self.sessions.begin() as s:
            query = (select(OutboxItem).where(OutboxItem.status == OutboxStatus.PENDING, OutboxItem.next_attempt_at <= now)
                     .order_by(OutboxItem.id).limit(self.batch))
            if s.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            items = list(s.scalars(query))
            for item in items:
                item.next_attempt_at = now + timedelta(seconds=self.lease)
            return items

    def send(self, item: OutboxItem) -> None:
        url = self.urls.get(item.target)
        if not url:
            raise PermanentDelivery(f"no URL configured for target '{item.target}'")
        body = json.dumps(item.payload, ensure_ascii=False, sort_keys=True, default=str).encode()
        headers = {"Content-Type": "application/json", "Idempotency-Key": item.idempotency_key,
                   "X-Smista-Signature": signature(self.secret, body)}
        try:
            response = self.client.post(url, content=body, headers=headers)
        except httpx.TimeoutException as exc:
            raise RetryableDelivery(f"timeout: {exc!r}") from exc
        except httpx.TransportError as exc:
            raise RetryableDelivery(f"connection error: {exc!r}") from exc
        if response.is_success:
            return
        reason = f"HTTP {response.status_code}: {response.text[:300]}"
        if response.status_code in RETRY_STATUS or response.status_code >= 500:
            raise RetryableDelivery(reason)
        raise PermanentDelivery(reason)

    def backoff(self, attempts: int) -> float:
        return min(self.max_backoff, self.base_backoff * 2 ** (attempts - 1)) * random.uniform(0.5, 1.0)

    def attempt(self, item: OutboxItem) -> tuple[Attempt, str | None]:
        """One delivery and, unless delivered, the reason."""
        try:
            self.send(item)
        except RetryableDelivery as exc:
            return Attempt.RETRIED, str(exc)
        except PermanentDelivery as exc:
            return Attempt.DEAD, str(exc)
        return Attempt.DELIVERED, None

    def run_once(self) -> int:
        """Deliver what is due; returns how many items were attempted.

        The claimed batch is sent by a few threads at once (a slow receiver answers them in
        parallel) and the outcomes are written in one transaction: should the process die before
        that, the leases expire and the batch is sent again under the same idempotency keys."""
        items = self.claim()
        if not items:
            return 0
        with ThreadPoolExecutor(min(self.concurrency, len(items)), thread_name_prefix="outbox") as pool:
            outcomes = list(pool.map(self.attempt, items))
        with self.sessions.begin() as s:
            rows = {r.id: r for r in s.scalars(select(OutboxItem).where(OutboxItem.id.in_([i.id for i in items])))}
            for item, (outcome, error) in zip(items, outcomes):
                row = rows[item.id]
                row.attempts += 1
                row.last_error = error
                if outcome == Attempt.DELIVERED:
                    row.status, row.delivered_at = OutboxStatus.DELIVERED, utcnow()
                elif outcome == Attempt.RETRIED and row.attempts < self.max_attempts:
                    row.next_attempt_at = utcnow() + timedelta(seconds=self.backoff(row.attempts))
                else:
                    row.status = OutboxStatus.DEAD
                    row.last_error = f"{error} (after {row.attempts} attempts)" if outcome == Attempt.RETRIED else error
                    outcome = Attempt.DEAD
                self.counters[outcome] += 1
                if outcome != Attempt.DELIVERED:
                    log.warning("outbox %s to %s: %s", item.id, item.target, error)
        return len(items)

    def run_forever(self, stop: threading.Event, idle: float = 0.2) -> None:
        """Deliver until ``stop`` is set; a database hiccup pauses delivery, never ends it."""
        while not stop.is_set():
            try:
                if self.run_once() == 0:
                    stop.wait(idle)
            except Exception:  # noqa: BLE001 - logged, and tried again a second later
                log.exception("dispatcher round failed")
                stop.wait(1.0)

    def drain(self, timeout: float, idle: float = 0.05) -> None:
        """Run until nothing is pending or ``timeout`` seconds have passed (tests, ``dispatch --once``)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.run_once() == 0:
                if not pending_deliveries(self.sessions):
                    return
                time.sleep(idle)
