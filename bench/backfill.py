"""Loading an archive: ``smista backfill`` over N realistic messages in a Maildir on every core,
killed with SIGKILL midway and run again, with ``smista poll --once`` (one process) over a slice
of the same Maildir and a plain read of every file as baselines in the same run.

    python bench/backfill.py [--n 100000] [--workers 2] [--kill-at 0.5] [--poll-slice 3000]

Checks at the end that every file was stored once and every message classified once, and
prints each run's rate and ETA lines as the command printed them.
"""

from __future__ import annotations

import argparse
import mailbox
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _memory import run_measured_tree
from _shared import PROJECT
from ingest import messages
from sqlalchemy import func, select

from triage.db import open_store
from triage.models import Classification, MessageStatus, Sighting, StoredMessage

SMISTA = shutil.which("smista", path=str(Path(sys.executable).parent)) or "smista"


def counts(db: str) -> dict[str, int]:
    with open_store(db)() as s:
        return {"sightings": s.scalar(select(func.count()).select_from(Sighting)) or 0,
                "distinct files": s.scalar(select(func.count(func.distinct(Sighting.uid)))) or 0,
                "messages": s.scalar(select(func.count()).select_from(StoredMessage)) or 0,
                "classifications": s.scalar(select(func.count()).select_from(Classification)) or 0,
                "classified messages": s.scalar(select(func.count(func.distinct(Classification.message_pk)))) or 0,
                "failed": s.scalar(select(func.count()).where(StoredMessage.status == MessageStatus.FAILED)) or 0,
                "receipts": s.scalar(select(func.count()).where(StoredMessage.status == MessageStatus.RECEIPT)) or 0,
                "left stored": s.scalar(select(func.count()).where(StoredMessage.status == MessageStatus.STORED)) or 0}


def killed_midway(env: dict[str, str], maildir: Path, db: str, workers: int, at: int) -> tuple[float, list[str]]:
    """The backfill killed with SIGKILL (it and its workers) once ``at`` files are stored."""
    lines: list[str] = []
    started = time.perf_counter()
    proc = subprocess.Popen([SMISTA, "backfill", str(maildir), "--workers", str(workers)], env=env, cwd=PROJECT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr or []), daemon=True)
    reader.start()
    while proc.poll() is None:
        time.sleep(1)
        if counts(db)["sightings"] >= at:
            os.killpg(proc.pid, signal.SIGKILL)
            break
    proc.wait()
    reader.join(timeout=5)
    if proc.returncode != -signal.SIGKILL:
        raise SystemExit(f"the backfill ended before it was killed ({proc.returncode}): {''.join(lines[-5:])}")
    return time.perf_counter() - started, lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--kill-at", type=float, default=0.5, help="the share of files stored when the first run is killed")
    parser.add_argument("--poll-slice", type=int, default=3000, help="files polled by smista poll --once as the baseline")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="smista-backfill-"))
    try:
        maildir, small = root / "archive", root / "slice"
        box, box_small = mailbox.Maildir(maildir, create=True), mailbox.Maildir(small, create=True)
        started = time.perf_counter()
        for i, raw in enumerate(messages(args.n)):
            box.add(raw)
            if i < args.poll_slice:
                box_small.add(raw)
        print(f"{args.n:,} messages written to a Maildir in {time.perf_counter() - started:.0f} s")

        started = time.perf_counter()
        size = sum(len(p.read_bytes()) for p in (maildir / "new").iterdir())
        read_s = time.perf_counter() - started

        env = {k: v for k, v in os.environ.items() if not k.startswith("SMISTA_") or k == "SMISTA_MODELS_DIR"}
        env.update(SMISTA_PROJECT_DIR=str(PROJECT), SMISTA_DATABASE_URL=f"sqlite:///{root / 'poll.db'}",
                   SMISTA_MAILBOXES=f'[{{"name": "slice", "url": "maildir://{small}", "mark": "none", "batch_size": 200}}]')
        started = time.perf_counter()
        polled, poll_rss, _ = run_measured_tree([SMISTA, "poll", "--once"], env=env)
        poll_s = time.perf_counter() - started
        if polled.returncode != 0:
            raise SystemExit(polled.stderr)

        db = f"sqlite:///{root / 'archive.db'}"
        env["SMISTA_DATABASE_URL"] = db
        first_s, first = killed_midway(env, maildir, db, args.workers, int(args.n * args.kill_at))
        midway = counts(db)
        started = time.perf_counter()
        resumed, rss, worker_rss = run_measured_tree([SMISTA, "backfill", str(maildir), "--workers", str(args.workers)],
                                                     env=env, cwd=PROJECT)
        second_s = time.perf_counter() - started
        if resumed.returncode != 0:
            raise SystemExit(resumed.stderr)
        final = counts(db)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    print(f"plain read of every file: {args.n / read_s:,.0f} files/s ({size / 1e6:.0f} MB)")
    print(f"smista poll --once, one process, {args.poll_slice:,} of the files: {args.poll_slice / poll_s:,.0f} msg/s, "
          f"peak RSS {poll_rss:.0f} MB")
    print(f"\nsmista backfill --workers {args.workers}, killed with SIGKILL after {first_s:.0f} s "
          f"({midway['sightings']:,} files stored, {midway['left stored']:,} not yet classified); its last lines:")
    for line in [ln.rstrip() for ln in first if "msg/s" in ln][-3:]:
        print(f"  {line}")
    print(f"run again, {second_s:.0f} s; its last lines:")
    for line in [ln.rstrip() for ln in resumed.stderr.splitlines() if "msg/s" in ln or "stored before" in ln][-4:]:
        print(f"  {line}")
    total_s = first_s + second_s
    print(f"\nboth runs: {args.n / total_s:,.0f} msg/s end to end (start-ups, the kill and the resumption included), "
          f"peak RSS {rss:.0f} MB in the parent, {worker_rss:.0f} MB in the largest worker")
    print(f"backfill / poll --once: {args.n / total_s / (args.poll_slice / poll_s):.2f}x")
    print(f"store: {final}")
    whole = (final["sightings"] == final["distinct files"] == args.n and final["left stored"] == 0
             and final["classified messages"] == final["classifications"]
             == final["messages"] - final["failed"] - final["receipts"])
    print("every file stored once, every message classified once: " + ("yes" if whole else "NO"))
    if not whole:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
