"""Service commands: poll the mailboxes, deliver the outbox, serve the API, and ``run`` them all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import typer

from classifier.bundle import ModelLoadError, latest
from triage import queries, service
from triage.cli.common import app, err, fail, log, out
from triage.db import open_store
from triage.export import write_jsonl
from triage.holder import ModelHolder
from triage.models import MessageStatus
from triage.settings import Settings, get_settings, worker_environment
from triage.workers import Workers


def _services(settings: Settings, poll: bool = False, dispatch: bool | None = None, faq: bool = False) -> service.Services:
    """The services, with a model loaded (or a clear error and exit 2)."""
    holder = ModelHolder(settings.models)
    try:
        holder.current()
        return service.build(settings, models=holder, poll=poll, dispatch=dispatch, faq=faq)
    except ModelLoadError as exc:
        raise fail(str(exc)) from exc
    except service.ConfigError as exc:
        raise fail(str(exc)) from exc


@app.command()
def poll(once: bool = typer.Option(False, "--once", help="process everything waiting and exit")) -> None:
    """Watch the configured mailboxes (IMAP IDLE where offered, else polling) and store every message."""
    services = _services(get_settings(), poll=True, dispatch=False)
    assert services.poller is not None
    if once:
        reports = services.poller.run_once()
        for name, r in reports.items():
            if r.held_elsewhere:
                err.print(f"{name}: read by another worker (its lease has not expired)")
                continue
            err.print(f"{name}: fetched {r.fetched}, new {r.stored}, already stored {r.duplicates}, failed {r.failed}"
                      + (f", error: {r.error}" if r.error else ""))
        raise typer.Exit(1 if any(r.error for r in reports.values()) else 0)
    services.workers.run()


@app.command()
def reprocess(all_messages: bool = typer.Option(False, "--all", help="every message, not only failed and quarantined ones"),
              ids: list[int] = typer.Argument(None, help="only these messages")) -> None:
    """Run failed and quarantined (or all, or the given) messages through the pipeline again and
    report what changed."""
    settings = get_settings()
    services = _services(settings, dispatch=False)
    statuses = None if all_messages or ids else [MessageStatus.FAILED, MessageStatus.QUARANTINED]
    targets = queries.message_statuses(services.sessions, pks=ids or None, statuses=statuses)
    changed = 0
    for pk, before in targets:
        after = services.pipeline.process(pk)
        changed += int(after != before)
        err.print(f"message {pk}: {before} -> {after} {queries.outcome_note(services.sessions, pk)}")
    err.print(f"{len(targets)} reprocessed, {changed} changed status")


@app.command()
def run(once: bool = typer.Option(False, "--once", help="triage what is waiting, export it and exit"),
        host: str = typer.Option("127.0.0.1"), port: int = typer.Option(8000),
        demo: bool = typer.Option(False, "--demo", help="API without keys: for a local demo only")) -> None:
    """The main job on embedded defaults: train if no model exists, triage the watched mailboxes
    (the sample Maildir unless configured) into the store, print and export the result; then serve
    the API while the poller keeps watching the mailboxes (unless --once)."""
    from triage.cli.model import train
    from triage.report import stored_table

    settings = get_settings()
    if demo:
        settings = settings.model_copy(update={"api_demo_mode": True})
    if latest(settings.models) is None:
        log.info("no model in %s: training one first", settings.models)
        train(config=None, corrections=None, no_mlflow=False, no_promote=False)
    services = _services(settings, poll=True, faq=not once)  # one model in memory for the API and the poller
    assert services.poller is not None
    for name, r in services.poller.run_once().items():
        err.print(f"mailbox {name}: fetched {r.fetched}, new {r.stored}, already stored {r.duplicates}, failed {r.failed}")
    messages = queries.stored(services.sessions)
    out.width = max(out.width, 150)
    out.print(stored_table(messages, f"{settings.database}: {len(messages)} messages, model {services.models.current().version}"))
    export_path = settings.project_dir / "var" / "export.jsonl"
    export_path.parent.mkdir(exist_ok=True)
    with export_path.open("w", encoding="utf-8") as fh:
        count = write_jsonl(fh, messages)
    out.print(f"{count} messages exported to {export_path}")
    if once:
        return
    _serve(services, host, port)


def _uvicorn_options(settings: Settings, host: str, port: int, access_log: bool = True) -> dict[str, Any]:
    """uvicorn on the standard asyncio loop: classification is CPU-bound, and when requests queue
    up uvloop serves them unevenly (bench/api.py at 64 connections: p99 0.72 s with uvloop,
    0.14 s with asyncio, for the same throughput)."""
    from api.protocol import NoDelayHttpToolsProtocol

    if settings.api_demo_mode:
        log.warning("demo mode: the API accepts requests without keys")
    log.info("API on http://%s:%d (docs at /docs)", host, port)
    return dict(host=host, port=port, loop="asyncio", http=NoDelayHttpToolsProtocol, log_level="info", access_log=access_log)


def _serve(services: service.Services, host: str, port: int, access_log: bool = True) -> None:
    import uvicorn

    from api.app import create_app
    uvicorn.run(create_app(services), **_uvicorn_options(services.settings, host, port, access_log))


def _serve_workers(settings: Settings, host: str, port: int, workers: int, access_log: bool) -> None:
    """Worker processes build their services from the environment (``api.asgi``), listen each on a
    socket of its own (``api/reuseport.py``) and add up their metrics through files in a directory
    they share (prometheus-client's multiprocess mode)."""
    from api import reuseport

    with tempfile.TemporaryDirectory(prefix="smista-metrics-") as shared:
        os.environ.update(worker_environment(settings, metrics_dir=Path(shared)))
        reuseport.serve("api.asgi:create", workers, _uvicorn_options(settings, host, port, access_log))


@app.command()
def serve(host: str = typer.Option("127.0.0.1"), port: int = typer.Option(8000),
          workers: int = typer.Option(1, min=1, help="uvicorn worker processes (one per core)"),
          access_log: bool = typer.Option(True, "--access-log/--no-access-log", help="log every request"),
          demo: bool = typer.Option(False, "--demo", help="no API keys: for a local demo only")) -> None:
    """Serve the HTTP API with uvicorn (and deliver the outbox, when a routing URL is configured)."""
    settings = get_settings()
    if demo:
        settings = settings.model_copy(update={"api_demo_mode": True})
    if workers > 1:  # each worker process builds its own services
        _serve_workers(settings, host, port, workers, access_log)
        return
    _serve(_services(settings), host, port, access_log)


@app.command()
def dispatch(once: bool = typer.Option(False, "--once", help="deliver what is due, then exit")) -> None:
    """Deliver the outbox to the routing API and the on-call endpoint (retries, dead letters)."""
    settings = get_settings()
    try:
        dispatcher = service.dispatcher(settings, open_store(settings.database))
    except service.ConfigError as exc:
        raise fail(str(exc)) from exc
    if once:
        dispatcher.drain(timeout=60)
        err.print(repr(dispatcher))
        return
    Workers([dispatcher]).run()


