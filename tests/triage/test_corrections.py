"""Operators' corrections feed retraining: exported as corpus lines, trained on, and the
corrected mistake is fixed by the next model. Also: the pipeline fills the thread input."""

from __future__ import annotations

import json

import pytest

from classifier.bundle import Classifier
from classifier.features import Message, prepare
from tests.classifier.conftest import TINY, URGENCY
from tests.triage.helpers import mail
from training.corrections import as_records
from training.train import fit, read_config, to_message
from triage.corrections import training_lines
from triage.export import write_jsonl
from triage.pipeline import Pipeline
from triage.db import open_store
from triage.models import Correction, StoredMessage

QUESTION = ("Orari sportello", "Vorrei sapere gli orari di apertura dello sportello al pubblico di via Dante.")


def tiny_records() -> list[dict]:
    quote = "\n\nIl giorno 2 nov 2026, Mario <m@x.it> ha scritto:\n> messaggio precedente sul guasto"
    return [{"id": f"{t}-{i}", "subject": f"{t} richiesta", "body": text + (quote if i % 2 else ""), "from": "",
             "type": t, "urgency": URGENCY[t], "source": "handwritten", "writer": f"w{i % 2}"}
            for t, texts in TINY.items() for i, text in enumerate(texts)]


def train_tiny(records: list[dict], nlp, name: str) -> Classifier:
    config = read_config()
    config["model"]["calibration_folds"] = 2
    config["features"]["max_char_features"] = 2000
    model = fit(prepare([to_message(r) for r in records], nlp), records, config, name, "20260101-000000")
    model.thresholds = {"type": 0.3, "urgency": 0.3}
    return Classifier(model, nlp, {})


class Spy:
    """The real classifier, remembering what it was asked to read."""

    def __init__(self, inner: Classifier) -> None:
        self.inner, self.seen = inner, []

    def classify(self, messages: list[Message]):
        self.seen += messages
        return self.inner.classify(messages)


@pytest.fixture(scope="module")
def first_model():
    from classifier import nlp as nlp_mod
    nlp, name = nlp_mod.load()
    return train_tiny(tiny_records(), nlp, name), nlp, name


def test_a_corrected_mistake_is_fixed_after_retraining(first_model, tmp_path):
    first, nlp, name = first_model
    sessions = open_store(f"sqlite:///{tmp_path / 'smista.db'}")
    pk = Pipeline(sessions, first).ingest(mail(1, *QUESTION), "contact", "INBOX", 1, "1").pk
    with sessions() as s:
        predicted = s.get(StoredMessage, pk).classification.type
    wanted = "complaint" if predicted != "complaint" else "status"  # the operator says the model was wrong
    with sessions.begin() as s:
        s.add(Correction(message_pk=pk, operator="anna", previous_type=predicted, previous_urgency="low",
                         type=wanted, urgency="normal"))

    path = tmp_path / "corrections.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        assert write_jsonl(fh, training_lines(sessions)) == 1
    line = json.loads(path.read_text())
    assert (line["model_type"], line["type"], line["operator"]) == (predicted, wanted, "anna")
    assert line["body"].startswith("Vorrei sapere") and line["source"] == "correction"

    retrained = train_tiny(tiny_records() + as_records(path), nlp, name)
    assert first.classify_one(Message(*QUESTION)).type == predicted
    assert retrained.classify_one(Message(*QUESTION)).type == wanted


def test_a_corrections_file_with_other_sources_is_refused(tmp_path):
    from training.corpus import CorpusError
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"id": "x", "subject": "", "body": "b", "from": "", "channel": "email", "type": "other",
                                "urgency": "low", "domain": "general", "source": "generated"}) + "\n")
    with pytest.raises(CorpusError, match="expected 'correction'"):
        as_records(path)


def test_the_pipeline_passes_the_threads_request_to_the_model(first_model, tmp_path):
    first, _, _ = first_model
    sessions = open_store(f"sqlite:///{tmp_path / 'smista.db'}")
    spy = Spy(first)
    pipeline = Pipeline(sessions, spy)
    parent = pipeline.ingest(mail(1, "Lampione", "Il lampione di via Roma è spento"), "contact", "INBOX", 1, "1").pk
    with sessions.begin() as s:  # whatever the model said, the operator settled it as a fault report
        s.add(Correction(message_pk=parent, operator="anna", type="intervention", urgency="normal"))
    pipeline.ingest(mail(2, "Re: Lampione", "Ancora spento", In_Reply_To="<msg1@test.smista>"), "contact", "INBOX", 1, "2")
    pipeline.ingest(mail(3, "Lampione", "Il lampione di via Verdi è spento"), "contact", "INBOX", 1, "3")
    assert [m.thread for m in spy.seen] == [None, "intervention", None]


class Failing(Spy):
    """The real classifier, except that it cannot read messages that mention 'GUASTO-BOMBA'."""

    def classify(self, messages: list[Message]):
        if any("GUASTO-BOMBA" in m.body for m in messages):
            raise RuntimeError("E088: text of length 1200000 exceeds maximum")
        return super().classify(messages)


def test_a_message_the_model_cannot_read_fails_alone(first_model, tmp_path):
    first, _, _ = first_model
    sessions = open_store(f"sqlite:///{tmp_path / 'smista.db'}")
    pipeline = Pipeline(sessions, Failing(first))
    pks = [pipeline.store_raw(mail(i, body=body), "contact", "INBOX", 1, str(i))[0]
           for i, body in enumerate(["Il lampione di via Roma è spento", "GUASTO-BOMBA", "Presento formale reclamo"])]
    status = pipeline.process_many(pks)
    assert [status[pk] for pk in pks] == ["classified", "failed", "classified"]
    with sessions() as s:
        failed = s.get(StoredMessage, pks[1])
        assert "E088" in failed.failure_reason and failed.raw  # kept, with its reason
