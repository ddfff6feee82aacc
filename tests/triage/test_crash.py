"""A poller killed with SIGKILL at each step, restarted on the same mailbox, ends with every
message stored exactly once and acknowledged on the server."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.servers.dovecot import PASSWORD
from tests.triage.helpers import append, imap, mail
from triage.db import open_store
from triage.models import Classification, Sighting, StoredMessage

SMISTA = shutil.which("smista", path=str(Path(sys.executable).parent)) or "smista"
POINTS = ["after_fetch", "after_store", "after_classify", "before_ack"]


PROJECT = Path(__file__).resolve().parents[2]


def poll(env: dict, kill_at: str | None = None) -> subprocess.CompletedProcess:
    """``smista poll --once``, or the same poll with the hook that kills it at ``kill_at``."""
    command = [sys.executable, "-m", "tests.triage.crashing_poll", kill_at] if kill_at else [SMISTA, "poll", "--once"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, cwd=PROJECT)


@pytest.mark.parametrize("point", POINTS)
def test_sigkill_then_restart_stores_each_message_once(point, dovecot, trained, tmp_path):
    append(dovecot.port, [mail(i) for i in range(6)])
    db = f"sqlite:///{tmp_path / 'smista.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMISTA_")}
    env.update(SMISTA_DATABASE_URL=db, SMISTA_MODELS_DIR=str(trained.directory.parent), DOVECOT_PW=PASSWORD,
               SMISTA_POLL_LEASE_SECONDS="1",
               SMISTA_MAILBOXES=json.dumps([{"name": "contact", "url": f"imap://contact@127.0.0.1:{dovecot.port}/INBOX",
                                             "password_env": "DOVECOT_PW", "batch_size": 4}]))
    killed = poll(env, kill_at=point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    time.sleep(1.1)  # the killed poller's lease on the folder expires
    finished = poll(env)
    assert finished.returncode == 0, finished.stderr
    store = open_store(db)
    with store() as s:
        assert s.scalar(select(func.count()).select_from(StoredMessage)) == 6
        assert s.scalar(select(func.count()).select_from(Classification)) == 6
        assert s.scalar(select(func.count()).select_from(Sighting)) == 6
        assert all(s.scalars(select(Sighting.acknowledged)))
    client = imap(dovecot.port)
    client.select_folder("INBOX")
    assert all(b"$Smistato" in f for f in client.get_flags(client.search()).values())
    client.logout()
