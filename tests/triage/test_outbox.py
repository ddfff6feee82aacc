"""Every classification reaches the routing API at least once through the outbox, against a
real HTTP receiver that fails in every way a test can script."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import select

from tests.servers.dovecot import free_port
from tests.servers.receiver import Receiver
from tests.triage.helpers import mail
from triage.deadletters import replay
from triage.outbox import Dispatcher
from triage.queries import dead_letters
from triage.pipeline import Pipeline
from triage.routing import Router
from triage.db import open_store
from triage.models import OutboxItem, Routing

PROJECT = Path(__file__).resolve().parents[2]
SECRET = b"test-secret"
GAS = "C'è un forte odore di gas nella centrale termica della scuola, venite subito"


def script(path: str, payload: dict, attempt: int) -> str:
    """Messages 3 and 7 are refused for good; the others fail in turn before succeeding."""
    n = int(payload["message_id_header"].strip("<>").split("@")[0].removeprefix("msg"))
    if path == "/route" and n in (3, 7):
        return "400"
    if attempt == 1:
        return ["500", "hang", "close", "429", "ok"][n % 5]
    return "ok"


def test_at_least_once_delivery_with_dead_letters_and_oncall(tmp_path, classifier):
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    pipeline = Pipeline(store, classifier, router=Router.load(PROJECT / "routing.toml"), oncall=True)
    outcomes = [pipeline.ingest(mail(i, body=GAS if i in (4, 9) else None), "contact", "INBOX", 1, str(i)) for i in range(12)]
    with store() as s:
        routings = {r.message_pk: r for r in s.scalars(select(Routing))}
        emergencies = {pk for pk, r in routings.items() if r.destination == "pronto-intervento"}
        assert {outcomes[4].pk, outcomes[9].pk} <= emergencies and len(routings) == 12
        assert len(s.scalars(select(OutboxItem)).all()) == 12 + len(emergencies)  # on-call too for emergencies

    port = free_port()
    receiver = Receiver(SECRET, script, port=port)
    dispatcher = Dispatcher(store, httpx.Client(timeout=0.5), {"routing": f"http://127.0.0.1:{port}/route",
                                                               "oncall": f"http://127.0.0.1:{port}/oncall"},
                            SECRET, base_backoff=0.05, max_backoff=0.3, max_attempts=20)
    dispatcher.run_once()  # the receiver is down: every item is retried later
    assert receiver.received == []
    threading.Timer(0.5, receiver.start).start()  # ... and comes up a little later
    dispatcher.drain(timeout=60)
    receiver.stop()

    route_keys = receiver.delivered_keys("/route")
    assert route_keys == {str(o.pk) for o in outcomes}  # all of them reached the receiver, the refused ones too
    assert receiver.delivered_keys("/oncall") == {f"{pk}-oncall" for pk in emergencies}
    assert all(r.signature_ok for r in receiver.received)
    bodies: dict[str, set[bytes]] = {}
    for r in receiver.received:
        bodies.setdefault(r.key, set()).add(r.body)
    assert all(len(b) == 1 for b in bodies.values())  # a duplicate is the same delivery under the same key
    dead = dead_letters(store)
    assert sorted(d.message_pk for d in dead) == sorted([outcomes[3].pk, outcomes[7].pk])
    assert all("HTTP 400" in d.last_error for d in dead)
    with store() as s:
        statuses = {i.id: i.status for i in s.scalars(select(OutboxItem))}
    assert list(statuses.values()).count("delivered") == 10 + len(emergencies)

    receiver = Receiver(SECRET, lambda *a: "ok", port=port).start()  # the receiver was fixed: replay
    assert all(replay(store, d.id, "anna") for d in dead)
    dispatcher.drain(timeout=20)
    receiver.stop()
    assert [(d.status, d.attempts, d.last_error) for d in dead_letters(store)] == [] and receiver.delivered_keys("/route") == {str(outcomes[3].pk), str(outcomes[7].pk)}


def test_exhausted_retries_go_to_dead_letters(tmp_path, classifier):
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    Pipeline(store, classifier, router=Router.load(PROJECT / "routing.toml")).ingest(mail(1), "m", "INBOX", 1, "1")
    receiver = Receiver(SECRET, lambda *a: "500").start()
    dispatcher = Dispatcher(store, httpx.Client(timeout=1), {"routing": f"{receiver.url}/route"}, SECRET,
                            base_backoff=0.01, max_backoff=0.02, max_attempts=3)
    started = time.time()
    dispatcher.drain(timeout=20)
    receiver.stop()
    dead = dead_letters(store)
    assert len(dead) == 1 and dead[0].attempts == 3 and "after 3 attempts" in dead[0].last_error
    assert len(receiver.received) == 3 and time.time() - started < 20
