"""FAQ candidates: clusters that enough distinct senders reached within a time window.

A question asked by many people recently is worth an FAQ; one sender asking five times is
not, hence distinct senders. Each candidate carries what an editor needs to decide: how
many asked and when, the weekly trend, a few representative questions (nearest the
centroid) and the nearest published FAQ with its score (is this a variant of one we have?).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Hashable, Mapping, Sequence

import numpy as np

from faq.clustering import IncrementalClusterer


@dataclass(frozen=True)
class Sighting:
    """One question as asked: its text (pseudonymised), who asked and when."""

    text: str
    sender: str
    seen_at: datetime


@dataclass(frozen=True)
class Candidate:
    cluster_id: int
    count: int
    senders: int
    first_seen: datetime
    last_seen: datetime
    weekly: tuple[int, ...]  # questions per week over the window, oldest first
    representatives: tuple[str, ...]
    nearest_faq: str | None
    nearest_score: float | None
    keys: tuple[Hashable, ...]


NearestFaq = Callable[[Sequence[str]], tuple[str, float]]


def candidates(clusters: IncrementalClusterer, sightings: Mapping[Hashable, Sighting], now: datetime,
               min_senders: int = 5, window: timedelta = timedelta(days=60), representatives: int = 5,
               nearest_faq: NearestFaq | None = None) -> list[Candidate]:
    """Clusters with at least ``min_senders`` distinct senders in ``(now - window, now]``, largest first."""
    start = now - window
    weeks = max(1, -(-window.days // 7))
    out = []
    for cid, positions in clusters.members().items():
        recent = [p for p in positions if start < sightings[clusters.keys[p]].seen_at <= now]
        seen = [sightings[clusters.keys[p]] for p in recent]
        if len({s.sender for s in seen}) < min_senders:
            continue
        sims = clusters.vectors[recent] @ clusters.centroid(cid)
        nearest = [recent[i] for i in np.argsort(-sims, kind="stable")[:representatives]]
        texts = tuple(dict.fromkeys(sightings[clusters.keys[p]].text for p in nearest))
        weekly = [0] * weeks
        for s in seen:
            weekly[min(weeks - 1, int((s.seen_at - start) / timedelta(days=7)))] += 1
        faq, score = nearest_faq(texts) if nearest_faq else (None, None)
        out.append(Candidate(cid, len(seen), len({s.sender for s in seen}), min(s.seen_at for s in seen),
                             max(s.seen_at for s in seen), tuple(weekly), texts, faq, score,
                             tuple(clusters.keys[p] for p in recent)))
    return sorted(out, key=lambda c: (-c.senders, c.cluster_id))
