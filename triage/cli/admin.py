"""Administration: exports, API keys and dead letters."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import typer
from pydantic import BaseModel

from triage import apikeys, queries
from triage.cli.common import apikey_app, app, deadletters_app, err, fail
from triage.corrections import training_lines
from triage.db import open_store
from triage.export import write_jsonl
from triage.deadletters import replay
from triage.schemas import FeedFilter
from triage.settings import get_settings


@app.command()
def export(output: Path = typer.Option(None, "--output", "-o", help="file to write (default stdout)"),
           since: datetime = typer.Option(None, help="received at or after (ISO 8601)"),
           until: datetime = typer.Option(None, help="received before (ISO 8601)"),
           mailbox: str = typer.Option(None, help="only messages seen in this mailbox"),
           corrections: bool = typer.Option(False, "--corrections",
                                            help="operators' corrections as training lines for 'smista train --corrections'")) -> None:
    """Write every stored message with its classification as JSONL (or the operators' corrections)."""
    sessions = open_store(get_settings().database)
    lines: Iterable[BaseModel | dict[str, Any]] = (
        training_lines(sessions) if corrections
        else queries.export_rows(sessions, FeedFilter(since=since, until=until, mailbox=mailbox)))
    if output is None:
        count = write_jsonl(sys.stdout, lines)
    else:
        with output.open("w", encoding="utf-8") as fh:
            count = write_jsonl(fh, lines)
    err.print(f"{count} {'corrections' if corrections else 'messages'} exported")


@deadletters_app.command("list")
def deadletters_list() -> None:
    """Deliveries that failed for good, with their reason."""
    write_jsonl(sys.stdout, queries.dead_letters(open_store(get_settings().database)))


@deadletters_app.command("replay")
def deadletters_replay(ids: list[int], operator: str = typer.Option("cli", "--operator", help="recorded as who replayed")) -> None:
    """Queue dead letters again (after the receiver was fixed)."""
    sessions = open_store(get_settings().database)
    missing = [i for i in ids if not replay(sessions, i, operator)]
    if missing:
        err.print(f"not dead letters: {missing}")
        raise typer.Exit(1)
    err.print(f"{len(ids)} queued again")


@apikey_app.command("create")
def apikey_create(name: str, scope: list[str] = typer.Option(["read"], "--scope", help="read, write, admin")) -> None:
    """Create an API key; it is printed once and only its hash is stored."""
    try:
        key = apikeys.create(open_store(get_settings().database), name, scope)
    except ValueError as exc:
        raise fail(str(exc)) from exc
    sys.stdout.write(key + "\n")
    err.print(f"API key '{name}' created with scopes {', '.join(sorted(set(scope)))}; it will not be shown again")
