"""Several pollers on one PostgreSQL and one Dovecot share the mailbox without doubling the work;
one killed with SIGKILL mid-batch is taken over by another within a lease period, with nothing
lost or repeated."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from tests.servers.dovecot import PASSWORD
from tests.triage.helpers import append, imap, mail
from triage.db import open_store
from triage.models import Classification, Lease, Sighting, StoredMessage

SMISTA = shutil.which("smista", path=str(Path(sys.executable).parent)) or "smista"
PROJECT = Path(__file__).resolve().parents[2]


def environment(dovecot, trained, database: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMISTA_")}
    env.update(SMISTA_DATABASE_URL=database, SMISTA_MODELS_DIR=str(trained.directory.parent), DOVECOT_PW=PASSWORD,
               SMISTA_POLL_LEASE_SECONDS="3",
               SMISTA_MAILBOXES=json.dumps([{"name": "contact", "url": f"imap://contact@127.0.0.1:{dovecot.port}/INBOX",
                                             "password_env": "DOVECOT_PW", "batch_size": 4, "poll_interval": 1}]))
    return env


def counts(database: str) -> tuple[int, int, int, int]:
    with open_store(database)() as s:
        return (s.scalar(select(func.count()).select_from(StoredMessage)),
                s.scalar(select(func.count()).select_from(Classification)),
                s.scalar(select(func.count()).select_from(Sighting)),
                s.scalar(select(func.count()).select_from(Sighting).where(Sighting.acknowledged.is_(True))))


def flagged(port: int) -> int:
    client = imap(port)
    client.select_folder("INBOX")
    n = sum(b"$Smistato" in f for f in client.get_flags(client.search()).values())
    client.logout()
    return n


def test_two_pollers_at_once_handle_each_message_once(dovecot, trained, postgres_db):
    append(dovecot.port, [mail(i) for i in range(24)])
    env = environment(dovecot, trained, postgres_db)
    workers = [subprocess.Popen([SMISTA, "poll", "--once"], env=env, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [w.communicate(timeout=300)[1] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    finished = subprocess.run([SMISTA, "poll", "--once"], env=env, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert counts(postgres_db) == (24, 24, 24, 24)
    assert flagged(dovecot.port) == 24


def test_a_poller_killed_mid_batch_is_taken_over_within_a_lease(dovecot, trained, postgres_db):
    append(dovecot.port, [mail(i) for i in range(12)])
    env = environment(dovecot, trained, postgres_db)
    killed = subprocess.run([sys.executable, "-m", "tests.triage.crashing_poll", "after_store"], env=env, cwd=PROJECT,
                            capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    with open_store(postgres_db)() as s:  # the dead worker still holds the folder
        lease = s.get(Lease, ("contact", "INBOX"))
        assert lease is not None and lease.holder and lease.expires_at.timestamp() > time.time() - 3
    survivor = subprocess.Popen([SMISTA, "poll"], env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 120
        while time.time() < deadline and counts(postgres_db) != (12, 12, 12, 12):
            time.sleep(0.5)
    finally:
        survivor.send_signal(signal.SIGTERM)
        _, stderr = survivor.communicate(timeout=120)
    assert survivor.returncode == 0, stderr
    assert counts(postgres_db) == (12, 12, 12, 12)  # nothing lost, nothing classified twice
    assert flagged(dovecot.port) == 12
