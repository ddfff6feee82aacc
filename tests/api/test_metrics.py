"""Metrics read from the store, on both databases."""

from __future__ import annotations

from datetime import timedelta

from api.metrics import StoreCollector
from triage.db import open_store
from triage.models import Checkpoint, OutboxItem, StoredMessage, utcnow


def test_store_metrics_count_what_waits_and_what_failed(store_url):
    store = open_store(store_url)
    an_hour_ago = utcnow() - timedelta(hours=1)
    with store.begin() as s:
        waiting = StoredMessage(message_id_header="<w@x>", sha256="0" * 64, raw=b"x", size=1, received_at=an_hour_ago)
        done = StoredMessage(message_id_header="<d@x>", sha256="1" * 64, raw=b"x", size=1, status="classified")
        s.add_all([waiting, done])
        s.flush()
        s.add_all([OutboxItem(message_pk=done.id, target="routing", idempotency_key="1", payload={}),
                   OutboxItem(message_pk=done.id, target="oncall", idempotency_key="1", payload={}, status="dead"),
                   Checkpoint(mailbox="pec", folder="INBOX", polled_at=utcnow() - timedelta(minutes=5)),
                   Checkpoint(mailbox="contact", folder="INBOX", status="failing", error="login refused")])
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for family in StoreCollector(store).collect() for s in family.samples}
    assert samples[("smista_messages", (("status", "stored"),))] == 1
    assert samples[("smista_outbox_pending", (("target", "routing"),))] == 1
    assert samples[("smista_outbox_dead", (("target", "oncall"),))] == 1
    assert 295 < samples[("smista_poller_lag_seconds", (("folder", "INBOX"), ("mailbox", "pec")))] < 360
    assert ("smista_poller_lag_seconds", (("folder", "INBOX"), ("mailbox", "contact"))) not in samples  # never read
    assert samples[("smista_poller_failing", (("folder", "INBOX"), ("mailbox", "contact")))] == 1
    assert 3595 < samples[("smista_unprocessed_oldest_seconds", ())] < 3660
