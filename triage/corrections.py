"""Operators' corrections: recorded with who made them, and read back as training lines.

A correction never replaces a classification: the model's labels stay in the history, and the
next training run (``smista train --corrections``) learns from what the operators decided.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from inbox.incoming import read, stored
from triage.db import Sessions
from triage.models import Correction, StoredMessage
from triage.queries import corrected_messages, current_labels, thread_request_type
from triage.schemas import LabelChange, Labels


class NoMessage(LookupError):
    """No stored message has this id."""


class Unlabelled(ValueError):
    """The message has no classification yet, so a correction must give both labels."""


def correct(sessions: Sessions, pk: int, operator: str, type: str | None = None, urgency: str | None = None) -> LabelChange:
    """Record ``operator``'s labels for message ``pk``; a label not given keeps its current value."""
    if type is None and urgency is None:
        raise ValueError("give 'type', 'urgency' or both")
    with sessions.begin() as s:
        if s.get(StoredMessage, pk) is None:
            raise NoMessage(f"no message {pk}")
        prev_type, prev_urgency = current_labels(s, pk)
        new_type, new_urgency = type or prev_type, urgency or prev_urgency
        if new_type is None or new_urgency is None:
            raise Unlabelled("this message has no classification: give both 'type' and 'urgency'")
        s.add(Correction(message_pk=pk, operator=operator, previous_type=prev_type, previous_urgency=prev_urgency,
                         type=new_type, urgency=new_urgency))
    return LabelChange(id=pk, type=new_type, urgency=new_urgency, previous=Labels(type=prev_type, urgency=prev_urgency),
                       operator=operator)


def training_lines(sessions: Sessions) -> Iterator[dict[str, Any]]:
    """Corrections as corpus lines: the message as the model read it, the model's label, the
    corrected label, who and when. ``smista train --corrections`` reads them."""
    with sessions() as session:
        for m, fix in corrected_messages(session):
            c = m.classification
            message = read(m.raw, documents=stored(m.attachments)).request  # letters as read at intake, not again
            letter = {"attachment": {"filename": "", "text": message.attachment, "read": message.attachment}} if message.attachment else {}
            yield letter | {
                "id": f"correction-{m.id}", "message_pk": m.id, "subject": message.subject, "body": message.body,
                "from": message.sender, "channel": "pec" if m.kind.startswith("pec") else "email",
                "domain": "general", "source": "correction", "writer": "operators",
                "thread": thread_request_type(session, m.thread_parent_id),
                "type": fix.type, "urgency": fix.urgency,
                "model_type": c.type if c else None, "model_urgency": c.urgency if c else None,
                "model_version": c.model_version if c else None,
                "operator": fix.operator, "corrected_at": fix.created_at.isoformat(),
            }
