"""The poller: each watched mailbox on its own, read incrementally by UID, acknowledged on the
server only after its classification is committed.

Order for every batch: fetch (BODY.PEEK) -> commit raw bytes and sighting -> parse, classify,
commit -> acknowledge on the server -> advance the checkpoint. A crash anywhere repeats at most
the steps after the last commit, and the store's identity (Message-ID + sha256) and sightings
(mailbox, folder, UIDVALIDITY, UID) make the repetition harmless. A failing mailbox is retried
with exponential backoff and jitter and its failure is kept in its checkpoint; it never stops
the others.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from typing import TypeVar
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker
from tenacity import RetryError, Retrying, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from inbox.config import MailboxSettings
from inbox.oauth2 import TokenError, TokenSource
from inbox.sources import ClientFactory, Idle, ImapSession, MaildirSession, imap_client, open_session
from triage import leases
from triage.leases import worker_name
from triage.pipeline import Pipeline
from triage.models import Checkpoint, CheckpointStatus, MessageStatus, Sighting, utcnow

log = logging.getLogger(__name__)
K = TypeVar("K", int, str)
#: Connection trouble worth retrying; login and configuration errors are not.
TRANSIENT = (OSError, TimeoutError, ConnectionError)


def prefetched(fetch: Callable[[list[K]], list[tuple[K, bytes]]], keys: Sequence[K], size: int) -> Iterator[tuple[list[K], list[tuple[K, bytes]]]]:
    """``keys`` in chunks of ``size``, each with its fetched messages; the next chunk is fetched
    in a thread while the caller stores, classifies and acknowledges the current one (one chunk
    ahead at most, so memory stays at two batches)."""
    chunks = [list(keys[i:i + size]) for i in range(0, len(keys), size)]
    if not chunks:
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="prefetch") as pool:
        ahead = pool.submit(fetch, chunks[0])
        for i, chunk in enumerate(chunks):
            items = ahead.result()
            if i + 1 < len(chunks):
                ahead = pool.submit(fetch, chunks[i + 1])
            yield chunk, items


@dataclass
class MailboxReport:
    fetched: int = 0
    stored: int = 0
    duplicates: int = 0
    failed: int = 0
    error: str | None = None
    held_elsewhere: bool = False  # another worker holds the folder's lease: nothing was read


class LeaseLost(Exception):
    """Another worker took the folder over (this one was too slow to renew): stop reading it."""


@dataclass
class Poller:
    """``run_once`` processes everything waiting; ``run_forever`` waits with IDLE or an interval."""

    mailboxes: list[MailboxSettings]
    pipeline: Pipeline
    sessions: sessionmaker
    client_factory: ClientFactory | None = None
    attempts: int = 4
    max_backoff: float = 30.0
    fault: Callable[[str], None] = lambda point: None  # called at each step: the crash tests' hook
    name: str = "poller"
    lease_seconds: float = 60.0       # a folder read by a worker that died is taken over after this
    holder: str = field(default_factory=worker_name)
    counters: dict[str, int] = field(default_factory=lambda: {"fetched": 0, "stored": 0, "failed": 0})
    _tokens: dict[str, TokenSource] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"<Poller mailboxes={len(self.mailboxes)} {self.counters}>"

    def factory(self) -> ClientFactory:
        return self.client_factory or (lambda mb: imap_client(mb, self._token_source(mb)))

    def _token_source(self, mb: MailboxSettings) -> TokenSource | None:
        if mb.oauth2 is None:
            return None
        if mb.name not in self._tokens:
            o = mb.oauth2
            self._tokens[mb.name] = TokenSource(o.token_url, o.client_id, o.refresh_token(), o.client_secret(), o.scope)
        return self._tokens[mb.name]

    def run_once(self) -> dict[str, MailboxReport]:
        """Every mailbox this worker can lease, then the messages a dead worker left stored."""
        reports = {mb.name: self.poll_mailbox(mb) for mb in self.mailboxes}
        self.pipeline.process_stranded(older_than=self.lease_seconds)
        return reports

    def poll_mailbox(self, mb: MailboxSettings) -> MailboxReport:
        report = MailboxReport()
        if not leases.acquire(self.sessions, mb.name, mb.folder, self.holder, self.lease_seconds):
            report.held_elsewhere = True
            return report
        try:
            for attempt in Retrying(stop=stop_after_attempt(self.attempts), reraise=True,
                                    wait=wait_random_exponential(multiplier=0.5, max=self.max_backoff),
                                    retry=retry_if_exception_type(TRANSIENT)):
                with attempt:
                    if attempt.retry_state.attempt_number > 1:
                        log.warning("mailbox %s: retry %d", mb.name, attempt.retry_state.attempt_number)
                    self._poll(mb, report)
            self._checkpoint_status(mb, CheckpointStatus.OK, None)
        except LeaseLost as exc:
            log.warning("%s", exc)
            report.held_elsewhere = True
        except (Exception, RetryError) as exc:  # noqa: BLE001 - one mailbox never stops the others
            report.error = f"{type(exc).__name__}: {exc}"
            if isinstance(exc, TokenError):
                report.error = f"OAuth2: {exc}"
            log.error("mailbox %s failed: %s", mb.name, report.error)
            self._checkpoint_status(mb, CheckpointStatus.FAILING, report.error)
        finally:
            leases.release(self.sessions, mb.name, mb.folder, self.holder)
        return report

    def _keeper(self, mb: MailboxSettings) -> Callable[[], None]:
        """Renews the lease while a batch is read, at most every third of a lease period."""
        renewed = time.monotonic()

        def beat() -> None:
            nonlocal renewed
            if time.monotonic() - renewed > self.lease_seconds / 3:
                self._renew(mb)
                renewed = time.monotonic()
        return beat

    def _renew(self, mb: MailboxSettings) -> None:
        if not leases.acquire(self.sessions, mb.name, mb.folder, self.holder, self.lease_seconds):
            raise LeaseLost(f"mailbox {mb.name}/{mb.folder}: lease taken over by another worker")

    def _checkpoint(self, mb: MailboxSettings, uidvalidity: int) -> int:
        """The last handled UID, reset when the server's UIDVALIDITY changed."""
        with self.sessions.begin() as s:
            cp = s.get(Checkpoint, (mb.name, mb.folder)) or Checkpoint(mailbox=mb.name, folder=mb.folder, uidvalidity=uidvalidity,
                                                                      last_uid=0)
            if cp.uidvalidity != uidvalidity:
                log.warning("mailbox %s: UIDVALIDITY changed %s -> %s, reading the folder again", mb.name, cp.uidvalidity, uidvalidity)
                cp.uidvalidity, cp.last_uid = uidvalidity, 0
            s.add(cp)
            return cp.last_uid

    def _checkpoint_status(self, mb: MailboxSettings, status: str, error: str | None) -> None:
        with self.sessions.begin() as s:
            cp = s.get(Checkpoint, (mb.name, mb.folder)) or Checkpoint(mailbox=mb.name, folder=mb.folder, uidvalidity=0, last_uid=0)
            cp.status, cp.error = status, error
            if status == CheckpointStatus.OK:
                cp.polled_at = utcnow()
            s.add(cp)

    def _poll(self, mb: MailboxSettings, report: MailboxReport) -> None:
        with open_session(mb, self.factory()) as session:
            if isinstance(session, MaildirSession):
                self._poll_maildir(mb, session, report)
            else:
                self._poll_imap(mb, session, report)

    def _handle(self, mb: MailboxSettings, uidvalidity: int, items: list[tuple[str, bytes]], report: MailboxReport) -> None:
        """Store a fetched batch (one commit), then parse, classify and commit it (the bytes in
        hand are parsed: no second round trip per message to read them back)."""
        report.fetched += len(items)
        self.counters["fetched"] += len(items)
        self.fault("after_fetch")
        stored = self.pipeline.store_many(items, mb.name, mb.folder, uidvalidity)
        self.fault("after_store")
        raws = {pk: raw for (pk, new), (_, raw) in zip(stored, items) if new}  # a copy seen before: its stored bytes
        statuses = self.pipeline.process_pending([pk for pk, _ in stored], heartbeat=self._keeper(mb), raws=raws)
        self.fault("after_classify")
        new = sum(n for _, n in stored)
        failed = sum(statuses[pk] == MessageStatus.FAILED for pk, n in stored if n)
        report.stored += new
        report.duplicates += len(stored) - new
        report.failed += failed
        self.counters["stored"] += new
        self.counters["failed"] += failed

    def _acknowledged(self, mb: MailboxSettings, uidvalidity: int, uids: list[str], last_uid: int | None = None) -> None:
        """The batch's sightings marked acknowledged and (IMAP) the checkpoint advanced, in one commit."""
        with self.sessions.begin() as s:
            s.execute(update(Sighting).where(Sighting.mailbox == mb.name, Sighting.folder == mb.folder,
                                             Sighting.uidvalidity == uidvalidity, Sighting.uid.in_(uids))
                      .values(acknowledged=True))
            if last_uid is not None:
                s.get(Checkpoint, (mb.name, mb.folder)).last_uid = last_uid

    def _poll_imap(self, mb: MailboxSettings, session: ImapSession, report: MailboxReport) -> None:
        after = self._checkpoint(mb, session.uidvalidity)
        uids = session.new_uids(after)
        with ExitStack() as stack:
            reader = session
            if len(uids) > mb.batch_size:  # the next batch is fetched on a connection of its own while this one acknowledges
                opened = stack.enter_context(open_session(mb, self.factory()))
                if not isinstance(opened, ImapSession) or opened.uidvalidity != session.uidvalidity:
                    raise ConnectionError(f"mailbox {mb.name}: UIDVALIDITY changed while reading")
                reader = opened
            self._handle_imap(mb, session, uids, lambda chunk: list(reader.fetch(chunk)), report)

    def _handle_imap(self, mb: MailboxSettings, session: ImapSession, uids: list[int],
                     fetch: Callable[[list[int]], list[tuple[int, bytes]]], report: MailboxReport) -> None:
        for chunk, fetched in prefetched(fetch, uids, mb.batch_size):
            self._handle(mb, session.uidvalidity, [(str(uid), raw) for uid, raw in fetched], report)
            self.fault("before_ack")
            session.acknowledge(chunk)
            self._acknowledged(mb, session.uidvalidity, [str(u) for u in chunk], max(chunk))
            self._renew(mb)

    def _poll_maildir(self, mb: MailboxSettings, session: MaildirSession, report: MailboxReport) -> None:
        self._checkpoint(mb, 0)
        with self.sessions() as s:
            done = set(s.scalars(select(Sighting.uid).where(Sighting.mailbox == mb.name, Sighting.folder == mb.folder,
                                                            Sighting.acknowledged.is_(True))))
        keys = [k for k in session.keys() if k not in done]
        for chunk, fetched in prefetched(lambda chunk: list(session.fetch(chunk)), keys, mb.batch_size):
            self._handle(mb, 0, fetched, report)
            session.acknowledge(chunk)
            self._acknowledged(mb, 0, chunk)
            self._renew(mb)

    def run_forever(self, stop: threading.Event, idle_seconds: float = 300.0) -> None:
        """Poll every mailbox; then wait for new mail (IDLE on the first IMAP mailbox that offers it)."""
        while not stop.is_set():
            reports = self.run_once()
            if stop.is_set():
                break
            if any(r.held_elsewhere for r in reports.values()):  # be ready to take over when the holder dies
                stop.wait(min(self.lease_seconds / 2, *(mb.poll_interval for mb in self.mailboxes)))
                continue
            if not self._idle(stop, idle_seconds):
                stop.wait(min(mb.poll_interval for mb in self.mailboxes))

    def _idle(self, stop: threading.Event, seconds: float) -> bool:
        for mb in self.mailboxes:
            if mb.scheme == "maildir":
                continue
            try:
                with open_session(mb, self.factory()) as session:
                    if not isinstance(session, ImapSession) or not session.can_idle():
                        continue
                    waited = 0.0
                    while not stop.is_set() and waited < seconds:
                        if Idle(session).wait(5.0):
                            return True
                        waited += 5.0
                    return True
            except TRANSIENT as exc:
                log.warning("IDLE on %s interrupted: %s", mb.name, exc)
                return False
        return False
