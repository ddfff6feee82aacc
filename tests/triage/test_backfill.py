"""``smista backfill``: every file of an archive stored and classified once on several processes,
the archive untouched, and a run killed midway resumed with nothing lost or repeated."""

from __future__ import annotations

import hashlib
import mailbox
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from tests.triage.helpers import mail
from triage.db import open_store
from triage.models import Classification, MessageStatus, Sighting, StoredMessage

SMISTA = shutil.which("smista", path=str(Path(sys.executable).parent)) or "smista"
PROJECT = Path(__file__).resolve().parents[2]


def archive(path: Path, n: int) -> Path:
    """``n`` messages, one of them a second copy of another and one bytes that are no mail at all."""
    box = mailbox.Maildir(path, create=True)
    for i in range(n - 2):
        box.add(mail(i))
    box.add(mail(0))
    box.add(b"\x00\xff garbage, no headers \x00" * 50)
    return path


def files(path: Path) -> dict[str, str]:
    return {str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest() for p in path.rglob("*") if p.is_file()}


def environment(db: str, models: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMISTA_")}
    env.update(SMISTA_DATABASE_URL=db, SMISTA_MODELS_DIR=str(models))
    return env


def backfill(env: dict[str, str], path: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([SMISTA, "backfill", str(path), *options], env=env, capture_output=True, text=True,
                          timeout=600, cwd=PROJECT)


def counts(db: str) -> dict[str, int]:
    with open_store(db)() as s:
        return {"messages": s.scalar(select(func.count()).select_from(StoredMessage)) or 0,
                "sightings": s.scalar(select(func.count()).select_from(Sighting)) or 0,
                "distinct keys": s.scalar(select(func.count(func.distinct(Sighting.uid)))) or 0,
                "classifications": s.scalar(select(func.count()).select_from(Classification)) or 0,
                "classified messages": s.scalar(select(func.count(func.distinct(Classification.message_pk)))) or 0,
                "left stored": s.scalar(select(func.count()).where(StoredMessage.status == MessageStatus.STORED)) or 0,
                "failed": s.scalar(select(func.count()).where(StoredMessage.status == MessageStatus.FAILED)) or 0}


def test_every_file_stored_and_classified_once_on_two_processes_the_archive_untouched(store_url, trained, tmp_path):
    path = archive(tmp_path / "archive", 30)
    before = files(path)
    done = backfill(environment(store_url, trained.directory.parent), path, "--workers", "2", "--batch", "7")
    assert done.returncode == 0, done.stderr
    assert files(path) == before  # names and bytes: nothing moved, flagged or rewritten
    c = counts(store_url)
    assert c["sightings"] == c["distinct keys"] == 30
    assert c["messages"] == 29  # the second copy is a sighting of the first
    assert c["left stored"] == 0 and c["failed"] == 1  # the garbage, with its reason
    assert c["classifications"] == c["classified messages"] == 28
    assert "30/30 (100%)" in done.stderr and "msg/s" in done.stderr and "ETA" in done.stderr
    with open_store(store_url)() as s:
        assert all(s.scalars(select(Sighting.acknowledged)))  # nothing left to mark: polling it later reads nothing again
    again = backfill(environment(store_url, trained.directory.parent), path)
    assert again.returncode == 0, again.stderr
    assert "30 stored before" in again.stderr and counts(store_url) == c


def test_killed_midway_then_run_again_nothing_lost_or_repeated(trained, tmp_path):
    n = 400
    path = archive(tmp_path / "archive", n)
    db = f"sqlite:///{tmp_path / 'smista.db'}"
    env = environment(db, trained.directory.parent)
    run = subprocess.Popen([SMISTA, "backfill", str(path), "--workers", "2", "--batch", "10"], env=env, cwd=PROJECT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.2)
        if Path(tmp_path / "smista.db").exists() and counts(db)["sightings"] >= 60:
            break
    assert run.poll() is None, "the backfill ended before it could be killed midway"
    os.killpg(run.pid, signal.SIGKILL)  # the parent and its workers, mid-batch
    run.wait()
    midway = counts(db)
    assert 60 <= midway["sightings"] < n
    resumed = backfill(env, path, "--workers", "2", "--batch", "10")
    assert resumed.returncode == 0, resumed.stderr
    assert f"{midway['sightings']} stored before" in resumed.stderr
    c = counts(db)
    assert c["sightings"] == c["distinct keys"] == n and c["messages"] == n - 1
    assert c["left stored"] == 0 and c["failed"] == 1
    assert c["classifications"] == c["classified messages"] == n - 2


def test_not_a_maildir_is_a_clear_error(trained, tmp_path):
    done = backfill(environment(f"sqlite:///{tmp_path / 'smista.db'}", trained.directory.parent), tmp_path / "nowhere")
    assert done.returncode == 2 and "is not a Maildir" in done.stderr and "Traceback" not in done.stderr
