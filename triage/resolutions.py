"""When a request was resolved, and by whom: written by the downstream ticketing system over the
API (``POST``/``DELETE /v1/messages/{id}/resolution``) or by an operator at the console.

``messages.resolved_at`` is what the reports' service levels and backlog count (a request met
its deadline when it was resolved by it); ``resolved_by`` is the operator's name or the API
key's. The time a ticketing system reports is checked here, once for every caller: never before
the message arrived, never later than now plus a small clock skew between the two systems.
Reopening clears both, so the request counts as open again from then on.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from triage.db import Sessions
from triage.models import MessageStatus, StoredMessage, utcnow
from triage.schemas import Resolution

#: How far ahead of our clock a resolution time may be: the ticketing system's clock may run fast.
MAX_SKEW = timedelta(minutes=5)


class NoMessage(LookupError):
    """No stored message has this id."""


class BadResolution(ValueError):
    """The resolution cannot be recorded: the message says which rule it breaks."""


def _checked(message: StoredMessage, at: datetime, now: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise BadResolution(f"resolved_at {at.isoformat()}: give a time zone (e.g. 'Z' or '+01:00')")
    if message.status == MessageStatus.RECEIPT:
        raise BadResolution(f"message {message.id} is a PEC receipt, not a request: there is nothing to resolve")
    if at < message.received_at:
        raise BadResolution(f"resolved_at {at.isoformat()} is before the message arrived "
                            f"({message.received_at.isoformat()})")
    if at > now + MAX_SKEW:
        raise BadResolution(f"resolved_at {at.isoformat()} is in the future (now {now.isoformat()}, "
                            f"{int(MAX_SKEW.total_seconds() // 60)} minutes of clock skew allowed)")
    return min(at, now)  # within the skew: it happened now, as far as our reports know


def resolve(sessions: Sessions, pk: int, who: str, at: datetime | None = None, now: datetime | None = None) -> Resolution:
    """Record message ``pk`` as resolved at ``at`` (default now) by ``who``; a second resolution
    replaces the first (the ticketing system corrects its time, or closes it again)."""
    now = now or utcnow()
    with sessions.begin() as s:
        message = s.get(StoredMessage, pk, with_for_update=True)
        if message is None:
            raise NoMessage(f"no message {pk}")
        message.resolved_at = _checked(message, at or now, now)
        message.resolved_by = who[:200]
        return Resolution(id=pk, resolved_at=message.resolved_at, resolved_by=message.resolved_by)


def reopen(sessions: Sessions, pk: int) -> Resolution:
    """Message ``pk`` is open again (the request was not done after all); harmless when open."""
    with sessions.begin() as s:
        message = s.get(StoredMessage, pk, with_for_update=True)
        if message is None:
            raise NoMessage(f"no message {pk}")
        message.resolved_at = message.resolved_by = None
        return Resolution(id=pk, resolved_at=None, resolved_by=None)
