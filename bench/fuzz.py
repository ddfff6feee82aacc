"""The fuzz properties of tests/inbox/test_fuzz_mime.py and tests/classifier/test_fuzz_textprep.py,
run for longer and with fresh random seeds: a time budget (shared by the properties) or a number
of examples per property. Prints examples per second and every failure found, with its shrunk
falsifying example.

    python bench/fuzz.py [--seconds 600] [--examples N] [--only mime|textprep|NAME]

Exit status 1 when a property failed.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from tests.classifier import test_fuzz_textprep as tp  # noqa: E402
from tests.inbox import test_fuzz_mime as fm  # noqa: E402

#: name -> (the property's undecorated body, the strategies of its arguments)
PROPERTIES: dict[str, tuple[Callable, dict[str, st.SearchStrategy]]] = {
    "mime.random_bytes": (fm.test_random_bytes.hypothesis.inner_test, {"data": st.binary(max_size=4000)}),
    "mime.random_bytes_after_headers": (fm.test_random_bytes_after_headers.hypothesis.inner_test,
                                        {"data": st.binary(max_size=600).map(lambda b: b"From: a@b.it\r\nSubject: x\r\n" + b)}),
    "mime.structured": (fm.test_structured_messages.hypothesis.inner_test, {"data": fm.messages()}),
    "mime.linear_time": (fm.test_time_grows_linearly.hypothesis.inner_test, {"unit": fm.UNITS, "where": fm.WHERE}),
    "textprep.html_split": (tp.test_html_and_split_give_strings.hypothesis.inner_test, {"text": tp.TEXT}),
    "textprep.normalise": (tp.test_normalise_is_lowercase_single_spaced_and_stable.hypothesis.inner_test, {"text": tp.TEXT}),
    "textprep.mask_fold": (tp.test_mask_accents_and_folding_give_strings.hypothesis.inner_test, {"text": tp.TEXT}),
    "textprep.linear_time": (tp.test_time_grows_linearly.hypothesis.inner_test, {"unit": tp.UNITS, "name": tp.NAMES}),
}


def run(name: str, seconds: float | None, examples: int | None, batch: int = 200) -> tuple[int, float, str | None]:
    """Run one property in batches until the budget is spent; (examples, seconds, failure)."""
    body, strategies = PROPERTIES[name]
    count = 0

    def counted(**kwargs):
        nonlocal count
        count += 1
        body(**kwargs)

    started = time.perf_counter()
    while True:
        size = batch if examples is None else min(batch, examples - count)
        if size <= 0 or (seconds is not None and time.perf_counter() - started >= seconds):
            return count, time.perf_counter() - started, None
        test = settings(max_examples=size, deadline=None, database=None, derandomize=False,
                        suppress_health_check=list(HealthCheck))(given(**strategies)(counted))
        try:
            test()
        except Exception as exc:  # noqa: BLE001 - a property failed: report it, go on with the others
            notes = "\n".join(getattr(exc, "__notes__", []))
            return count, time.perf_counter() - started, f"{''.join(traceback.format_exception_only(exc)).strip()}\n{notes}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=600, help="time budget shared by the properties")
    parser.add_argument("--examples", type=int, help="examples per property instead of a time budget")
    parser.add_argument("--only", help="a property name or prefix (mime, textprep)")
    args = parser.parse_args()
    names = [n for n in PROPERTIES if not args.only or n == args.only or n.startswith(f"{args.only}.")]
    if not names:
        parser.error(f"no property {args.only!r}; expected one of {', '.join(PROPERTIES)}")
    per = None if args.examples else args.seconds / len(names)
    failed = 0
    print(f"{'property':34s} {'examples':>9s} {'seconds':>8s} {'examples/s':>11s}  result")
    for name in names:
        count, elapsed, failure = run(name, per, args.examples)
        failed += failure is not None
        print(f"{name:34s} {count:9d} {elapsed:8.1f} {count / elapsed if elapsed else 0:11.1f}  "
              f"{'FAILED' if failure else 'ok'}", flush=True)
        if failure:
            print("    " + failure.replace("\n", "\n    "), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
