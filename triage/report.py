"""Rich renderings of evaluation reports and classification results for the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from classifier.labels import TYPE_IT, URGENCY_IT
from training.evaluate import HeadReport
from triage.schemas import ExportRow


def head_table(name: str, report: HeadReport) -> Table:
    table = Table(title=f"{name}: macro-F1 {report.macro_f1:.3f}")
    for col in ("label", "precision", "recall", "F1", "support"):
        table.add_column(col, justify="left" if col == "label" else "right")
    for label in report.labels:
        table.add_row(label, f"{report.precision[label]:.3f}", f"{report.recall[label]:.3f}", f"{report.f1[label]:.3f}",
                      str(report.support[label]))
    return table


def confusion_table(name: str, report: HeadReport) -> Table:
    table = Table(title=f"{name}: confusion matrix (rows true, columns predicted)")
    table.add_column("")
    for label in report.labels:
        table.add_column(label[:6], justify="right")
    for label, row in zip(report.labels, report.confusion):
        table.add_row(label, *[str(v) for v in row])
    return table


def print_summary(console: Console, summary: dict) -> None:
    for head in ("type", "urgency"):
        console.print(head_table(head, summary["reports"][head]))
        console.print(confusion_table(head, summary["reports"][head]))
    headline = Table(title=f"headline on {summary['n']} messages")
    headline.add_column("metric")
    headline.add_column("value", justify="right")
    for key in ("type_macro_f1", "urgency_macro_f1", "emergency_recall", "auto_coverage", "auto_type_precision",
                "auto_urgency_precision"):
        headline.add_row(key, f"{summary[key]:.4f}")
    console.print(headline)


def stored_table(messages: list[ExportRow], title: str) -> Table:
    """Stored messages with their latest classification (or status) for the terminal."""
    table = Table(title=title)
    for col in ("id", "kind", "subject", "tipo", "urgenza", "conf.", "review", "why"):
        table.add_column(col, overflow="fold", max_width=40 if col in ("subject", "why") else None)
    for m in messages:
        if m.type is None or m.urgency is None:
            table.add_row(str(m.id), m.kind, m.subject or "", m.status, "", "", "", m.failure_reason or "")
            continue
        explanation = m.explanation or {}
        why = ", ".join(explanation.get("rules") or explanation.get("type", [])[:3])
        table.add_row(str(m.id), m.kind, m.subject or "", TYPE_IT[m.type], URGENCY_IT[m.urgency],
                      f"{m.type_confidence:.2f}/{m.urgency_confidence:.2f}", "yes" if m.needs_review else "", why)
    return table


def writers_table(writers: dict, same_writer: dict | None = None) -> Table:
    """Held-out writers one per row, pooled last with its 95% interval, the same-writer gold after."""
    table = Table(title="held-out writers (never trained on), 95% bootstrap intervals for the pooled row")
    for col in ("writer", "n", "type F1", "urgency F1", "emergency recall", "auto-routed", "type precision auto"):
        table.add_column(col, justify="left" if col == "writer" else "right")
    keys = ("type_macro_f1", "urgency_macro_f1", "emergency_recall", "auto_coverage", "auto_type_precision")
    for name, row in writers.items():
        ci = row.get("ci95", {})
        cells = [f"{row[k]:.3f}" + (f" ({ci[k][0]:.3f}-{ci[k][1]:.3f})" if name == "pooled" and k in ci else "")
                 for k in keys]
        table.add_row(name, str(row["n"]), *cells)
    if same_writer is not None:
        table.add_row("same-writer gold", str(same_writer["n"]), *[f"{same_writer[k]:.3f}" for k in keys])
    return table


def reliability_table(results: list, records: list[dict]) -> Table:
    """Confidence against the share correct, per head and bin: the reliability diagram as numbers."""
    import numpy as np

    from training.evaluate import reliability
    table = Table(title="reliability: share correct (messages) per confidence bin")
    rows = {}
    for head in ("type", "urgency"):
        conf = np.array([getattr(x, f"{head}_confidence") for x in results])
        correct = np.array([getattr(x, head) == r[head] for x, r in zip(results, records)])
        rows[head] = reliability(conf, correct)
    table.add_column("head")
    for lo, hi in zip(rows["type"].edges[:-1], rows["type"].edges[1:]):
        table.add_column(f"{lo:.1f}-{hi:.1f}", justify="right")
    table.add_column("ECE", justify="right")
    for head, rel in rows.items():
        table.add_row(head, *[f"{a:.2f} ({n})" if n else "" for a, n in zip(rel.accuracy, rel.count)], f"{rel.ece:.3f}")
    return table
