"""The poller against a real Dovecot on loopback."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from inbox.config import MailboxSettings
from tests.servers.dovecot import PASSWORD
from tests.triage.helpers import append, imap, mail, pec_mail, receipt_mail
from triage.pipeline import Pipeline
from triage.poller import Poller
from triage.db import open_store
from triage.models import Checkpoint, Classification, Sighting, StoredMessage


@pytest.fixture
def store(tmp_path):
    return open_store(f"sqlite:///{tmp_path / 'smista.db'}")


def mailbox(port: int, user: str = "contact", **kw) -> MailboxSettings:
    return MailboxSettings(name=kw.pop("name", user), url=f"imap://{user}@127.0.0.1:{port}/INBOX", password_env="DOVECOT_PW",
                           **kw)


@pytest.fixture(autouse=True)
def _password(monkeypatch):
    monkeypatch.setenv("DOVECOT_PW", PASSWORD)


def poller(store, classifier, *mailboxes, **kw) -> Poller:
    return Poller(list(mailboxes), Pipeline(store, classifier), store, max_backoff=0.5, **kw)


def count(store, model) -> int:
    with store() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_messages_are_stored_classified_and_flagged(dovecot, store, classifier):
    append(dovecot.port, [mail(i) for i in range(5)] + [pec_mail(1), receipt_mail("<msg1@test.smista>"), b"\x00garbage"])
    report = poller(store, classifier, mailbox(dovecot.port)).run_once()["contact"]
    assert (report.fetched, report.stored, report.error) == (8, 8, None)
    with store() as s:
        messages = {m.message_id_header: m for m in s.scalars(select(StoredMessage))}
        assert messages["<msg1@test.smista>"].classification.urgency == "emergency"
        assert messages["<msg2@test.smista>"].classification.type == "complaint"
        envelope = next(m for m in messages.values() if m.kind == "pec")
        assert envelope.subject == "Palo pericolante" and envelope.classification.type == "intervention"
        assert envelope.pec.daticert["mittente"] == "ufficio1@pec.comune.it"
        receipt = next(m for m in messages.values() if m.kind == "pec-receipt")
        assert receipt.status == "receipt" and receipt.classification.type == "other"
        assert receipt.pec.refers_to_pk == messages["<msg1@test.smista>"].id
        failed = [m for m in messages.values() if m.status == "failed"]
        assert len(failed) == 1 and failed[0].failure_reason and failed[0].raw.endswith(b"garbage")
    client = imap(dovecot.port)
    client.select_folder("INBOX")
    flags = client.get_flags(client.search())
    assert all(b"$Smistato" in f and b"\\Seen" not in f for f in flags.values())  # BODY.PEEK: not marked read
    client.logout()
    again = poller(store, classifier, mailbox(dovecot.port)).run_once()["contact"]
    assert again.fetched == 0 and count(store, StoredMessage) == 8


def test_move_after_classification(dovecot, store, classifier):
    append(dovecot.port, [mail(i) for i in range(3)])
    poller(store, classifier, mailbox(dovecot.port, mark="move")).run_once()
    client = imap(dovecot.port)
    assert client.select_folder("INBOX")[b"EXISTS"] == 0 and client.select_folder("Smistati")[b"EXISTS"] == 3
    client.logout()


def test_same_message_in_two_mailboxes_is_stored_once(dovecot, store, classifier):
    raw = mail(7)
    append(dovecot.port, [raw], "contact")
    append(dovecot.port, [raw.replace(b"From:", b"Delivered-To: pec@x.it\r\nFrom:", 1)], "pec")
    poller(store, classifier, mailbox(dovecot.port, "contact"), mailbox(dovecot.port, "pec")).run_once()
    assert count(store, StoredMessage) == 1
    with store() as s:
        assert sorted(s.scalars(select(Sighting.mailbox))) == ["contact", "pec"]


def test_uidvalidity_change_does_not_duplicate(dovecot, store, classifier):
    append(dovecot.port, [mail(i) for i in range(3)])
    p = poller(store, classifier, mailbox(dovecot.port, mark="none"))
    p.run_once()
    dovecot.stop()
    time.sleep(1.1)  # UIDVALIDITY is a timestamp: make sure the new one differs
    for f in dovecot.maildir("contact").glob("dovecot*"):  # uidlist and indexes: a new UIDVALIDITY
        f.unlink()
    dovecot.start()
    report = p.run_once()["contact"]
    assert report.fetched == 3 and report.stored == 0 and report.duplicates == 3
    assert count(store, StoredMessage) == 3 and count(store, Classification) == 3
    with store() as s:
        assert len(set(s.scalars(select(Sighting.uidvalidity)))) == 2


def test_dovecot_restart_mid_run_is_survived(dovecot, store, classifier):
    append(dovecot.port, [mail(i) for i in range(6)])
    restarted = []

    def fault(point: str) -> None:
        if point == "before_ack" and not restarted:
            restarted.append(True)
            dovecot.restart()
    report = poller(store, classifier, mailbox(dovecot.port, batch_size=2), fault=fault).run_once()["contact"]
    assert restarted and report.error is None
    assert count(store, StoredMessage) == 6 and count(store, Classification) == 6
    client = imap(dovecot.port)
    client.select_folder("INBOX")
    assert all(b"$Smistato" in f for f in client.get_flags(client.search()).values())
    client.logout()


def test_a_failing_mailbox_does_not_stop_the_others(dovecot, store, classifier, monkeypatch):
    append(dovecot.port, [mail(1)])
    monkeypatch.setenv("WRONG_PW", "nope")
    bad = MailboxSettings(name="bad", url=f"imap://contact@127.0.0.1:{dovecot.port}/INBOX", password_env="WRONG_PW")
    down = MailboxSettings(name="down", url="imap://x@127.0.0.1:1/INBOX", password_env="WRONG_PW", timeout=2)
    reports = poller(store, classifier, bad, down, mailbox(dovecot.port), attempts=2).run_once()
    assert reports["contact"].stored == 1 and reports["contact"].error is None
    assert "LoginError" in reports["bad"].error or "authentication" in reports["bad"].error.lower()
    assert reports["down"].error
    with store() as s:
        assert s.get(Checkpoint, ("bad", "INBOX")).status == "failing"
        assert s.get(Checkpoint, ("contact", "INBOX")).status == "ok"
    assert "nope" not in reports["bad"].error


def test_idle_picks_up_a_message_appended_while_waiting(dovecot, store, classifier):
    p = poller(store, classifier, mailbox(dovecot.port))
    stop = threading.Event()
    thread = threading.Thread(target=p.run_forever, args=(stop, 30.0), daemon=True)
    thread.start()
    time.sleep(1.5)
    append(dovecot.port, [mail(3)])
    deadline = time.time() + 20
    while time.time() < deadline and count(store, Classification) < 1:
        time.sleep(0.2)
    stop.set()
    assert count(store, Classification) == 1
    thread.join(timeout=15)
