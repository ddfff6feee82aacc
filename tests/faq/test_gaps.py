from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from faq.gaps import GapDetector, gap_features
from faq.matching import Matcher

ANSWERED = ["a che ora apre lo sportello?", "come pago la bolletta?", "ho perso la password del portale",
            "voglio presentare un reclamo", "il lampione sotto casa è spento", "orari dell'ufficio clienti?"]
GAPS = ["posso portare il cane in ufficio?", "vendete pannelli solari?", "il parcheggio è gratuito?",
        "organizzate visite per le scuole?", "cercate personale da assumere?", "avete una app per il telefono?"]


def test_gap_detector_ranks_unanswerable_questions_higher(collection, embedder):
    matcher = Matcher(collection, embedder)
    feats = gap_features(matcher.scores(ANSWERED + GAPS))
    is_gap = [False] * len(ANSWERED) + [True] * len(GAPS)
    detector = GapDetector().fit(feats, is_gap)
    assert roc_auc_score(is_gap, detector.score(feats)) > 0.8


def test_gap_detector_needs_both_kinds():
    with pytest.raises(ValueError, match="both gaps and answered"):
        GapDetector().fit(np.zeros((3, 2)), [True, True, True])
