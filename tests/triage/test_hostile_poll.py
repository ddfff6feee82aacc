"""The whole hostile corpus through the commands a user runs: ``smista poll --once`` on a Maildir
of it, and ``smista classify`` on the same Maildir. Nothing crashes, every message ends
classified, a receipt, or failed with its reason, and not one byte of the originals changes."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.data.hostile import corpus

SMISTA = shutil.which("smista", path=str(Path(sys.executable).parent)) or "smista"
PROJECT = Path(__file__).resolve().parents[2]
DONE = {"classified", "receipt", "failed"}
#: The reason of a failure that is a bug caught by a catch-all rather than a refusal (ParseError
#: and UnknownReceipt give their own words): "KeyError: ...", "classification failed: ...".
BUG = re.compile(r"(classification failed: )?[A-Za-z_.]*(Error|Exception)\b: ")
REFUSED = re.compile(r"cannot parse message: (ParseError|UnknownReceipt): ")  # smista classify's words for a refusal

pytestmark = pytest.mark.slow


def build_maildir(root: Path, cases: list[corpus.Case]) -> dict[str, str]:
    """A Maildir with one file per case in ``new/``; returns file name -> case id."""
    for sub in ("new", "cur", "tmp"):
        (root / sub).mkdir(parents=True)
    names = {}
    for i, case in enumerate(cases):
        name = f"{i:04d}.{re.sub(r'[^A-Za-z0-9_-]+', '_', case.id)[-80:]}"
        (root / "new" / name).write_bytes(case.data())
        names[name] = case.id
    return names


def digests(root: Path) -> dict[str, str]:
    """sha256 of every message, keyed by its unique name: an acknowledgement may move a file from
    new/ to cur/ and add flags after ':2,', never change it."""
    found = {}
    for sub in ("new", "cur"):
        for path in (root / sub).iterdir():
            found[path.name.split(":", 1)[0]] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def run(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([SMISTA, *args], env=env, capture_output=True, text=True, timeout=900, cwd=cwd)


@pytest.fixture(scope="module")
def hostile_maildir(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("hostile") / "maildir"
    return root, build_maildir(root, corpus.everything())


def environment(tmp_path: Path, models: Path, maildir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMISTA_")}
    env.update(SMISTA_PROJECT_DIR=str(tmp_path), SMISTA_MODELS_DIR=str(models),
               SMISTA_DATABASE_URL=f"sqlite:///{tmp_path / 'smista.db'}",
               SMISTA_MAILBOXES=json.dumps([{"name": "hostile", "url": f"maildir://{maildir}", "mark": "flag",
                                             "batch_size": 50}]))
    return env


def test_poll_once_ends_every_message_and_never_changes_a_byte(trained, hostile_maildir, tmp_path):
    maildir, names = hostile_maildir
    before = digests(maildir)
    proc = run("poll", "--once", env=environment(tmp_path, trained.directory.parent, maildir), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-5000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-5000:]
    assert digests(maildir) == before
    with sqlite3.connect(tmp_path / "smista.db") as db:
        rows = db.execute("SELECT id, status, failure_reason FROM messages").fetchall()
        sighted = {uid.split(":", 1)[0] for (uid,) in db.execute("SELECT uid FROM sightings")}
    assert sighted == set(names)  # every file was seen (identical copies are one stored message)
    unfinished = [(pk, status) for pk, status, _ in rows if status not in DONE]
    assert not unfinished, unfinished
    reasons = [reason for _, status, reason in rows if status == "failed"]
    assert all(reasons)
    bugs = [r for r in reasons if BUG.match(r)]  # a catch-all caught it: an exception, not a refusal
    assert not bugs, bugs
    assert {status for _, status, _ in rows} >= {"classified", "failed"}
    assert sum(status == "classified" for _, status, _ in rows) > len(rows) // 2


def test_classify_prints_one_line_per_message_and_never_a_traceback(trained, hostile_maildir, tmp_path):
    maildir, names = hostile_maildir
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMISTA_")}
    env.update(SMISTA_MODELS_DIR=str(trained.directory.parent), SMISTA_PROJECT_DIR=str(tmp_path))
    proc = run("classify", str(maildir), env=env, cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr[-5000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-5000:]
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert sorted(line["id"].split(":", 1)[0] for line in lines) == sorted(names)
    for line in lines:
        assert "type" in line and "urgency" in line or REFUSED.match(line.get("error", "")), line
