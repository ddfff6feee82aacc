"""One process over the hostile corpus, as the pipeline reads each message: parse, then
classify; prints per-message time p50/p99/max, the slowest cases and the peak RSS (bench/ingest.py)."""

from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path

from classifier.bundle import Classifier, classify_isolated, in_service
from inbox.incoming import read
from inbox.mime import ParseError
from inbox.pec import UnknownReceipt
from tests.data.hostile import corpus, generated


def main() -> None:
    model = Classifier.load(in_service(Path(sys.argv[1])) or Path(sys.argv[1]))
    times: list[tuple[float, str, str]] = []
    for case in corpus.everything():
        raw = case.path.read_bytes() if case.path is not None else generated.build(case.name or "")
        started = time.perf_counter()
        try:
            outcome = str(classify_isolated(model.classify, [read(raw).request])[0])[:20]
            outcome = "failed" if not outcome.startswith("Result") else "classified"
        except (ParseError, UnknownReceipt):
            outcome = "failed (parse)"
        times.append((time.perf_counter() - started, case.id, outcome))
    seconds = sorted(t for t, _, _ in times)
    q = statistics.quantiles(seconds, n=100)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"hostile corpus: {len(times)} messages ({sum(o == 'classified' for *_, o in times)} classified, "
          f"{sum(o != 'classified' for *_, o in times)} failed with a reason), per message p50 {q[49] * 1000:.0f} ms, "
          f"p99 {q[98] * 1000:.0f} ms, max {seconds[-1] * 1000:.0f} ms; peak RSS {rss:.0f} MB")
    for t, name, outcome in sorted(times, reverse=True)[:5]:
        print(f"  slowest: {name} {t * 1000:.0f} ms ({outcome})")


if __name__ == "__main__":
    main()
