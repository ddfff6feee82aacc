from __future__ import annotations

import numpy as np

from faq.clustering import IncrementalClusterer, recluster, stable_ids


def blobs(seed: int, centers: int = 3, per: int = 6, noise: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    c = rng.normal(0, 1, (centers, 16))
    x = np.repeat(c, per, axis=0) + rng.normal(0, noise, (centers * per, 16))
    return x / np.linalg.norm(x, axis=1, keepdims=True), np.repeat(np.arange(centers), per)


def same_partition(a, b) -> bool:
    return len(set(zip(a, b))) == len(set(a)) == len(set(b))


def test_recluster_finds_the_groups_without_k():
    x, y = blobs(0)
    assert same_partition(recluster(x, 0.8).tolist(), y.tolist())


def test_chunked_recluster_matches_direct_on_clear_groups():
    x, y = blobs(1, centers=4, per=60, noise=0.02)
    assert same_partition(recluster(x, 0.8, direct_max=100, micro_size=5).tolist(), y.tolist())


def test_incremental_join_or_start():
    x, y = blobs(2)
    clusters = IncrementalClusterer(join=0.8)
    ids = clusters.add(list(range(len(x))), x)
    assert same_partition(ids, y.tolist())
    assert clusters.unclustered() == []
    far = -x[:1]
    assert clusters.add(["alone"], far) == [max(ids) + 1]
    assert clusters.unclustered() == ["alone"]


def test_ids_are_stable_across_a_rerun_and_after_adding_questions():
    x, y = blobs(3)
    clusters = IncrementalClusterer(join=0.8)
    first = clusters.add(list(range(len(x))), x)
    clusters.recluster()
    assert clusters.labels == first  # a re-run keeps every id
    clusters.recluster()
    assert clusters.labels == first
    extra, _ = blobs(3, per=2, noise=0.06)  # more questions on the same three topics
    clusters.add(list(range(100, 100 + len(extra))), extra)
    clusters.recluster()
    assert clusters.labels[: len(first)] == first
    assert set(clusters.labels) == set(first)


def test_stable_ids_give_fresh_ids_to_new_clusters_deterministically():
    old = {"a": 7, "b": 7, "c": 9}
    new = {"a": 0, "b": 0, "c": 1, "d": 2, "e": 3}
    mapping, nxt = stable_ids(old, new, next_id=10)
    assert mapping == {0: 7, 1: 9, 2: 10, 3: 11} and nxt == 12


def test_a_split_cluster_keeps_its_id_on_the_larger_part():
    old = {k: 4 for k in "abcde"}
    mapping, _ = stable_ids(old, {"a": 0, "b": 1, "c": 1, "d": 1, "e": 0}, next_id=5)
    assert mapping[1] == 4 and mapping[0] == 5
