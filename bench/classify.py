"""Classification speed and memory of smista, with the plain TF-IDF baseline in the same run.

    python bench/classify.py [--model models/<version>] [--repeats 5] [--profile]

Prints messages per second in batches of 1,000 (one process, and split over both cores),
single-message latency p50/p99 over 1,000 calls, and peak RSS: of a worker process that only
loads the model and classifies, and of this process. Throughputs are medians of the repeats.
``--profile`` first prints where the time of one classification goes, stage by stage (see
``bench/_stages.py``), for a single message and within a batch.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from _memory import peak_rss_mb  # noqa: E402
from classifier.bundle import Classifier, latest  # noqa: E402
from classifier.features import to_message  # noqa: E402

_worker: Classifier | None = None


def _init(model_dir: str) -> None:
    global _worker
    _worker = Classifier.load(Path(model_dir))


def _classify(records: list[dict]) -> int:
    return len(_worker.classify([to_message(r) for r in records]))


def _peak_rss_mb(_: object = None) -> float:
    return peak_rss_mb()


def _training_libraries(_: object = None) -> list[str]:
    """What a worker holds that only training needs: it should be nothing."""
    return sorted({m.split(".")[0] for m in sys.modules} & {"sklearn", "pandas", "training"})


def batch_rate(fn, batch: list, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn(batch)
        times.append(time.perf_counter() - started)
    return len(batch) / statistics.median(times)


def latencies_ms(fn, items: list) -> tuple[float, float]:
    samples = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        samples.append((time.perf_counter() - started) * 1000)
    q = statistics.quantiles(samples, n=100)
    return q[49], q[98]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--pool", choices=("writers", "first-writer"), default="writers",
                        help="the independent writers' realistic mail (median 90 words), or the first writer's "
                             "short messages (median 19-30 words) that earlier figures were measured on")
    parser.add_argument("--profile", action="store_true",
                        help="first print the per-message split by stage (text preparation, lemmas, features, heads...)")
    args = parser.parse_args()
    from _shared import load_corpus, plain_baseline, raw_text  # scikit-learn: this process only, not the workers
    model_dir = args.model or latest(PROJECT / "models")
    if model_dir is None:
        raise SystemExit("no model in models/: run 'smista train' first")
    train, gold = load_corpus()
    if args.pool == "writers":
        pool = [r for r in train if r.get("writer", "h0") != "h0" and r["source"] == "handwritten"] + gold
    else:
        from training import corpus
        pool = corpus.load([PROJECT / "data/corpus/handwritten_train.jsonl", PROJECT / "data/corpus/gold.jsonl"])
    batch = (pool * (1000 // len(pool) + 1))[:1000]
    singles = batch[:1000]

    smista = Classifier.load(model_dir)
    smista.classify([to_message(r) for r in batch[:50]])  # warm-up
    if args.profile:
        from _stages import split, table
        messages = [to_message(r) for r in batch]
        print(f"where the time goes (model {smista.version}): {len(messages)} single calls, "
              f"batch of {len(messages)} x {args.repeats}")
        print(table(*split(lambda m: smista.classify(m), messages, messages, args.repeats)))
        print()
    rate = batch_rate(lambda b: smista.classify([to_message(r) for r in b]), batch, args.repeats)
    p50, p99 = latencies_ms(lambda r: smista.classify_one(to_message(r)), singles)
    # Spawned, not forked: a forked worker would count this process's corpus and baseline as its own.
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=spawn, initializer=_init, initargs=(str(model_dir),)) as ex:
        list(ex.map(_classify, [batch[:10], batch[:10]]))  # load the model in both workers
        halves = [batch[:500], batch[500:]]
        rate2 = batch_rate(lambda _: sum(ex.map(_classify, halves)), batch, args.repeats)
        worker_rss = max(ex.map(_peak_rss_mb, [0, 1]))
        worker_libraries = sorted(set().union(*ex.map(_training_libraries, [0, 1])))
    rss_mb = _peak_rss_mb()

    baseline = {h: plain_baseline(train, h) for h in ("type", "urgency")}
    def base_predict(records: list[dict]) -> None:
        texts = [raw_text(r) for r in records]
        for model in baseline.values():
            model.predict(texts)
    base_rate = batch_rate(base_predict, batch, args.repeats)
    b50, b99 = latencies_ms(lambda r: base_predict([r]), singles)

    words = sorted(len(r["body"].split()) for r in batch)[len(batch) // 2]
    print(f"model {smista.version} ({smista.metadata['spacy_pipeline']}), {len(batch)} messages per batch "
          f"({args.pool}, median body {words} words), median of {args.repeats}")
    print(f"{'':34}{'msg/s batch':>12}{'p50 ms':>9}{'p99 ms':>9}")
    print(f"{'smista, 1 process':34}{rate:12.0f}{p50:9.2f}{p99:9.2f}")
    print(f"{'smista, 2 processes':34}{rate2:12.0f}{'':>9}{'':>9}")
    print(f"{'TF-IDF + LogisticRegression':34}{base_rate:12.0f}{b50:9.2f}{b99:9.2f}")
    print(f"smista / baseline throughput: {rate / base_rate:.2f}x (1 process)")
    print(f"peak RSS of a classifying process (model loaded, batches of 500): {worker_rss:.0f} MB "
          f"(training libraries loaded: {', '.join(worker_libraries) or 'none'})")
    print(f"peak RSS of this benchmark process (corpus + model, before the baseline): {rss_mb:.0f} MB")
    print(f"training time of this model (smista train, with validation folds): {smista.metadata['train_seconds']} s")


if __name__ == "__main__":
    main()
