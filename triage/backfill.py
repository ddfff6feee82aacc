"""Loading an archive: every message of a Maildir stored and classified on several processes,
resumable after a kill.

The archive is read, never marked: its files are evidence and may be the contact center's only
copy. What was done is known from the store alone (one sighting per file, written in the same
commit as the bytes), so a backfill stopped at any point, by Ctrl-C, a kill -9 or a crash, is
resumed by running it again: the files already sighted are skipped, and the messages stored but
not yet classified are classified first. Each process loads its own model and parses and
classifies its own batches; the store serialises only the short commits.

Old mail is not routed and raises no on-call alert unless asked: a request answered two years
ago must not reach a field team today.
"""

from __future__ import annotations

import logging
import mailbox
import multiprocessing
import os
import queue
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from inbox.sources import is_maildir, maildir_keys
from triage import queries
from triage.models import MessageStatus

log = logging.getLogger(__name__)
#: How long the parent waits for a result before checking that its workers are alive.
_POLL_SECONDS = 1.0


@dataclass(frozen=True)
class Archive:
    """A Maildir read as mailbox ``name``, folder ``folder`` (its sightings carry these)."""

    path: Path
    name: str
    folder: str = "INBOX"


@dataclass
class Tally:
    """What a backfill did: files read, messages new to the store, copies of stored ones, failures
    (stored, with their reason), files gone before they were read."""

    read: int = 0
    new: int = 0
    duplicates: int = 0
    failed: int = 0
    missing: int = 0
    resumed: int = 0  # stored by an earlier run, classified by this one

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Plan:
    """The work left: files not yet sighted (in key order), messages stored but not classified."""

    keys: list[str]
    pending: list[int]
    already: int = 0  # files sighted by an earlier run

    def batches(self, size: int) -> list[tuple[str, list[Any]]]:
        pending = [("pending", self.pending[i:i + size]) for i in range(0, len(self.pending), size)]
        return pending + [("files", self.keys[i:i + size]) for i in range(0, len(self.keys), size)]


def plan(sessions: Any, archive: Archive) -> Plan:
    if not is_maildir(archive.path):
        raise FileNotFoundError(f"{archive.path} is not a Maildir (it needs cur/, new/ and tmp/)")
    keys = maildir_keys(mailbox.Maildir(archive.path, factory=None, create=False))
    seen, pending = queries.sighted(sessions, archive.name, archive.folder)
    left = [k for k in keys if k not in seen]
    return Plan(left, pending, already=len(keys) - len(left))


class Batches:
    """One worker's side: the pipeline of its own process applied to a batch at a time."""

    def __init__(self, pipeline: Any, archive: Archive) -> None:
        self.pipeline = pipeline
        self.archive = archive
        self.box = mailbox.Maildir(archive.path, factory=None, create=False)

    def run(self, kind: str, items: list[Any]) -> Tally:
        if kind == "pending":
            statuses = self.pipeline.process_pending(items)
            return Tally(resumed=len(items), failed=sum(st == MessageStatus.FAILED for st in statuses.values()))
        fetched, missing = [], 0
        for key in items:
            try:
                fetched.append((key, self.box.get_bytes(key)))
            except (KeyError, FileNotFoundError):  # moved or deleted since the listing: nothing to store
                missing += 1
                log.warning("archive %s: %s is gone, skipped", self.archive.name, key)
        stored = self.pipeline.store_many(fetched, self.archive.name, self.archive.folder, 0, acknowledged=True)
        raws = {pk: raw for (pk, new), (_, raw) in zip(stored, fetched) if new}
        statuses = self.pipeline.process_pending([pk for pk, _ in stored], raws=raws)
        new = sum(n for _, n in stored)
        return Tally(read=len(fetched), new=new, duplicates=len(stored) - new, missing=missing,
                     failed=sum(statuses.get(pk) == MessageStatus.FAILED for pk, n in stored if n))


def _worker(build: Callable[[], Any], archive: Archive, tasks: Any, results: Any) -> None:
    """A worker process: batches from ``tasks`` until None; each result (or error) to ``results``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it lets the batch in hand finish
    parent = os.getppid()
    try:
        batches = Batches(build(), archive)
    except Exception as exc:  # noqa: BLE001 - a model or store that cannot be opened: said once, by the parent
        results.put(("error", f"{type(exc).__name__}: {exc}"))
        return
    for kind, items in iter(tasks.get, None):
        if os.getppid() != parent:  # the parent was killed: a re-run must not find this one still writing
            return
        try:
            results.put(("done", batches.run(kind, items)))
        except Exception as exc:  # noqa: BLE001 - the store's trouble: the parent stops, a re-run resumes
            log.exception("backfill batch failed")
            results.put(("error", f"{type(exc).__name__}: {exc}"))
            return


@dataclass
class Backfill:
    """Runs a :class:`Plan` on ``workers`` processes, each building its pipeline with ``build``
    (a picklable callable: the processes are spawned, not forked, so no connection is shared)."""

    build: Callable[[], Any]
    archive: Archive
    workers: int = 2
    batch_size: int = 100
    on_progress: Callable[[Tally], None] = lambda tally: None
    tally: Tally = field(default_factory=Tally)
    error: str | None = None
    interrupted: bool = False

    def run(self, todo: Plan) -> Tally:
        batches = todo.batches(self.batch_size)
        if not batches:
            return self.tally
        ctx = multiprocessing.get_context("spawn")
        tasks, results = ctx.Queue(), ctx.Queue()
        for batch in batches:
            tasks.put(batch)
        procs = [ctx.Process(target=_worker, args=(self.build, self.archive, tasks, results), daemon=True,
                             name=f"backfill-{i}") for i in range(min(self.workers, len(batches)))]
        for proc in procs:
            tasks.put(None)
            proc.start()
        try:
            self._collect(results, procs, len(batches))
        except KeyboardInterrupt:
            self.interrupted = True
            self._drain(tasks)
            log.warning("interrupted: finishing the batches in hand; run the same command again to go on")
        finally:
            for proc in procs:
                proc.join(timeout=120)
                if proc.is_alive():
                    proc.terminate()
        return self.tally

    def _collect(self, results: Any, procs: Sequence[BaseProcess], expected: int) -> None:
        done = 0
        while done < expected:
            try:
                kind, value = results.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                if not any(p.is_alive() for p in procs) or any(p.exitcode not in (None, 0) for p in procs):
                    dead = [p.name for p in procs if p.exitcode not in (None, 0)]
                    self.error = f"worker {', '.join(dead) or 'processes'} stopped (exit {[p.exitcode for p in procs]})"
                    return
                continue
            if kind == "error":
                self.error = value
                return
            if kind == "done":
                done += 1
                self.tally.add(value)
                self.on_progress(self.tally)

    @staticmethod
    def _drain(tasks: Any) -> None:
        """No batch is started after an interrupt; the workers then find the stop sentinels."""
        try:
            while True:
                if tasks.get(timeout=0.1) is None:
                    tasks.put(None)
                    return
        except queue.Empty:
            return


def rate_line(tally: Tally, total: int, started: float) -> str:
    """``12,000/100,000 (12%), 640 msg/s, ETA 2m 2s``: the line printed where there is no terminal."""
    done = tally.read + tally.missing
    elapsed = max(time.monotonic() - started, 1e-9)
    rate = done / elapsed
    eta = (total - done) / rate if rate else float("inf")
    return (f"{done:,}/{total:,} ({done / max(total, 1):.0%}), {rate:,.0f} msg/s, ETA {_duration(eta)}; "
            f"new {tally.new:,}, already stored {tally.duplicates:,}, failed {tally.failed:,}")


def _duration(seconds: float) -> str:
    if seconds == float("inf"):
        return "?"
    minutes, secs = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes}m" if hours else f"{minutes}m {secs}s" if minutes else f"{secs}s"
