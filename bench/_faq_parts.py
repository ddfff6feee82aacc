"""The parts of ``bench/faq.py`` after cold matching: warm matching, clustering, gap
detection, candidates end to end and speed. Nothing here writes a file."""

from __future__ import annotations

import csv
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score, roc_auc_score
from sklearn.model_selection import KFold

from faq.candidates import Sighting, candidates
from faq.clustering import IncrementalClusterer, recluster
from faq.fusion import LearnedFusion, ZSumFusion
from faq.gaps import GapDetector, gap_features, nearest_distance
from faq.entries import FaqEntry
from faq.matching import Matcher, Scores, choose_threshold
from faq.questions import extract_questions
from faq.signals import E5Embedder, fold
from faq.space import QuestionSpace


def load(folder: Path) -> tuple[list[str], list[str], dict[str, set[str]], list[FaqEntry]]:
    """QA4FAQ from its folder: query ids and texts, the relevant FAQ ids of each, the FAQ collection."""
    lines = (folder / "qa4faq_question").read_text(encoding="utf-8").splitlines()
    qids, texts = zip(*(line.split("\t", 1) for line in lines if line.strip()))
    rel: dict[str, set[str]] = defaultdict(set)
    for line in (folder / "qa4faq_qrel").read_text().splitlines():
        if line.strip():
            q, f = line.split()[:2]
            rel[q].add(f)
    with open(folder / "faqs_uft8_QA.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))[1:]
    entries = [FaqEntry(r[0], r[1], r[2], tuple(t.strip() for t in r[3].split(",") if t.strip())) for r in rows]
    return list(qids), list(texts), dict(rel), entries


@dataclass
class Context:
    qids: list[str]
    texts: list[str]
    relevant: list[set[int]]  # column indices into entries
    entries: list[FaqEntry]
    embedder: object


def mrr_p1(fused: np.ndarray, relevant: list[set[int]]) -> tuple[float, float]:
    rr, p1 = [], []
    for row, gold in zip(fused, relevant):
        rank = int((row > max(row[g] for g in gold)).sum())
        rr.append(1 / (rank + 1))
        p1.append(rank == 0)
    return float(np.mean(rr)), float(np.mean(p1))


def halves(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    perm = np.random.default_rng(seed).permutation(n)
    return np.sort(perm[: n // 2]), np.sort(perm[n // 2:])


def take(z: dict[str, np.ndarray], idx) -> dict[str, np.ndarray]:
    return {k: v[idx] for k, v in z.items()}


def concat(zs: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {k: np.vstack([z[k] for z in zs]) for k in zs[0]}


# --- warm -------------------------------------------------------------------------------------

def warm_z(ctx: Context, train: np.ndarray, test: np.ndarray) -> Scores:
    """Scores of ``test`` queries against the collection with ``train`` queries as paraphrases."""
    para: dict[int, list[str]] = {}
    for i in train:
        for f in sorted(ctx.relevant[i]):
            para.setdefault(f, []).append(ctx.texts[i])
    entries = [replace(e, paraphrases=tuple(para.get(j, ()))) for j, e in enumerate(ctx.entries)]
    return Matcher(entries, ctx.embedder).scores([ctx.texts[i] for i in test])


def warm(ctx: Context, seeds: list[int]) -> None:
    print("\n== Matching, warm (5 folds; the training folds' queries are paraphrases of their FAQ) ==")
    started, n = time.perf_counter(), len(ctx.texts)
    res: dict[str, list[tuple[float, float]]] = {"e5": [], "zsum": [], "boosted": []}
    for seed in seeds:
        out = {k: np.zeros((n, len(ctx.entries)), np.float32) for k in res}
        for tr, te in KFold(5, shuffle=True, random_state=seed).split(np.arange(n)):
            inner_z, inner_rel = [], []
            for itr, ite in KFold(4, shuffle=True, random_state=seed).split(tr):  # fusion fitted on the training folds only
                inner_z.append(warm_z(ctx, tr[itr], tr[ite]).z)
                inner_rel += [ctx.relevant[i] for i in tr[ite]]
            fusion = LearnedFusion("boosted", seed=seed).fit(concat(inner_z), inner_rel)
            scores = warm_z(ctx, tr, te)
            out["e5"][te], out["zsum"][te] = scores.raw["e5_question"], ZSumFusion().score(scores.z)
            out["boosted"][te] = fusion.score(scores.z)
        for k in res:
            res[k].append(mrr_p1(out[k], ctx.relevant))
    print(f"  every query scored on the fold it was held out of; median of {len(seeds)} seeds:")
    print_medians(res, {"e5": "e5 alone (max over question + paraphrases)", "zsum": "hybrid, equal-weight z-sum",
                        "boosted": "hybrid, boosted fusion fitted on inner folds"}, "MRR >= 0.80, P@1 >= 0.70", started)


def print_medians(results: dict, labels: dict[str, str], target: str, started: float) -> None:
    """One line per method: the median MRR and P@1 over seeds, with the target; then the time taken."""
    for key, label in labels.items():
        m = np.median(np.array(results[key]), axis=0)
        print(f"    {label:45} MRR {m[0]:.3f}  P@1 {m[1]:.3f}   [target {target}]")
    print(f"  ({time.perf_counter() - started:.0f} s)")


# --- clustering ---------------------------------------------------------------------------------

def ari_ami(y, labels) -> tuple[float, float]:
    return adjusted_rand_score(y, labels), adjusted_mutual_info_score(y, labels)


SIMS = [round(x, 2) for x in np.arange(0.0, 0.76, 0.05)]


def _tune(e5, fused, y, tr, seed, lda: bool, weights) -> tuple[float, float]:
    """Threshold (and profile weight) on the training FAQ: space fitted on half of them, cut chosen on the rest."""
    faqs = np.array(sorted(set(y[tr])))
    np.random.default_rng(seed).shuffle(faqs)
    fit_part = set(faqs[: len(faqs) // 2])
    t1 = np.array([i for i in tr if y[i] in fit_part])
    t2 = np.array([i for i in tr if y[i] not in fit_part])
    best = (-1.0, 0.3, 0.0)
    for w in weights:
        space = QuestionSpace.fit(e5[t1], y[t1] if lda else None, profile_weight=w)
        X = space.vectors(e5[t2], fused[t2] if fused is not None else None)
        for s in SIMS:
            a, m = ari_ami(y[t2], recluster(X, s))
            if a + m > best[0]:
                best = (a + m, s, w)
    return best[1], best[2]


def clustering(ctx: Context, seeds: list[int]) -> None:
    print("\n== Clustering (queries with exactly one relevant FAQ; gold = that FAQ) ==")
    started = time.perf_counter()
    single = np.array([i for i, r in enumerate(ctx.relevant) if len(r) == 1])
    y = np.array([next(iter(ctx.relevant[i])) for i in single])
    texts = [ctx.texts[i] for i in single]
    e5 = ctx.embedder.query(texts)
    fused = Matcher(ctx.entries, ctx.embedder).scores(texts).fused  # label-free z-sum fusion
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, preprocessor=fold).fit_transform(texts)
    print(f"  {len(single)} queries, {len(set(y))} gold clusters")
    km = KMeans(len(set(y)), n_init=4, random_state=0).fit_predict(char)
    print("  baseline, char TF-IDF + KMeans given the true k, all queries: ARI %.3f  AMI %.3f" % ari_ami(y, km))
    variants = {"e5 centred": (False, None), "e5 centred + LDA": (True, None), "e5 centred + LDA + FAQ profile": (True, (0.5, 1.0, 1.5)),
                "e5 centred + FAQ profile (no labels)": (False, (0.5, 1.0, 1.5))}
    res: dict[str, list[tuple[float, float]]] = {k: [] for k in ["kmeans"] + list(variants)}
    chosen: dict[str, list] = {k: [] for k in variants}
    for seed in seeds:
        faqs = np.array(sorted(set(y)))
        np.random.default_rng(seed).shuffle(faqs)
        in_a = np.isin(y, faqs[: len(faqs) // 2])
        for tr, te in ((np.flatnonzero(in_a), np.flatnonzero(~in_a)), (np.flatnonzero(~in_a), np.flatnonzero(in_a))):
            res["kmeans"].append(ari_ami(y[te], KMeans(len(set(y[te])), n_init=4, random_state=seed).fit_predict(char[te])))
            for name, (lda, weights) in variants.items():
                f = fused if weights else None
                s, w = _tune(e5, f, y, tr, seed, lda, weights or (0.0,))
                space = QuestionSpace.fit(e5[tr], y[tr] if lda else None, profile_weight=w)
                labels = recluster(space.vectors(e5[te], f[te] if f is not None else None), s)
                res[name].append(ari_ami(y[te], labels))
                chosen[name].append((s, w, len(set(labels)), len(set(y[te]))))
    print("  split by gold cluster into halves; tuned on one half (space fitted on part of it, cut chosen on the rest),")
    print(f"  scored on the other, both ways; median over {len(seeds)} seeds x 2 halves (about 117 gold clusters per half):")
    m = np.median(np.array(res["kmeans"]), axis=0)
    print(f"    baseline char TF-IDF + KMeans, true k          ARI {m[0]:.3f}  AMI {m[1]:.3f}")
    for name in variants:
        m = np.median(np.array(res[name]), axis=0)
        picks = chosen[name][0]
        print(f"    {name:46} ARI {m[0]:.3f}  AMI {m[1]:.3f}   [target ARI >= 0.45, AMI >= 0.60]"
              f"  (e.g. cut at cosine {picks[0]}, profile weight {picks[1]}: {picks[2]} clusters for {picks[3]} gold)")
    print("  (LDA is fitted on the tuning half's labelled queries; the FAQ profile uses the published collection, no labels)")
    print(f"  ({time.perf_counter() - started:.0f} s)")


# --- gaps ------------------------------------------------------------------------------------------

def hidden_split(n_faq: int, seed: int, share: float = 0.2) -> set[int]:
    return set(np.random.default_rng(1000 + seed).permutation(n_faq)[: int(round(share * n_faq))].tolist())


def visible_scores(ctx: Context, hidden: set[int], idx, fusion_train=None) -> tuple[Scores, list[int], list[set[int]]]:
    """Scores of queries ``idx`` against the collection minus ``hidden`` (columns renumbered)."""
    keep = [j for j in range(len(ctx.entries)) if j not in hidden]
    col = {j: c for c, j in enumerate(keep)}
    matcher = Matcher([ctx.entries[j] for j in keep], ctx.embedder, fusion_train)
    rel = [{col[f] for f in ctx.relevant[i] if f in col} for i in idx]
    return matcher.scores([ctx.texts[i] for i in idx]), keep, rel


def gap_model(ctx: Context, hidden: set[int], idx, seed: int, recall: float | None = None):
    """Fusion and gap detector fitted on queries ``idx`` with FAQ ``hidden`` taken out."""
    scores, _, rel = visible_scores(ctx, hidden, idx)
    answered = [k for k, r in enumerate(rel) if r]
    fusion = LearnedFusion("boosted", seed=seed).fit(take(scores.z, answered), [rel[k] for k in answered])
    scores.fused = fusion.score(scores.z)
    is_gap = [not r for r in rel]
    feats = gap_features(scores)
    detector = GapDetector().fit(feats, is_gap)
    gap_scores = detector.score(feats)
    if recall is None:
        return fusion, detector, choose_threshold(gap_scores, is_gap)
    return fusion, detector, float(np.quantile(gap_scores[np.asarray(is_gap)], 1 - recall))  # routes that share of gaps


def gaps(ctx: Context, splits: int = 5) -> None:
    print("\n== Gap detection (20% of the FAQ hidden; positives: queries whose relevant FAQ are all hidden) ==")
    started, n = time.perf_counter(), len(ctx.texts)
    res: dict[str, list[float]] = {"nearest": [], "top": [], "detector": []}
    for s in range(splits):
        hidden, train_hidden = hidden_split(len(ctx.entries), s), hidden_split(len(ctx.entries), 50 + s)
        a, b = halves(n, s)
        truth, pred = {k: np.zeros(n) for k in res}, np.zeros(n, bool)
        for tr, te in ((a, b), (b, a)):
            fusion, detector, _ = gap_model(ctx, train_hidden, tr, s)  # other queries, other hidden FAQ
            scores, _, rel = visible_scores(ctx, hidden, te, fusion)
            pred[te] = [not r for r in rel]
            truth["nearest"][te] = nearest_distance(scores)
            truth["top"][te] = -scores.fused.max(axis=1)
            truth["detector"][te] = detector.score(gap_features(scores))
        for k in res:
            res[k].append(roc_auc_score(pred, truth[k]))
    print(f"  detector fitted on the other half of the queries with another hidden 20%; median AUC over {splits} splits"
          f" ({int(pred.sum())} positives in the last):")
    print(f"    baseline: nearest-FAQ distance (1 - e5 cosine)  AUC {np.median(res['nearest']):.3f}")
    print(f"    1 - top fused score                             AUC {np.median(res['top']):.3f}")
    print(f"    gap detector (scores, margin, agreement)        AUC {np.median(res['detector']):.3f}   [target >= 0.85]")
    print(f"    per split: {' '.join(f'{v:.3f}' for v in res['detector'])}")
    labelled = gaps_labelled(ctx, splits)
    print("  the same hidden 20%, detector fitted on the other half of the queries, labelled by operators as answered or not")
    print("  (adds the similarity to the nearest known-gap and known-answered questions of that half):")
    print(f"    gap detector + labelled neighbours              AUC {np.median(labelled):.3f}   [target >= 0.85]")
    print(f"    per split: {' '.join(f'{v:.3f}' for v in labelled)}")
    print(f"  ({time.perf_counter() - started:.0f} s)")


def neighbour_features(sims: np.ndarray, pool_gap: np.ndarray) -> np.ndarray:
    """Best and top-3 mean cosine to known gaps and to known answered questions, and their differences."""
    cols = []
    for part in (sims[:, pool_gap], sims[:, ~pool_gap]):
        top = -np.sort(-part, axis=1)[:, :3] if part.shape[1] else np.zeros((len(sims), 1))
        cols += [top[:, 0], top.mean(axis=1)]
    cols += [cols[0] - cols[2], cols[1] - cols[3]]
    return np.stack(cols, axis=1)


def gaps_labelled(ctx: Context, splits: int) -> list[float]:
    e5 = ctx.embedder.query(ctx.texts)
    sims = e5 @ e5.T
    np.fill_diagonal(sims, -1.0)  # a question is never its own neighbour
    out = []
    for s in range(splits):
        hidden = hidden_split(len(ctx.entries), s)
        a, b = halves(len(ctx.texts), s)
        truth, score = np.zeros(len(ctx.texts), bool), np.zeros(len(ctx.texts))
        for tr, te in ((a, b), (b, a)):
            feats = {}
            for idx in (tr, te):
                scores, _, rel = visible_scores(ctx, hidden, idx)
                truth[idx] = [not r for r in rel]
                feats[len(feats)] = (scores, idx)
            pool_gap = truth[tr]
            x_tr = np.hstack([gap_features(feats[0][0]), neighbour_features(sims[np.ix_(tr, tr)], pool_gap)])
            x_te = np.hstack([gap_features(feats[1][0]), neighbour_features(sims[np.ix_(te, tr)], pool_gap)])
            score[te] = GapDetector().fit(x_tr, pool_gap).score(x_te)
        out.append(roc_auc_score(truth, score))
    return out


# --- candidates end to end -------------------------------------------------------------------------

def as_message(text: str) -> str:
    """A query as a clarification e-mail: greeting, the query, a closing and a signature."""
    return f"Buongiorno,\n{text}\n\nCordiali saluti\nMaria Bianchi\n"


def stream(ctx: Context, hidden: set[int], seed: int, join: float, recall: float, batch: int = 50, every: int = 200):
    """Queries in id order through extraction, matching, the gap detector and incremental clustering."""
    fusion, detector, cut = gap_model(ctx, hidden_split(len(ctx.entries), 50 + seed), np.arange(len(ctx.texts)), seed, recall)
    keep = [j for j in range(len(ctx.entries)) if j not in hidden]
    matcher = Matcher([ctx.entries[j] for j in keep], ctx.embedder, fusion)
    space = QuestionSpace(ctx.embedder.query([ctx.entries[j].question for j in keep]).mean(axis=0), profile_weight=1.0)
    clusters, sightings = IncrementalClusterer(join=join, threshold=join, seed=seed), {}
    start, routed, since = datetime(2026, 1, 1), 0, 0
    order = sorted(range(len(ctx.texts)), key=lambda i: int(ctx.qids[i]))
    for b0 in range(0, len(order), batch):
        items = [(i, k, q) for i in order[b0:b0 + batch] for k, q in enumerate(extract_questions(as_message(ctx.texts[i])))]
        scores = matcher.scores([q for _, _, q in items])
        gap = detector.score(gap_features(scores)) >= cut
        chosen = [t for t, g in zip(items, gap) if g]
        if chosen:
            rows = np.flatnonzero(gap)
            vectors = space.vectors(ctx.embedder.query([q for _, _, q in chosen]), scores.fused[rows])
            keys = [(i, k) for i, k, _ in chosen]
            for (i, _, q), key in zip(chosen, keys):
                sightings[key] = Sighting(q, f"sender-{i}", start + timedelta(hours=order.index(i)))
            clusters.add(keys, vectors)
            routed, since = routed + len(chosen), since + len(chosen)
        if since >= every:
            clusters.recluster()
            since = 0
    clusters.recluster()
    now = start + timedelta(hours=len(order))

    def nearest(texts):
        fused = matcher.scores(list(texts)).fused.mean(axis=0)
        return matcher.faq_ids[int(fused.argmax())], float(fused.max())

    return candidates(clusters, sightings, now, nearest_faq=nearest), routed, clusters


def candidates_end_to_end(ctx: Context, splits: int = 5, join: float = 0.5, recall: float = 0.8) -> None:
    print("\n== Candidates end to end (queries streamed in id order as clarification mail; 20% of the FAQ hidden) ==")
    started = time.perf_counter()
    counts = Counter(f for r in ctx.relevant for f in r)
    cover, purity, shown = [], [], []
    for s in range(splits):
        hidden = hidden_split(len(ctx.entries), s)
        found, routed, clusters = stream(ctx, hidden, s, join, recall)
        big = {f for f in hidden if counts[f] >= 5}
        mapped = []
        for c in found:
            labels = Counter(f for key in c.keys for f in ctx.relevant[key[0]])
            f, k = labels.most_common(1)[0]
            mapped.append(f if f in hidden and k > len(c.keys) / 2 else None)
        cover.append(len(big & set(mapped)) / max(1, len(big)))
        purity.append(sum(m is not None for m in mapped) / max(1, len(mapped)))
        shown.append(f"split {s}: {routed} questions routed to clustering, {len(found)} candidates, "
                     f"{len(big & set(mapped))}/{len(big)} hidden FAQ with >= 5 queries covered, "
                     f"{len(clusters.unclustered())} unclustered")
    print("\n".join(f"    {line}" for line in shown))
    print(f"  gap detector fitted on another hidden 20%, cut routing {recall:.0%} of its gaps; join cosine {join};"
          f" median over {splits} splits:")
    print(f"    coverage of hidden FAQ with >= 5 queries  {np.median(cover):.3f}   [target >= 0.80]")
    print(f"    candidates mapping to one hidden FAQ      {np.median(purity):.3f}   [target >= 0.80]")
    print(f"  ({time.perf_counter() - started:.0f} s)")


# --- speed -------------------------------------------------------------------------------------------

def speed(ctx: Context, n_synthetic: int = 100_000) -> None:
    print("\n== Speed (2 shared cores) ==")
    embedder = E5Embedder()
    t0 = time.perf_counter()
    matcher = Matcher(ctx.entries, embedder)
    t1 = time.perf_counter()
    queries = ctx.texts[:500]
    matcher.match(queries)
    t2 = time.perf_counter()
    print(f"  collection of {len(ctx.entries)} FAQ indexed and embedded in {t1 - t0:.1f} s")
    print(f"  {len(queries)} questions embedded + matched (10 signals, top-5) in {t2 - t1:.1f} s: "
          f"{len(queries) / (t2 - t1):.0f} questions/s   [target >= 100]")
    e5 = ctx.embedder.query(ctx.texts)
    base = QuestionSpace.fit(e5, profile_weight=1.0).vectors(e5, matcher.scores(ctx.texts[:0] or ctx.texts).fused)
    rng = np.random.default_rng(0)
    synth = base[rng.integers(0, len(base), n_synthetic)] + rng.normal(0, 0.03, (n_synthetic, base.shape[1])).astype(np.float32)
    synth /= np.linalg.norm(synth, axis=1, keepdims=True)
    t3 = time.perf_counter()
    labels = recluster(synth, 0.5)
    t4 = time.perf_counter()
    print(f"  re-clustering {n_synthetic:,} synthetic questions ({base.shape[1]} dims; real query vectors, perturbed, in memory):"
          f" {t4 - t3:.1f} s, {len(set(labels.tolist()))} clusters   [target <= 120 s]")


# --- the suggestion threshold ------------------------------------------------------------------------

def threshold(ctx: Context, seeds: list[int], min_precision: float = 0.8) -> None:
    """The cut above which the service attaches its best FAQ to a message (``SMISTA_FAQ_MATCH_THRESHOLD``).

    The service ranks with the cold matcher (equal-weight z-sum: no labels needed) and cuts on the
    e5 cosine between the question and the top FAQ's question or paraphrases: z-scores depend on
    the size of the collection (with 20 FAQ none can stand 6 deviations out), a cosine does not.
    Both cuts are chosen on one half of the queries and scored on the other."""
    print(f"\n== Suggestion threshold (lowest cut reaching precision {min_precision:.0%} on one half) ==")
    started = time.perf_counter()
    scores = Matcher(ctx.entries, ctx.embedder).scores(ctx.texts)
    best = scores.fused.argmax(axis=1)
    correct = np.array([b in r for b, r in zip(best, ctx.relevant)])
    rows = np.arange(len(best))
    for name, top in (("fused z-sum", scores.fused.max(axis=1)), ("e5 cosine of the top FAQ (kept)", scores.raw["e5_question"][rows, best])):
        found = []
        for seed in seeds:
            a, b = halves(len(ctx.texts), seed)
            for train, test in ((a, b), (b, a)):
                cut = choose_threshold(top[train], correct[train], min_precision)
                shown = top[test] >= cut
                found.append((cut, correct[test][shown].mean() if shown.any() else float("nan"), shown.mean()))
        cut, precision, coverage = (float(np.median([r[i] for r in found])) for i in range(3))
        print(f"  {name:32s} median over {len(found)} half-splits: cut {cut:.3f}; held-out precision {precision:.3f},"
              f" queries with a suggestion {coverage:.1%}; cut on all queries {choose_threshold(top, correct, min_precision):.3f}")
    print(f"  top FAQ right for {correct.mean():.1%} of the queries  ({time.perf_counter() - started:.0f} s)")
