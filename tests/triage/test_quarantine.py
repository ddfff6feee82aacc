"""A message whose processing kills its worker is tried alone, then quarantined; the mailbox goes
on, the other messages of its batch are classified, and nothing is lost or altered."""

from __future__ import annotations

import hashlib
import mailbox

from inbox.config import MailboxSettings
from tests.triage.helpers import mail
from triage import queries
from triage.db import open_store
from triage.models import MessageStatus
from triage.pipeline import Pipeline
from triage.poller import Poller


class WorkerDied(BaseException):
    """What an out-of-memory kill or a hard crash looks like from the pipeline: nothing is caught."""


class Killer:
    def __init__(self, classifier) -> None:
        self.classifier = classifier

    def classify(self, messages):
        if any("GUASTO-LETALE" in m.body for m in messages):
            raise WorkerDied()
        return self.classifier.classify(messages)


def files(root) -> dict[str, str]:
    """Content hashes keyed by the Maildir unique name (a flag rename keeps the part before ':')."""
    return {p.name.split(":")[0]: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}


def test_a_message_that_kills_its_worker_is_quarantined_and_the_mailbox_goes_on(tmp_path, classifier):
    box = mailbox.Maildir(tmp_path / "box", create=True)
    bodies = ["Il lampione di via Roma è spento", "Presento formale reclamo per i ritardi", "GUASTO-LETALE",
              "Vorrei sapere gli orari dello sportello", "Buca profonda in via Verdi"]
    for i, body in enumerate(bodies):
        box.add(mail(i, body=body))
    before = files(tmp_path / "box")
    sessions = open_store(f"sqlite:///{tmp_path / 'smista.db'}")
    mb = MailboxSettings(name="m", url=f"maildir://{tmp_path / 'box'}", mark="flag", batch_size=10)
    poller = Poller([mb], Pipeline(sessions, Killer(classifier), max_attempts=2), sessions)
    crashes = 0
    for _ in range(6):  # each run is a restarted worker
        try:
            poller.run_once()
            break
        except WorkerDied:
            crashes += 1
    # Batch of five dies; retried alone, the poison message dies twice more (attempt 2, then over 2).
    assert crashes == 2
    statuses = dict(queries.message_statuses(sessions))
    assert sorted(statuses.values()).count(MessageStatus.CLASSIFIED) == 4
    [poison] = queries.messages(sessions, [MessageStatus.QUARANTINED])
    assert poison.attempts == 3 and "quarantined" in (poison.failure_reason or "")
    assert files(tmp_path / "box") == before  # renamed into cur/ with flags, never rewritten
    assert all(":2," in p.name and "S" in p.name.split(":2,")[1] for p in (tmp_path / "box" / "cur").iterdir())
    assert not list((tmp_path / "box" / "new").iterdir())
    # An operator asks for it again with the model fixed: it is classified.
    assert Pipeline(sessions, classifier).process(poison.id) == MessageStatus.CLASSIFIED
