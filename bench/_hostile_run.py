"""One process over the hostile corpus, as the pipeline reads each message: parse, then
classify; prints per-message time p50/p99/max, the slowest cases and the peak RSS (bench/ingest.py)."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _memory import peak_rss_mb
from classifier.bundle import Classifier, classify_isolated, in_service
from inbox.incoming import read
from inbox.mime import ParseError
from inbox.pec import UnknownReceipt
from tests.data.hostile import corpus, generated


def materialise(folder: Path) -> None:
    """Write the generated cases to ``folder``, in a process of their own: building a 30 MB
    attachment costs the generator 150 MB, which is not smista's to report."""
    for case in corpus.generated_cases():
        (folder / f"{case.name}.eml").write_bytes(generated.build(case.name or ""))


def main() -> None:
    if sys.argv[1] == "--materialise":
        return materialise(Path(sys.argv[2]))
    folder = Path(tempfile.mkdtemp(prefix="smista-hostile-"))
    subprocess.run([sys.executable, __file__, "--materialise", str(folder)], check=True)
    model = Classifier.load(in_service(Path(sys.argv[1])) or Path(sys.argv[1]))
    times: list[tuple[float, str, str]] = []
    for case in corpus.everything():
        raw = (case.path or folder / f"{case.name}.eml").read_bytes()
        started = time.perf_counter()
        try:
            outcome = str(classify_isolated(model.classify, [read(raw).request])[0])[:20]
            outcome = "failed" if not outcome.startswith("Result") else "classified"
        except (ParseError, UnknownReceipt):
            outcome = "failed (parse)"
        times.append((time.perf_counter() - started, case.id, outcome))
    shutil.rmtree(folder)
    seconds = sorted(t for t, _, _ in times)
    q = statistics.quantiles(seconds, n=100)
    rss = peak_rss_mb()
    print(f"hostile corpus: {len(times)} messages ({sum(o == 'classified' for *_, o in times)} classified, "
          f"{sum(o != 'classified' for *_, o in times)} failed with a reason), per message p50 {q[49] * 1000:.0f} ms, "
          f"p99 {q[98] * 1000:.0f} ms, max {seconds[-1] * 1000:.0f} ms; peak RSS {rss:.0f} MB")
    for t, name, outcome in sorted(times, reverse=True)[:5]:
        print(f"  slowest: {name} {t * 1000:.0f} ms ({outcome})")


if __name__ == "__main__":
    main()
