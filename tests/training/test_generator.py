from collections import Counter

from classifier.labels import TYPES, URGENCIES
from training.corpus import check_record
from training.generator import Generator


def test_same_seed_same_corpus_and_different_seed_differs():
    a = list(Generator(seed=7).messages(200))
    assert a == list(Generator(seed=7).messages(200))
    assert a != list(Generator(seed=8).messages(200))


def test_generated_messages_are_valid_unique_and_cover_the_taxonomy():
    msgs = list(Generator(seed=3).messages(2500))
    assert all(check_record(m) == [] for m in msgs)
    assert len({(m["subject"], m["body"]) for m in msgs}) == len(msgs)
    assert set(Counter(m["type"] for m in msgs)) == set(TYPES)
    assert set(Counter(m["urgency"] for m in msgs)) == set(URGENCIES)
    assert len({m["domain"] for m in msgs} - {"general"}) >= 8
    assert {m["channel"] for m in msgs} == {"email", "pec"}
    assert all(m["urgency"] == "low" for m in msgs if m["type"] == "other")


def test_mailbox_noise_is_present():
    bodies = [m["body"] for m in Generator(seed=5).messages(3000)]
    assert any("ha scritto:" in b for b in bodies)
    assert any("Messaggio originale" in b or "Inviato:" in b for b in bodies)
    assert any("2016/679" in b for b in bodies)
    assert any("<p>" in b or "<br>" in b for b in bodies)
    assert any(b.isupper() for b in bodies)
    assert any("e' " in b for b in bodies)
