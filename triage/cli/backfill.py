"""``smista backfill``: an archive loaded on every core, with its rate and ETA, resumable."""

from __future__ import annotations

import os
import time
from functools import partial
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeRemainingColumn
from rich.text import Text

from classifier.bundle import in_service
from triage import backfill as backfill_mod
from triage import service
from triage.cli.common import app, err, fail
from triage.db import open_store
from triage.settings import Settings, get_settings

#: How often the rate line is printed where stderr is not a terminal (a log, CI).
_LINE_SECONDS = 10.0


class _Rate(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:,.0f} msg/s" if task.speed else "… msg/s")


def _archive(settings: Settings, path: Path, name: str | None, folder: str) -> backfill_mod.Archive:
    """Counted under the configured mailbox of that Maildir when there is one, so that polling it
    later does not read the archive again; else under ``name`` or the folder's own name."""
    resolved = path.resolve()
    for mb in settings.mailboxes:
        if name is None and mb.scheme == "maildir" and mb.path.resolve() == resolved:
            return backfill_mod.Archive(resolved, mb.name, mb.folder)
    return backfill_mod.Archive(resolved, name or resolved.name, folder)


@app.command()
def backfill(path: Path = typer.Argument(..., help="the archive: a Maildir (cur/, new/, tmp/)"),
             mailbox: str = typer.Option(None, help="the mailbox name its messages are stored under "
                                                    "(default: the configured mailbox of that path, else its folder name)"),
             folder: str = typer.Option("INBOX", help="the folder name they are stored under"),
             workers: int = typer.Option(os.cpu_count() or 1, "--workers", "-w", min=1, help="processes (one per core)"),
             batch: int = typer.Option(100, min=1, max=5000, help="messages per commit"),
             route: bool = typer.Option(False, "--route", help="route them and raise on-call alerts, as new mail")) -> None:
    """Store and classify every message of an archive, never marking it; run again to resume."""
    settings = get_settings()
    if in_service(settings.models) is None:  # here, not once per worker process (a model that fails to load: they say so)
        raise fail(f"no trained model under {settings.models}; run 'smista train'")
    archive = _archive(settings, path, mailbox, folder)
    try:
        todo = backfill_mod.plan(open_store(settings.database), archive)
    except FileNotFoundError as exc:
        raise fail(str(exc)) from exc
    total = len(todo.keys)
    err.print(f"archive {archive.path} as {archive.name}/{archive.folder}: {total + todo.already:,} files, "
              f"{todo.already:,} stored before, {len(todo.pending):,} of them still to classify, {total:,} to read")
    started = time.monotonic()
    job = backfill_mod.Backfill(partial(service.archive_pipeline, settings, route), archive, workers=workers,
                                batch_size=batch)
    columns = [TextColumn("backfill"), BarColumn(), MofNCompleteColumn(), _Rate(), TextColumn("ETA"), TimeRemainingColumn()]
    with Progress(*columns, console=err, disable=not err.is_terminal) as bar:
        task = bar.add_task("files", total=total)
        printed = started

        def show(tally: backfill_mod.Tally) -> None:
            nonlocal printed
            bar.update(task, completed=tally.read + tally.missing)
            if not err.is_terminal and time.monotonic() - printed >= _LINE_SECONDS:
                printed = time.monotonic()
                err.print(backfill_mod.rate_line(tally, total, started))
        job.on_progress = show
        tally = job.run(todo)
    err.print(backfill_mod.rate_line(tally, total, started) + f", missing {tally.missing:,}, resumed {tally.resumed:,}")
    if job.error:
        raise fail(f"{job.error}; what is stored is kept: run the same command again to go on", code=1)
    if job.interrupted:
        err.print("interrupted: run the same command again to go on")
        raise typer.Exit(130)
