"""Letters in attachments on the held-out letter writer: read from the file against the same
request written in the body, and against the cover note alone.

    python bench/letters.py [--model models/<version>]

The held-out writer (``l01``, data/letters/README.md) contributed nothing to training,
thresholds or selection. Its letters were rendered as real files (PDF, signed .p7m, scans and
TIFF faxes read by OCR, DOCX, ODT, RTF) and read back through the intake by ``smista corpus
letters``; ``attachment`` is what the service reads, ``in_body`` the same words typed into the
mail, ``cover_only`` what smista read before it opened attachments.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from _shared import PROJECT
from rich.console import Console
from rich.table import Table

from classifier.bundle import Classifier
from training import corpus
from training.evaluate import bootstrap, summary
from training.letters import VIEWS, kind, view
from training.train import read_config


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, default=PROJECT / "models")
    args = parser.parse_args()
    gold = corpus.load([PROJECT / read_config()["corpus"]["letters_gold"]])
    classifier = Classifier.load(args.model)
    table = Table(title=f"held-out letters ({len(gold)} messages, writer l01), model {classifier.version}")
    for column in ("read as", "type macro-F1", "urgency macro-F1", "emergency recall", "auto-routed", "type prec. auto"):
        table.add_column(column)
    results = {}
    for how in VIEWS:
        results[how] = classifier.classify([view(r, how) for r in gold])
        s = summary(gold, results[how])
        ci = bootstrap(gold, results[how], rounds=1000)
        table.add_row(how, f"{s['type_macro_f1']:.3f} ({ci['type_macro_f1'][0]:.3f}-{ci['type_macro_f1'][1]:.3f})",
                      f"{s['urgency_macro_f1']:.3f} ({ci['urgency_macro_f1'][0]:.3f}-{ci['urgency_macro_f1'][1]:.3f})",
                      f"{s['emergency_recall']:.3f}", f"{s['auto_coverage']:.1%}", f"{s['auto_type_precision']:.3f}")
    console = Console(width=150)
    console.print(table)
    kinds = Table(title="read from the file, by kind")
    for column in ("kind", "n", "type accuracy", "urgency accuracy", "in the body: type / urgency"):
        kinds.add_column(column)
    for name in ("pdf", "p7m", "scan", "office"):
        idx = [i for i, r in enumerate(gold) if kind(r) == name]
        if not idx:
            continue
        def acc(how: str, head: str) -> float:
            return sum(getattr(results[how][i], head) == gold[i][head] for i in idx) / len(idx)
        kinds.add_row(name, str(len(idx)), f"{acc('attachment', 'type'):.3f}", f"{acc('attachment', 'urgency'):.3f}",
                      f"{acc('in_body', 'type'):.3f} / {acc('in_body', 'urgency'):.3f}")
    console.print(kinds)
    read_from = sum(x.explanation.get("read_from") == ["attachment"] for x in results["attachment"])
    console.print(f"read from the attachment (cover notes): {read_from} of {len(gold)}")


if __name__ == "__main__":
    main()
