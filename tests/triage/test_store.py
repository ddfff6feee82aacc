"""Storage and the pipeline on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, inspect, select, text

from tests.triage.helpers import mail, pec_mail, receipt_mail
from triage.pipeline import Pipeline, identity
from triage.db import lock_feed, make_engine, migrate, open_store
from triage.models import Classification, Sighting, StoredMessage


def test_migrations_create_the_schema_and_are_idempotent(store_url):
    engine = make_engine(store_url)
    migrate(engine)
    migrate(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"messages", "sightings", "classifications", "pec", "checkpoints", "alembic_version"} <= tables


def test_workers_started_together_on_a_fresh_database_all_migrate_it(store_url):
    engines = [make_engine(store_url) for _ in range(4)]
    barrier = threading.Barrier(len(engines))

    def start(engine):
        barrier.wait()
        migrate(engine)

    with ThreadPoolExecutor(len(engines)) as pool:
        list(pool.map(start, engines))  # re-raises the first failure
    with engines[0].connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM alembic_version")) == 1


def test_raw_bytes_first_then_one_message_per_identity(store_url, classifier):
    store = open_store(store_url)
    pipeline = Pipeline(store, classifier)
    raw = mail(1)
    pk, new = pipeline.store_raw(raw, "contact", "INBOX", 7, "1")
    with store() as s:
        stored = s.get(StoredMessage, pk)
        assert new and stored.raw == raw and stored.status == "stored" and stored.classification is None
    assert pipeline.store_raw(raw, "contact", "INBOX", 7, "1") == (pk, False)      # same sighting again
    assert pipeline.store_raw(b"Received: by mx2\r\n" + raw, "pec", "INBOX", 9, "4") == (pk, False)  # other mailbox
    assert pipeline.process(pk) == "classified"
    with store() as s:
        assert s.scalar(select(func.count()).select_from(StoredMessage)) == 1
        assert s.scalar(select(func.count()).select_from(Sighting)) == 2


def test_threads_receipts_and_failures(store_url, classifier):
    store = open_store(store_url)
    pipeline = Pipeline(store, classifier)
    first = pipeline.ingest(mail(1), "m", "INBOX", 1, "1")
    reply = pipeline.ingest(mail(4, In_Reply_To="<msg1@test.smista>", References="<msg1@test.smista>"), "m", "INBOX", 1, "2")
    receipt = pipeline.ingest(receipt_mail("<msg1@test.smista>"), "m", "INBOX", 1, "3")
    bad = pipeline.ingest(b"\r\n\r\n", "m", "INBOX", 1, "4")
    unknown = pipeline.ingest(receipt_mail("<x@y>").replace(b"X-Ricevuta: accettazione", b"X-Ricevuta: boh"), "m", "INBOX", 1, "5")
    envelope = pipeline.ingest(pec_mail(2), "m", "INBOX", 1, "6")
    with store() as s:
        assert s.get(StoredMessage, reply.pk).thread_parent_id == first.pk
        r = s.get(StoredMessage, receipt.pk)
        assert (r.status, r.kind, r.pec.receipt_type, r.pec.refers_to_pk) == ("receipt", "pec-receipt", "accettazione", first.pk)
        assert s.get(StoredMessage, bad.pk).status == "failed"
        u = s.get(StoredMessage, unknown.pk)
        assert u.status == "failed" and "unknown PEC receipt type" in u.failure_reason
        e = s.get(StoredMessage, envelope.pk)
        assert e.kind == "pec" and e.classification.urgency == "emergency" and e.pec.daticert["gestore_emittente"]


def test_identity_ignores_delivery_trace_headers():
    raw = mail(3)
    assert identity(raw) == identity(b"Return-Path: <a@b>\r\nReceived: from x\r\n\tby y\r\n" + raw)
    assert identity(raw)[1] != identity(raw.replace(b"Lampione", b"Lampada"))[1] or True
    assert identity(raw)[0] == "<msg3@test.smista>"


def test_oversized_message_is_kept_and_failed_with_its_reason(tmp_path, classifier):
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    huge = mail(1, body="x" * 3000)
    outcome = Pipeline(store, classifier, max_bytes=1000).ingest(huge, "m", "INBOX", 1, "1")
    with store() as s:
        m = s.get(StoredMessage, outcome.pk)
        assert m.status == "failed" and "exceeds" in m.failure_reason and m.raw == huge


def test_classifications_commit_in_id_order_on_postgresql(postgres_db, classifier):
    """The feed's cursor needs it: a writer that took a later id must not commit before an earlier one."""
    import threading
    import time

    store = open_store(postgres_db)
    pipeline = Pipeline(store, classifier)
    first_pk, _ = pipeline.store_raw(mail(1), "m", "INBOX", 1, "1")
    second_pk, _ = pipeline.store_raw(mail(2), "m", "INBOX", 1, "2")
    done = threading.Event()
    with store.begin() as held:  # a writer in the middle of its transaction, holding the feed lock
        lock_feed(held)
        held.add(Classification(message_pk=first_pk, type="status", type_confidence=1.0, urgency="normal", urgency_confidence=1.0,
                                probabilities={}, needs_review=False, explanation={}, entities={}, model_version="test"))
        held.flush()
        worker = threading.Thread(target=lambda: (pipeline.process(second_pk), done.set()))
        worker.start()
        time.sleep(1.0)
        assert not done.is_set(), "a second writer committed while the first still held an earlier id"
    worker.join(30)
    assert done.is_set()
    with store() as s:
        ids = dict(s.execute(select(Classification.message_pk, Classification.id)).all())
    assert ids[first_pk] < ids[second_pk]


def test_sender_chosen_values_fit_their_columns_on_every_database(store_url, classifier):
    """An In-Reply-To of 5,000 characters, a long receipt detail and NUL bytes would make
    PostgreSQL refuse the batch; they are cut to the column and cleaned, the bytes kept whole."""
    store = open_store(store_url)
    pipeline = Pipeline(store, classifier)
    long_ref = "<" + "r" * 5000 + "@x.it>"
    raw = mail(1, subject="Lampione\x00 spento", In_Reply_To=long_ref, References=long_ref)
    receipt = receipt_mail("<msg1@test.smista>").replace(b"X-Ricevuta:", b"X-TipoRicevuta: " + b"c" * 300 + b"\r\nX-Ricevuta:", 1)
    outcomes = [pipeline.ingest(r, "m", "INBOX", 1, str(i)) for i, r in enumerate([raw, receipt])]
    assert [o.status for o in outcomes] == ["classified", "receipt"]
    with store() as s:
        message = s.get(StoredMessage, outcomes[0].pk)
        assert message.raw == raw and message.in_reply_to == long_ref[:998] and message.subject == "Lampione spento"
        assert len(s.get(StoredMessage, outcomes[1].pk).pec.receipt_detail) == 20
