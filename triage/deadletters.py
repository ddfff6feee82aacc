"""Dead letters as the console handles them: listed with the message they carry, and replayed
with the name of who replayed them, in the same transaction as the replay itself."""

from __future__ import annotations

from sqlalchemy import select

from triage.db import Sessions
from triage.models import OutboxItem, OutboxStatus, Replay, StoredMessage, utcnow
from triage.schemas import DeadLetterRow, ReplayOut


def replay(sessions: Sessions, item_id: int, operator: str) -> bool:
    """Put a dead letter back in the queue (after the receiver was fixed) and record who did."""
    with sessions.begin() as s:
        row = s.get(OutboxItem, item_id, with_for_update=True)
        if row is None or row.status != OutboxStatus.DEAD:
            return False
        row.status, row.attempts, row.next_attempt_at = OutboxStatus.PENDING, 0, utcnow()
        s.add(Replay(outbox_pk=item_id, operator=operator))
        return True


def listing(sessions: Sessions, limit: int = 500) -> list[DeadLetterRow]:
    """The dead letters, oldest first, each with its message's subject and its earlier replays."""
    with sessions() as s:
        found = s.execute(select(OutboxItem, StoredMessage.subject).join(StoredMessage, StoredMessage.id == OutboxItem.message_pk)
                          .where(OutboxItem.status == OutboxStatus.DEAD).order_by(OutboxItem.id).limit(limit)).all()
        replays: dict[int, list[ReplayOut]] = {}
        if found:
            for r in s.scalars(select(Replay).where(Replay.outbox_pk.in_([item.id for item, _ in found])).order_by(Replay.id)):
                replays.setdefault(r.outbox_pk, []).append(ReplayOut.model_validate(r))
        return [DeadLetterRow.model_validate({**{k: getattr(item, k) for k in ("id", "message_pk", "target", "attempts",
                                                                              "last_error", "created_at")},
                                              "subject": subject, "replays": replays.get(item.id, [])})
                for item, subject in found]


def replays_of(sessions: Sessions, message_pk: int) -> list[ReplayOut]:
    """Every replay of a message's deliveries: part of its history."""
    with sessions() as s:
        return [ReplayOut.model_validate(r) for r in s.scalars(
            select(Replay).join(OutboxItem, OutboxItem.id == Replay.outbox_pk)
            .where(OutboxItem.message_pk == message_pk).order_by(Replay.id))]
