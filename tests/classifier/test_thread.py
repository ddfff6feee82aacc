"""The thread input: the type of the earlier request in a message's thread reaches the model
as evidence of earlier contact, and can change a reply's type."""

import pytest

from classifier import nlp as nlp_mod
from classifier.features import Message, context_tokens, prepare, thread_tokens
from tests.classifier.conftest import TINY, URGENCY
from training.train import fit, read_config, to_message


def test_context_tokens_read_reply_chains_and_quotes():
    assert context_tokens("R: R: richiesta", "ancora spento", "") == "ctx ctx_re ctx_rere ctx_short"
    assert context_tokens("I: guasto", "x " * 200, "quoted").split() == ["ctx", "ctx_fwd", "ctx_quoted", "ctx_long"]
    assert context_tokens("Lampione", "il lampione di via Roma è spento da ieri sera", "") == "ctx ctx_mid"
    assert thread_tokens("intervention") == "thr thr_intervention" and thread_tokens(None) == "thr"


@pytest.fixture(scope="module")
def thread_model():
    """Trained where the same fault text is a new report alone and a reminder inside a thread."""
    quote = "\n\nIl giorno 2 nov 2026, Mario <m@x.it> ha scritto:\n> messaggio precedente"
    records = [{"subject": "richiesta", "body": text + (quote if t == "status" else ""), "from": "", "type": t,
                "urgency": URGENCY[t], "source": "handwritten"} for t, texts in TINY.items() for text in texts]
    faults = TINY["intervention"]
    records += [{"subject": "richiesta", "body": text, "from": "", "type": "reminder", "urgency": "normal",
                 "source": "handwritten", "thread": "intervention"} for text in faults for _ in range(2)]
    records += [{"subject": "richiesta", "body": text, "from": "", "type": "intervention", "urgency": "high",
                 "source": "handwritten"} for text in faults]
    config = read_config()
    config["model"]["calibration_folds"] = 2
    config["features"]["max_char_features"] = 2000
    config["features"]["thread_weight"] = 2.0
    nlp, name = nlp_mod.load()
    model = fit(prepare([to_message(r) for r in records], nlp), records, config, name, "20260101-000000")
    return model, nlp


def test_the_thread_changes_a_replys_type(thread_model):
    model, nlp = thread_model
    alone, in_thread = model.predict([Message("richiesta", "Il lampione di via Roma è spento"),
                                      Message("richiesta", "Il lampione di via Roma è spento", thread="intervention")], nlp)
    assert alone.type == "intervention"
    assert in_thread.type == "reminder"


def test_corpus_records_carry_the_thread_to_the_model():
    message = to_message({"subject": "Re: x", "body": "ancora", "thread": "status"})
    assert message.thread == "status"
    assert to_message({"subject": "", "body": ""}).thread is None
