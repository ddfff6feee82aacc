"""Clusters of unmatched questions, kept up to date one question at a time and re-built in
full now and then, with ids that survive the re-build.

- ``IncrementalClusterer.add``: a question joins the cluster whose centroid is most similar,
  if the cosine reaches ``join``; otherwise it starts a cluster. Cheap, so it runs on arrival.
- ``recluster``: average-linkage agglomerative clustering cut at a distance (no number of
  clusters is given). Above ``direct_max`` questions it first groups them into tight
  k-means micro-clusters and links those, which keeps 100,000 questions within minutes.
- ``stable_ids``: a re-built cluster inherits the id of the old cluster it overlaps most
  (Hungarian assignment on the overlap counts), so an editor's candidate keeps its id.

Questions alone in their cluster are the "unclustered" ones, listed apart.
"""

from __future__ import annotations

from typing import Hashable, Mapping, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans

from faq.space import unit


def recluster(vectors: np.ndarray, threshold: float, direct_max: int = 3000, micro_size: int = 50, seed: int = 0) -> np.ndarray:
    """Labels 0..k-1 from average-linkage clustering of unit ``vectors`` cut at cosine similarity ``threshold``."""
    n = len(vectors)
    if n < 2:
        return np.zeros(n, dtype=int)
    if n <= direct_max:
        model = AgglomerativeClustering(n_clusters=None, distance_threshold=1.0 - threshold, metric="cosine", linkage="average")
        return model.fit_predict(vectors)
    micro = MiniBatchKMeans(n_clusters=min(n // micro_size, direct_max), init="random", random_state=seed, batch_size=8192,
                            n_init=1, max_iter=5).fit(vectors)
    centers = unit(micro.cluster_centers_)
    return recluster(centers, threshold, direct_max)[micro.labels_]


def stable_ids(old: Mapping[Hashable, int], new: Mapping[Hashable, int], next_id: int) -> tuple[dict[int, int], int]:
    """Map each new label to an id: the old id it shares most members with (one-to-one), else a fresh one.

    Returns the mapping and the next fresh id. Fresh ids go to new labels in order of their
    first member in ``new``, so the same input always gets the same ids.
    """
    new_labels = list(dict.fromkeys(new.values()))
    old_ids = sorted(set(old.values()))
    mapping: dict[int, int] = {}
    if old_ids and new_labels:
        row, col = {lab: i for i, lab in enumerate(new_labels)}, {cid: j for j, cid in enumerate(old_ids)}
        overlap = np.zeros((len(new_labels), len(old_ids)))
        for key, lab in new.items():
            if key in old:
                overlap[row[lab], col[old[key]]] += 1
        for i, j in zip(*linear_sum_assignment(-overlap)):
            if overlap[i, j] > 0:
                mapping[new_labels[i]] = old_ids[j]
    for lab in new_labels:
        if lab not in mapping:
            mapping[lab], next_id = next_id, next_id + 1
    return mapping, next_id


class IncrementalClusterer:
    """Clusters of question keys over unit vectors; ``join`` for arrivals, ``threshold`` for re-builds."""

    def __init__(self, join: float, threshold: float | None = None, seed: int = 0) -> None:
        self.join, self.threshold, self.seed = join, threshold if threshold is not None else join, seed
        self.keys: list[Hashable] = []
        self.vectors = np.zeros((0, 0), np.float32)
        self.labels: list[int] = []  # cluster id per key, aligned with self.keys
        self._ids: list[int] = []  # cluster id per centroid row
        self._sums = np.zeros((0, 0), np.float32)
        self._count: list[int] = []
        self._next = 0

    def _grow(self, vectors: np.ndarray) -> None:
        if self.vectors.size == 0:
            self.vectors = np.zeros((0, vectors.shape[1]), np.float32)
            self._sums = np.zeros((0, vectors.shape[1]), np.float32)
        self.vectors = np.vstack([self.vectors, vectors])

    def add(self, keys: Sequence[Hashable], vectors: np.ndarray) -> list[int]:
        """Assign each new question, in order, to a cluster; returns their cluster ids."""
        vectors = unit(np.asarray(vectors, np.float32))
        self._grow(vectors)
        out = []
        for key, v in zip(keys, vectors):
            sims = unit(self._sums) @ v if len(self._ids) else np.zeros(0)
            best = int(np.argmax(sims)) if len(sims) else -1
            if best >= 0 and sims[best] >= self.join:
                self._sums[best] += v
                self._count[best] += 1
                cid = self._ids[best]
            else:
                cid, self._next = self._next, self._next + 1
                self._ids.append(cid)
                self._count.append(1)
                self._sums = np.vstack([self._sums, v[None, :]])
            self.keys.append(key)
            self.labels.append(cid)
            out.append(cid)
        return out

    def recluster(self) -> dict[int, int]:
        """Re-build every cluster from all questions; ids kept where clusters overlap. Returns new id -> size."""
        if not self.keys:
            return {}
        raw = recluster(self.vectors, self.threshold, seed=self.seed)
        mapping, self._next = stable_ids(dict(zip(self.keys, self.labels)), dict(zip(self.keys, raw.tolist())), self._next)
        self.labels = [mapping[int(lab)] for lab in raw]
        self._rebuild()
        return dict(zip(self._ids, self._count))

    @classmethod
    def restore(cls, keys: Sequence[Hashable], vectors: np.ndarray, labels: Sequence[int], next_id: int, join: float,
                threshold: float | None = None, seed: int = 0) -> IncrementalClusterer:
        """The clusterer as it was: questions with the cluster ids a store kept for them."""
        clusterer = cls(join, threshold, seed)
        if len(keys):
            clusterer.keys, clusterer.labels = list(keys), [int(c) for c in labels]
            clusterer.vectors = unit(np.asarray(vectors, np.float32))
            clusterer._rebuild()
        clusterer._next = max([next_id, *(c + 1 for c in clusterer.labels)])
        return clusterer

    def _rebuild(self) -> None:
        """Centroid sums and sizes from ``labels``."""
        self._ids = sorted(set(self.labels))
        row = {cid: r for r, cid in enumerate(self._ids)}
        self._sums = np.zeros((len(self._ids), self.vectors.shape[1]), np.float32)
        np.add.at(self._sums, [row[c] for c in self.labels], self.vectors)
        self._count = np.bincount([row[c] for c in self.labels], minlength=len(self._ids)).tolist()

    @property
    def next_id(self) -> int:
        """The id the next new cluster will get: kept by a store between runs."""
        return self._next

    def members(self) -> dict[int, list[int]]:
        """Cluster id -> positions (in ``keys``/``vectors``) of its questions."""
        out: dict[int, list[int]] = {}
        for pos, cid in enumerate(self.labels):
            out.setdefault(cid, []).append(pos)
        return out

    def centroid(self, cid: int) -> np.ndarray:
        return unit(self._sums[self._ids.index(cid)][None, :])[0]

    def unclustered(self) -> list[Hashable]:
        """Keys of the questions alone in their cluster."""
        return [self.keys[m[0]] for m in self.members().values() if len(m) == 1]
