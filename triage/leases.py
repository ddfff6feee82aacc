"""Leases on mailbox folders, so that several pollers on one database share the mailboxes
without reading one folder twice at the same time.

A lease is a row per (mailbox, folder) with its holder and expiry, taken and renewed under a row
lock (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite serialises writers). A worker that dies
holding a lease stops renewing it, and another worker takes it over once it expires; whatever
the dead worker had stored but not classified is picked up by the next reader of the folder
(its messages are not acknowledged, so they are fetched again) and, when another mailbox
already delivered it, by the stranded-message sweep of ``Pipeline.process_stranded``.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from triage.db import Sessions
from triage.models import Lease, utcnow


def worker_name() -> str:
    """Unique per process and readable in the table: host, pid and a random suffix."""
    return f"{socket.gethostname()[:120]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def acquire(sessions: Sessions, mailbox: str, folder: str, holder: str, seconds: float) -> bool:
    """Take or renew the lease; False while another worker holds it unexpired."""
    now = utcnow()
    with sessions.begin() as s:
        dialect = s.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        s.execute(insert(Lease).values(mailbox=mailbox, folder=folder, holder="", expires_at=now)
                  .on_conflict_do_nothing())  # the row exists from here on, free until someone holds it
        query = select(Lease).where(Lease.mailbox == mailbox, Lease.folder == folder)
        lease = s.scalar(query.with_for_update() if dialect == "postgresql" else query)
        assert lease is not None
        if lease.holder not in ("", holder) and lease.expires_at > now:
            return False
        lease.holder, lease.expires_at = holder, now + timedelta(seconds=seconds)
        return True


def release(sessions: Sessions, mailbox: str, folder: str, holder: str) -> None:
    """Let another worker have the folder at once (a clean stop)."""
    with sessions.begin() as s:
        lease = s.get(Lease, (mailbox, folder))
        if lease is not None and lease.holder == holder:
            lease.expires_at = utcnow()
