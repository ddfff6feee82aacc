"""The FAQ core (``faq/``) on EVALITA 2016 QA4FAQ: matching cold and warm, clustering, gap
detection, candidates end to end, and speed, each beside its baseline in the same run.

    python bench/faq.py /path/to/qa4faq [--seeds 3]

The data is CC BY-NC-SA (evaluation only): it is read from the given folder, kept in memory
and never written anywhere. Every weight and threshold is chosen on queries (or FAQ) that the
figure printed next to it never saw; each line says which split it comes from.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from faq.fusion import LearnedFusion, ZSumFusion  # noqa: E402
from faq.matching import Matcher  # noqa: E402
from faq.signals import Bm25, CharTfidf, E5Embedder  # noqa: E402

import _faq_parts as parts  # noqa: E402
from _faq_parts import halves, load, mrr_p1, print_medians, take  # noqa: E402


class CachedEmbedder:
    """E5 with a memo: the folds embed the same texts again and again. With ``cache`` (a file
    under /tmp, never the repository: the texts are evaluation-only data) the vectors survive runs."""

    def __init__(self, cache: Path | None = None) -> None:
        self.e5 = E5Embedder()
        self.dim = self.e5.dim
        self.cache = cache
        self._memo: dict[tuple[bool, str], np.ndarray] = {}
        self._dirty = False
        if cache is not None and cache.exists():
            with np.load(cache, allow_pickle=False) as data:
                for flag, vectors, texts in ((True, data["q"], data["qt"]), (False, data["p"], data["pt"])):
                    self._memo.update({(flag, str(t)): v for t, v in zip(texts, vectors)})

    def _get(self, texts, is_query: bool) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if (is_query, t) not in self._memo))
        if missing:
            vecs = self.e5.query(missing) if is_query else self.e5.passage(missing)
            self._memo.update({(is_query, t): v for t, v in zip(missing, vecs)})
            self._dirty = True
        return np.vstack([self._memo[(is_query, t)] for t in texts]) if len(texts) else np.zeros((0, self.e5.dim), np.float32)

    def save(self) -> None:
        if self.cache is None or not self._dirty:
            return
        parts = {flag: [(t, v) for (f, t), v in self._memo.items() if f == flag] for flag in (True, False)}
        arrays = {}
        for flag, key in ((True, "q"), (False, "p")):
            items = parts[flag]
            arrays[key] = np.vstack([v for _, v in items]) if items else np.zeros((0, self.dim), np.float32)
            arrays[key + "t"] = np.array([t for t, _ in items], dtype=str)
        tmp = self.cache.with_suffix(".tmp.npz")
        np.savez(tmp, **arrays)
        tmp.replace(self.cache)
        self._dirty = False

    def query(self, texts):
        return self._get(list(texts), True)

    def passage(self, texts):
        return self._get(list(texts), False)


def tune_weights(z: dict[str, np.ndarray], relevant: list[set[int]]) -> dict[str, float]:
    """Coordinate ascent on MRR over a small grid: the weighted-sum fusion's weights."""
    w = {k: 1.0 for k in z}
    best = mrr_p1(ZSumFusion(w).score(z), relevant)[0]
    for _ in range(2):
        for k in sorted(z):
            for g in (0, 0.5, 1, 1.5, 2, 3):
                trial = {**w, k: g}
                m = mrr_p1(ZSumFusion(trial).score(z), relevant)[0]
                if m > best + 1e-6:
                    best, w = m, trial
    return w


def cold(ctx: parts.Context, seeds: list[int]) -> None:
    print("\n== Matching, cold (FAQ collection only; 1,132 queries) ==")
    entries, texts, relevant = ctx.entries, ctx.texts, ctx.relevant
    started = time.perf_counter()
    scores = Matcher(entries, ctx.embedder).scores(texts)
    bm = Bm25().fit([f"{e.question} {e.answer} {' '.join(e.tags)}" for e in entries]).score(texts)
    char = CharTfidf().fit([e.question for e in entries] + [e.answer for e in entries])
    print("  no tuning, all 1,132 queries:")
    print("    BM25 alone (question+answer+tags, one index) MRR %.3f  P@1 %.3f" % mrr_p1(bm, relevant))
    print("    char TF-IDF alone (question)                 MRR %.3f  P@1 %.3f"
          % mrr_p1(char.score(texts, char.vectors([e.question for e in entries])), relevant))
    print("    e5 alone (query-query on the question)       MRR %.3f  P@1 %.3f" % mrr_p1(scores.raw["e5_question"], relevant))
    print("    hybrid, equal-weight z-sum of 10 signals      MRR %.3f  P@1 %.3f" % mrr_p1(scores.fused, relevant))
    rrf = sum(1.0 / (60 + np.argsort(np.argsort(-v, axis=1), axis=1)) for v in scores.z.values())
    print("    hybrid, reciprocal rank fusion (k=60)         MRR %.3f  P@1 %.3f" % mrr_p1(rrf, relevant))
    results: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for seed in seeds:
        a, b = halves(len(texts), seed)
        out = {name: np.zeros_like(scores.fused) for name in ("weighted", "linear", "boosted")}
        for train, test in ((a, b), (b, a)):
            rel_train = [relevant[i] for i in train]
            w = tune_weights(take(scores.z, train), rel_train)
            out["weighted"][test] = ZSumFusion(w).score(take(scores.z, test))
            for kind in ("linear", "boosted"):
                out[kind][test] = LearnedFusion(kind, seed=seed).fit(take(scores.z, train), rel_train).score(take(scores.z, test))
        for name, fused in out.items():
            results[name].append(mrr_p1(fused, relevant))
    print(f"  fusion fitted on one half of the queries, scored on the other (both ways), median of {len(seeds)} seeds:")
    print_medians(results, {"weighted": "weighted z-sum, weights by coordinate ascent", "linear": "learned, logistic regression",
                            "boosted": "learned, gradient-boosted trees (kept)"}, "MRR >= 0.62, P@1 >= 0.50", started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, help="the qa4faq folder (qa4faq_question, qa4faq_qrel, faqs_uft8_QA.csv)")
    parser.add_argument("--seeds", type=int, default=3, help="seeds for the splits where randomness matters")
    parser.add_argument("--splits", type=int, default=5, help="hidden-FAQ splits for gap detection and candidates")
    parser.add_argument("--only", default="cold,threshold,warm,clustering,gaps,candidates,speed")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/smista-faq-e5.npz"),
                        help="e5 vectors of the evaluation texts kept between runs (outside the repository)")
    args = parser.parse_args()
    started = time.perf_counter()
    qids, texts, rel, entries = load(args.data)
    index = {e.id: i for i, e in enumerate(entries)}
    ctx = parts.Context(qids, texts, [{index[f] for f in rel[q]} for q in qids], entries, CachedEmbedder(args.cache))
    print(f"QA4FAQ: {len(texts)} queries, {len(entries)} FAQs, {sum(len(r) for r in ctx.relevant)} relevant pairs")
    seeds = list(range(args.seeds))
    steps = {"cold": lambda: cold(ctx, seeds), "warm": lambda: parts.warm(ctx, seeds),
             "clustering": lambda: parts.clustering(ctx, seeds), "gaps": lambda: parts.gaps(ctx, args.splits),
             "candidates": lambda: parts.candidates_end_to_end(ctx, args.splits), "speed": lambda: parts.speed(ctx),
             "threshold": lambda: parts.threshold(ctx, seeds)}
    for name in args.only.split(","):
        steps[name]()
        ctx.embedder.save()
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
