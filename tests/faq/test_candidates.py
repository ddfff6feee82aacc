from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np

from faq.candidates import Sighting, candidates
from faq.clustering import IncrementalClusterer

NOW = datetime(2026, 6, 30, 12, 0)
TEXTS = ["Si può avere la bolletta in inglese?", "Bolletta in lingua inglese possibile?", "Fattura in inglese?",
         "Posso ricevere la fattura in inglese?", "Esiste una bolletta in inglese?", "Bolletta tradotta in inglese?"]


def topic(seed: int, n: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = np.ones((n, 8)) + rng.normal(0, 0.05, (n, 8))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def build(senders: list[str], ages_days: list[int]):
    clusters = IncrementalClusterer(join=0.9)
    keys = list(range(len(senders)))
    clusters.add(keys, topic(0, len(keys)))
    seen = {k: Sighting(TEXTS[k % len(TEXTS)], s, NOW - timedelta(days=d)) for k, s, d in zip(keys, senders, ages_days)}
    return clusters, seen


def test_five_distinct_senders_in_the_window_make_a_candidate():
    clusters, seen = build(["a", "b", "c", "d", "e"], [1, 3, 10, 20, 40])
    (cand,) = candidates(clusters, seen, NOW, nearest_faq=lambda texts: ("fattura", 0.42))
    assert (cand.count, cand.senders) == (5, 5)
    assert cand.first_seen == NOW - timedelta(days=40) and cand.last_seen == NOW - timedelta(days=1)
    assert sum(cand.weekly) == 5 and len(cand.weekly) == 9 and cand.weekly[-1] == 2
    assert 3 <= len(cand.representatives) <= 5
    assert (cand.nearest_faq, cand.nearest_score) == ("fattura", 0.42)


def test_one_sender_asking_many_times_is_not_a_candidate():
    clusters, seen = build(["a", "a", "a", "b", "c", "d"], [1, 2, 3, 4, 5, 6])
    assert candidates(clusters, seen, NOW) == []
    assert len(candidates(clusters, seen, NOW, min_senders=4)) == 1


def test_questions_outside_the_window_do_not_count():
    clusters, seen = build(["a", "b", "c", "d", "e"], [1, 2, 3, 4, 61])
    assert candidates(clusters, seen, NOW) == []
    assert len(candidates(clusters, seen, NOW, window=timedelta(days=90))) == 1
