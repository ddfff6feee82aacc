"""Reads of the store that more than one part of smista needs, in one place.

The label of a message is the operator's latest correction when there is one, else its
latest classification: that is what the thread input, the corrections export and the
feed must agree on.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from triage.store import Classification, Correction, StoredMessage


def current_type(session: Session, pk: int) -> str | None:
    """The type a message has now: corrected by an operator, or as classified."""
    corrected = session.scalar(select(Correction.type).where(Correction.message_pk == pk)
                               .order_by(Correction.id.desc()).limit(1))
    if corrected is not None:
        return corrected
    return session.scalar(select(Classification.type).where(Classification.message_pk == pk)
                          .order_by(Classification.id.desc()).limit(1))


def thread_request_type(session: Session, parent_pk: int | None, depth: int = 20) -> str | None:
    """The type of the nearest earlier message of the thread that is a request (not ``other``).

    A reply to our acknowledgement of a fault report, or to a PEC receipt, still continues the
    fault report; walking up at most ``depth`` parents bounds the work on a hostile chain."""
    pk = parent_pk
    for _ in range(depth):
        if pk is None:
            return None
        label = current_type(session, pk)
        if label is not None and label != "other":
            return label
        pk = session.scalar(select(StoredMessage.thread_parent_id).where(StoredMessage.id == pk))
    return None


def corrected_messages(session: Session) -> Iterator[tuple[StoredMessage, Correction]]:
    """Every corrected message with its latest correction, oldest first."""
    latest = select(func.max(Correction.id)).group_by(Correction.message_pk)
    query = (select(StoredMessage, Correction).join(Correction, Correction.message_pk == StoredMessage.id)
             .where(Correction.id.in_(latest)).options(selectinload(StoredMessage.classifications))
             .order_by(Correction.id))
    for message, correction in session.execute(query):
        yield message, correction
