from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from faq.fusion import LearnedFusion, ZSumFusion
from faq.matching import Matcher, choose_threshold, znorm


@pytest.fixture(scope="module")
def matcher(collection, embedder):
    return Matcher(collection, embedder)


@pytest.mark.parametrize("query, expected", [
    ("a che ora apre l'ufficio al pubblico?", "orari"),
    ("la luce in strada non funziona da due giorni, come lo comunico?", "lampione"),
    ("si può pagare la bolletta con PagoPA?", "fattura"),
    ("non riesco più a entrare nel portale, ho perso la password", "password"),
])
def test_a_paraphrase_finds_its_faq(matcher, query, expected):
    (top, *_), = matcher.match([query], k=3)
    assert top.faq_id == expected


def test_batch_equals_one_by_one(matcher):
    queries = ["orari dello sportello?", "voglio fare reclamo"]
    together = matcher.match(queries, k=2)
    alone = [matcher.match([q], k=2)[0] for q in queries]
    assert [[m.faq_id for m in r] for r in together] == [[m.faq_id for m in r] for r in alone]
    assert np.allclose([m.score for r in together for m in r], [m.score for r in alone for m in r], atol=1e-5)


def test_a_paraphrase_linked_to_an_faq_pulls_its_wording(collection, embedder):
    query = "il palo 1234 di via Dante è al buio"
    linked = [replace(e, paraphrases=("il palo davanti casa è al buio",)) if e.id == "lampione" else e for e in collection]
    before = Matcher(collection, embedder).scores([query])
    after = Matcher(linked, embedder).scores([query])
    col = before.faq_ids.index("lampione")
    assert after.raw["e5_question"][0, col] > before.raw["e5_question"][0, col]
    assert after.top(1)[0][0].faq_id == "lampione"


def test_empty_collection_is_refused(embedder):
    with pytest.raises(ValueError, match="empty collection"):
        Matcher([], embedder)


def test_znorm_rows_have_zero_mean():
    z = znorm(np.array([[1.0, 2.0, 3.0], [5.0, 5.0, 8.0]]))
    assert np.allclose(z.mean(axis=1), 0, atol=1e-6)
    assert z[0].argmax() == 2


def test_zsum_weights_move_the_winner():
    z = {"a": np.array([[2.0, 0.0]]), "b": np.array([[0.0, 1.0]])}
    assert ZSumFusion().score(z)[0].argmax() == 0
    assert ZSumFusion({"a": 0.0}).score(z)[0].argmax() == 1


def test_learned_fusion_learns_which_signal_to_trust():
    rng = np.random.default_rng(0)
    n, m = 200, 8
    gold = rng.integers(0, m, n)
    good, noise = rng.normal(0, 1, (n, m)), rng.normal(0, 1, (n, m))
    good[np.arange(n), gold] += 3.0
    z = {"good": good, "noise": noise}
    relevant = [{int(g)} for g in gold]
    equal = (ZSumFusion().score(z).argmax(axis=1) == gold).mean()
    for kind in ("linear", "boosted"):
        learned = (LearnedFusion(kind).fit(z, relevant).score(z).argmax(axis=1) == gold).mean()
        assert learned >= (good.argmax(axis=1) == gold).mean() > equal + 0.1, kind


def test_choose_threshold_separates_right_from_wrong():
    scores = [0.9, 0.8, 0.7, 0.4, 0.3, 0.2]
    correct = [True, True, True, False, False, False]
    assert choose_threshold(scores, correct) == pytest.approx(0.7)
    assert choose_threshold([0.9, 0.8, 0.6, 0.5], [True, False, True, True], min_precision=1.0) == pytest.approx(0.9)
    with pytest.raises(ValueError, match="at least one correct"):
        choose_threshold([0.5], [False])
