"""API submissions: answered once stored, classified behind, refused past the backlog, never lost."""

from __future__ import annotations

import threading

import pytest

from tests.triage.helpers import mail
from triage import queries
from triage.db import open_store
from triage.intake import Busy, Intake
from triage.models import MessageStatus
from triage.pipeline import Pipeline


class Gated:
    """The trained classifier, held until the test opens the gate: a model slower than the callers."""

    def __init__(self, classifier) -> None:
        self.classifier, self.gate = classifier, threading.Event()

    def classify(self, messages):
        assert self.gate.wait(30)
        return self.classifier.classify(messages)


def test_submissions_are_stored_before_classification_and_the_backlog_is_bounded(tmp_path, classifier):
    sessions = open_store(f"sqlite:///{tmp_path / 'smista.db'}")
    model = Gated(classifier)
    intake = Intake(Pipeline(sessions, model), max_backlog=5)
    receipts = [intake.submit(mail(i, body=f"Il lampione {i} di via Roma è spento"), f"u{i}") for i in range(5)]
    stored = [r.stored.result(10) for r in receipts]
    assert [s.status for s in stored] == ["stored"] * 5 and len({s.pk for s in stored}) == 5
    assert not any(r.classified.done() for r in receipts)  # the model has not answered yet
    assert {st for _, st in queries.message_statuses(sessions)} == {MessageStatus.STORED}
    with pytest.raises(Busy) as refused:
        intake.submit(mail(99), "u99")
    assert refused.value.retry_after >= 1 and len(queries.message_statuses(sessions)) == 5  # refused before storing
    model.gate.set()
    assert {r.classified.result(30).status for r in receipts} == {MessageStatus.CLASSIFIED}
    assert intake.backlog == 0
    assert intake.submit(mail(6), "u6").classified.result(30).status == MessageStatus.CLASSIFIED
    intake.stop()


def test_what_is_not_classified_at_stop_stays_stored(tmp_path, classifier):
    sessions = open_store(f"sqlite:///{tmp_path / 'smista.db'}")
    model = Gated(classifier)
    intake = Intake(Pipeline(sessions, model))
    receipts = [intake.submit(mail(i), f"u{i}") for i in range(3)]
    pks = [r.stored.result(10).pk for r in receipts]
    intake.stop(timeout=0.5)  # the model is still held: nothing classified
    with pytest.raises(Busy):
        intake.submit(mail(9), "u9")
    assert [st for _, st in queries.message_statuses(sessions, pks=pks)] == [MessageStatus.STORED] * 3
    model.gate.set()  # the held batch finishes; a restart would pick up the rest as stranded
