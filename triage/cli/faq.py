"""``smista faq``: import, export and match the published FAQ, run the worker that reads the
questions of new requests, and decide on the candidates their clusters make."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import timedelta
from enum import StrEnum
from pathlib import Path

import typer
from pydantic import ValidationError
from sqlalchemy.orm import Session

from faq.entries import FaqEntry
from faq.publish import FaqFileError, read_csv, to_csv, to_markdown
from triage import faqs
from triage.cli.common import app, err, fail
from triage.db import open_store
from triage.export import write_jsonl
from triage.faq_schemas import DecisionOut, FaqIn, MatchOut
from triage.models import utcnow
from triage.settings import get_settings
from triage.workers import Workers

faq_app = typer.Typer(no_args_is_help=True, help="The published FAQ and the candidates for new entries.")
app.add_typer(faq_app, name="faq")
EDITOR = typer.Option("cli", "--editor", help="recorded as who made the change")


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"
    MD = "md"


@faq_app.command("import")
def import_(file: Path = typer.Argument(..., exists=True, dir_okay=False, help="id;question;answer;tag (UTF-8)"),
            editor: str = EDITOR) -> None:
    """Publish an existing FAQ: new ids are added, known ones get a new version if they changed."""
    try:
        rows = read_csv(file.read_text(encoding="utf-8"))
        entries = [(e.id, FaqIn(question=e.question, answer=e.answer, tags=list(e.tags))) for e in rows]
    except (FaqFileError, ValidationError, UnicodeDecodeError) as exc:
        raise fail(f"{file}: nothing imported: {exc}", 1) from exc
    with open_store(get_settings().database).begin() as s:
        created, updated = faqs.import_entries(s, entries, editor)
    err.print(f"{len(entries)} read: {created} published, {updated} revised")


@faq_app.command()
def export(fmt: Format = typer.Option(Format.JSON, "--format", "-f"),
           output: Path = typer.Option(None, "--output", "-o", help="file to write (default stdout)")) -> None:
    """The published FAQ as JSON lines, as CSV that imports back, or as a Markdown page."""
    with open_store(get_settings().database)() as s:
        published = faqs.entries(s)
    entries = [FaqEntry(e.id, e.question, e.answer, tuple(e.tags)) for e in published]
    text = (to_csv(entries) if fmt == Format.CSV else to_markdown(entries) if fmt == Format.MD
            else "".join(e.model_dump_json() + "\n" for e in published))
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
    err.print(f"{len(entries)} FAQ exported")


@faq_app.command()
def match(file: Path = typer.Argument(..., exists=True, dir_okay=False, help='JSON lines {"id": ..., "text": ...}'),
          k: int = typer.Option(5, "--top", "-k", min=1, max=100, help="FAQ per question")) -> None:
    """For each line, its id and the published FAQ ranked by fused score: evaluations run from outside."""
    with open_store(get_settings().database)() as s:
        entries = faqs.for_matching(s)
    if not entries:
        raise fail("no published FAQ: import one first (smista faq import FILE.csv)", 1)
    ids, texts, bad = [], [], 0
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            ids.append(item["id"])
            texts.append(str(item["text"]))
        except (ValueError, KeyError, TypeError) as exc:
            err.print(f"line {number}: skipped, not a JSON object with id and text ({exc})")
            bad += 1
    from faq.matching import Matcher  # the matcher's models load only for the commands that match
    from faq.signals import E5Embedder
    matcher = Matcher(entries, E5Embedder())
    for start in range(0, len(texts), 256):
        ranked = matcher.match(texts[start:start + 256], k)
        write_jsonl(sys.stdout, ({"id": i, "matches": [MatchOut(faq_id=m.faq_id, score=round(m.score, 4)).model_dump()
                                                        for m in found]}
                                 for i, found in zip(ids[start:start + 256], ranked)))
    err.print(f"{len(texts)} matched against {len(entries)} FAQ" + (f", {bad} lines skipped" if bad else ""))
    if bad:
        raise typer.Exit(1)


@faq_app.command()
def work(once: bool = typer.Option(False, "--once", help="read every classification waiting, then exit")) -> None:
    """Read the questions of newly classified requests: match, cluster, suggest (off the poller's path)."""
    from triage.faq_worker import FaqWorker
    settings = get_settings()
    worker = FaqWorker(settings, open_store(settings.database))
    if not once:
        Workers([worker]).run()
        return
    while worker.run_once():
        pass
    err.print(", ".join(f"{k} {v}" for k, v in worker.counters.items()))


@faq_app.command()
def recluster() -> None:
    """Re-build the clusters of unanswered questions now; their ids are kept where they overlap."""
    from triage.faq_worker import FaqWorker
    settings = get_settings()
    sessions = open_store(settings.database)
    worker = FaqWorker(settings, sessions)
    with sessions.begin() as s:
        err.print(f"{worker.recluster(s)} clusters")


@faq_app.command()
def candidates(limit: int = typer.Option(100, min=1)) -> None:
    """Clusters that enough distinct senders reached in the window, most senders first (JSON lines)."""
    settings = get_settings()
    with open_store(settings.database)() as s:
        found = faqs.candidates(s, utcnow(), settings.faq_min_senders, timedelta(days=settings.faq_window_days), limit)
    write_jsonl(sys.stdout, found)


@faq_app.command()
def show(faq_id: str) -> None:
    """One FAQ with its versions, paraphrases and impact (weekly questions before and after publication)."""
    try:
        with open_store(get_settings().database)() as s:
            sys.stdout.write(faqs.detail(s, faq_id).model_dump_json(indent=2) + "\n")
    except faqs.NoFaq as exc:
        raise fail(f"no FAQ {faq_id}", 1) from exc


def _decide(action: Callable[[Session], DecisionOut], cluster_id: int) -> None:
    try:
        with open_store(get_settings().database).begin() as s:
            decision = action(s)
    except (faqs.NoCandidate, faqs.NoFaq, faqs.AlreadyDecided) as exc:
        raise fail(f"cluster {cluster_id}: {exc}", 1) from exc
    except ValidationError as exc:
        raise fail(f"cluster {cluster_id}: {exc}", 1) from exc
    err.print(f"cluster {cluster_id}: {decision.decision}" + (f" as {decision.faq_id}" if decision.faq_id else "")
              + f", {decision.questions_linked} questions")


@faq_app.command()
def approve(cluster_id: int, question: str = typer.Option(...), answer: str = typer.Option(...),
            tags: str = typer.Option("", help="comma-separated"), faq_id: str = typer.Option(None, "--id"),
            editor: str = EDITOR) -> None:
    """Publish a candidate as a new FAQ; its questions become the FAQ's paraphrases."""
    def action(s: Session) -> DecisionOut:
        entry = FaqIn(question=question, answer=answer, tags=[t for t in tags.split(",") if t.strip()])
        return faqs.approve(s, cluster_id, entry, editor, faq_id)
    _decide(action, cluster_id)


@faq_app.command()
def merge(cluster_id: int, faq_id: str, editor: str = EDITOR) -> None:
    """A candidate asks what a published FAQ answers: its questions become that FAQ's paraphrases."""
    _decide(lambda s: faqs.merge(s, cluster_id, faq_id, editor), cluster_id)


@faq_app.command()
def reject(cluster_id: int, reason: str = typer.Option(None), editor: str = EDITOR) -> None:
    """Not an FAQ: kept, so the same cluster is not proposed again."""
    _decide(lambda s: faqs.reject(s, cluster_id, editor, reason), cluster_id)
