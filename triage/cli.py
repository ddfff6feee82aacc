"""The ``smista`` command line."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.logging import RichHandler

from classifier.bundle import Classifier, ModelLoadError, latest
from classifier.holder import ModelHolder
from triage import inputs
from triage.settings import Settings, get_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Triage of Italian contact-center mail.")
corpus_app = typer.Typer(no_args_is_help=True, help="Generate, compile and validate the labelled corpus.")
app.add_typer(corpus_app, name="corpus")
apikey_app = typer.Typer(no_args_is_help=True, help="API keys for the HTTP API.")
app.add_typer(apikey_app, name="apikey")
deadletters_app = typer.Typer(no_args_is_help=True, help="Deliveries that failed for good.")
app.add_typer(deadletters_app, name="deadletters")
err = Console(stderr=True, soft_wrap=True)
out = Console()
log = logging.getLogger("smista")


@app.callback()
def main(verbose: bool = typer.Option(False, "--verbose", "-v", help="debug logging")) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, format="%(message)s",
                        handlers=[RichHandler(console=err, show_path=False)])
    for noisy in ("alembic", "mlflow", "urllib3", "spacy"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _model_error(exc: ModelLoadError) -> typer.Exit:
    err.print(f"[red]error:[/red] {exc}")
    return typer.Exit(2)


def _load(settings: Settings, model: Path | None) -> Classifier:
    try:
        return Classifier.load(model or settings.models)
    except ModelLoadError as exc:
        raise _model_error(exc) from exc


@app.command()
def train(config: Path = typer.Option(None, help="training settings (TOML)"),
          no_mlflow: bool = typer.Option(False, "--no-mlflow", help="skip MLflow logging")) -> None:
    """Validate the corpus, train, evaluate on the gold set, save models/<version>/ and log to MLflow."""
    from training import corpus, train as training
    from triage.report import print_summary

    settings = get_settings()
    config = config or settings.training_config or training.DEFAULT_CONFIG
    with err.status("training") as status:
        def progress(step: str) -> None:
            status.update(step)
            log.info(step)
        try:
            outcome = training.run(settings.project_dir, settings.models, config, progress, settings.spacy_pipeline)
        except corpus.CorpusError as exc:
            err.print(f"[red]training refused:[/red] {exc}")
            raise typer.Exit(2) from exc
        if not no_mlflow:
            from training.tracking import log_run
            status.update("logging to MLflow")
            run_id = log_run(settings.tracking_uri, settings.artifact_root, settings.mlflow_experiment,
                             settings.registered_model, outcome.directory, outcome.metadata,
                             outcome.gold["reports"], config)
            log.info("MLflow run %s at %s", run_id, settings.tracking_uri)
    print_summary(err, outcome.gold)
    err.print(f"model {outcome.metadata['version']} saved in {outcome.directory} "
              f"(trained in {outcome.metadata['train_seconds']} s, thresholds {outcome.metadata['thresholds']})")


@app.command()
def evaluate(file: Path, model: Path = typer.Option(None, help="model directory (default: newest)")) -> None:
    """Per-class precision/recall/F1, macro-F1, emergency recall, confusion matrices and auto-routing."""
    from training import corpus
    from training.evaluate import summary
    from training.train import to_message
    from triage.report import print_summary

    try:
        records = corpus.load([file])
    except corpus.CorpusError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    classifier = _load(get_settings(), model)
    results = classifier.classify([to_message(r) for r in records])
    print_summary(out, summary(records, results))


@app.command()
def classify(paths: list[Path], model: Path = typer.Option(None, help="model directory (default: newest)"),
             batch: int = typer.Option(512, help="messages classified together")) -> None:
    """Classify .eml files, Maildir folders and .jsonl files; one JSON object per message on stdout."""
    classifier = _load(get_settings(), model)
    failures = 0
    pending: list[inputs.Item] = []

    def flush() -> None:
        for item, result in zip(pending, classifier.classify([i.message for i in pending])):
            sys.stdout.write(json.dumps({"id": item.id, "source": item.source, **result.to_dict()}, ensure_ascii=False) + "\n")
        pending.clear()

    for path in paths:
        for item in inputs.read(path):
            if item.error:
                failures += 1
                flush()
                sys.stdout.write(json.dumps({"id": item.id, "source": item.source, "error": item.error}, ensure_ascii=False) + "\n")
                err.print(f"[yellow]skipped[/yellow] {item.id}: {item.error}")
                continue
            pending.append(item)
            if len(pending) >= batch:
                flush()
    flush()
    if failures:
        raise typer.Exit(1)


def _poller(settings: Settings, classifier: Classifier | ModelHolder):
    from triage import service
    from triage.poller import Poller, kill_at
    from triage.store import open_store

    sessions = open_store(settings.database)
    return Poller(settings.watched, service.pipeline(settings, sessions, classifier), sessions, fault=kill_at()), sessions


@app.command()
def poll(once: bool = typer.Option(False, "--once", help="process everything waiting and exit")) -> None:
    """Watch the configured mailboxes (IMAP IDLE where offered, else polling) and store every message."""
    import signal
    import threading

    settings = get_settings()
    poller, _ = _poller(settings, _load(settings, None))
    if once:
        reports = poller.run_once()
        for name, r in reports.items():
            err.print(f"{name}: fetched {r.fetched}, new {r.stored}, already stored {r.duplicates}, failed {r.failed}"
                      + (f", error: {r.error}" if r.error else ""))
        raise typer.Exit(1 if any(r.error for r in reports.values()) else 0)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    poller.run_forever(stop)


@app.command()
def reprocess(all_messages: bool = typer.Option(False, "--all", help="every message, not only failed ones")) -> None:
    """Run failed (or all) stored messages through the pipeline again and report what changed."""
    from sqlalchemy import select
    from triage import service
    from triage.store import StoredMessage, open_store

    settings = get_settings()
    sessions = open_store(settings.database)
    pipeline = service.pipeline(settings, sessions, _load(settings, None))
    with sessions() as s:
        query = select(StoredMessage.id, StoredMessage.status)
        targets = list(s.execute(query if all_messages else query.where(StoredMessage.status == "failed")))
    changed = 0
    for pk, before in targets:
        after = pipeline.process(pk)
        with sessions() as s:
            m = s.get(StoredMessage, pk)
            c = m.classification
            note = f"{c.type}/{c.urgency}" if c else (m.failure_reason or "")
        changed += int(after != before)
        err.print(f"message {pk}: {before} -> {after} {note}")
    err.print(f"{len(targets)} reprocessed, {changed} changed status")


@app.command()
def export(output: Path = typer.Option(None, "--output", "-o", help="file to write (default stdout)"),
           since: datetime = typer.Option(None, help="received at or after (ISO 8601)"),
           until: datetime = typer.Option(None, help="received before (ISO 8601)"),
           mailbox: str = typer.Option(None, help="only messages seen in this mailbox")) -> None:
    """Write every stored message with its classification as JSONL."""
    from triage.export import rows, write_jsonl
    from triage.store import open_store

    sessions = open_store(get_settings().database)
    if output is None:
        count = write_jsonl(sys.stdout, rows(sessions, since, until, mailbox))
    else:
        with output.open("w", encoding="utf-8") as fh:
            count = write_jsonl(fh, rows(sessions, since, until, mailbox))
    err.print(f"{count} messages exported")


@app.command()
def run(once: bool = typer.Option(False, "--once", help="triage what is waiting, export it and exit"),
        host: str = typer.Option("127.0.0.1"), port: int = typer.Option(8000),
        demo: bool = typer.Option(False, "--demo", help="API without keys: for a local demo only")) -> None:
    """The main job on embedded defaults: train if no model exists, triage the watched mailboxes
    (the sample Maildir unless configured) into the store, print and export the result; then serve
    the API while the poller keeps watching the mailboxes (unless --once)."""
    from sqlalchemy import select
    from triage.export import rows, write_jsonl
    from triage.report import stored_table
    from triage.store import StoredMessage

    settings = get_settings()
    if latest(settings.models) is None:
        log.info("no model in %s: training one first", settings.models)
        train(config=None, no_mlflow=False)
    models = ModelHolder(settings.models)  # shared with the API below: one model in memory, swapped for both
    try:
        version = models.current().version
    except ModelLoadError as exc:
        raise _model_error(exc) from exc
    poller, sessions = _poller(settings, models)
    for name, r in poller.run_once().items():
        err.print(f"mailbox {name}: fetched {r.fetched}, new {r.stored}, already stored {r.duplicates}, failed {r.failed}")
    with sessions() as s:
        messages = list(s.scalars(select(StoredMessage).order_by(StoredMessage.id)))
        out.width = max(out.width, 150)
        out.print(stored_table(messages, f"{settings.database}: {len(messages)} messages, model {version}"))
    export_path = settings.project_dir / "var" / "export.jsonl"
    export_path.parent.mkdir(exist_ok=True)
    with export_path.open("w", encoding="utf-8") as fh:
        count = write_jsonl(fh, rows(sessions))
    out.print(f"{count} messages exported to {export_path}")
    if once:
        return
    _serve(settings, host, port, demo, workers=1, poller=poller, models=models)


def _serve(settings: Settings, host: str, port: int, demo: bool, workers: int, poller=None, models=None,
           access_log: bool = True) -> None:
    """uvicorn on the standard asyncio loop: classification is CPU-bound, and when requests queue
    up uvloop serves them unevenly (bench/api.py at 64 connections: p99 0.72 s with uvloop,
    0.14 s with asyncio, for the same throughput)."""
    import os
    import tempfile

    import uvicorn
    from api.app import create_app
    from api.protocol import NoDelayHttpToolsProtocol

    if demo:
        settings = settings.model_copy(update={"api_demo_mode": True})
        log.warning("demo mode: the API accepts requests without keys")
    log.info("API on http://%s:%d (docs at /docs)", host, port)
    options = dict(host=host, port=port, loop="asyncio", http=NoDelayHttpToolsProtocol, log_level="info", access_log=access_log)
    if workers == 1:
        uvicorn.run(create_app(settings, poller, models), **options)
        return
    # Worker processes build their Settings from the environment (api.asgi) and add up their
    # metrics through files in a directory they share (prometheus-client's multiprocess mode).
    if demo:
        os.environ["SMISTA_API_DEMO_MODE"] = "true"
    with tempfile.TemporaryDirectory(prefix="smista-metrics-") as shared:
        os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", shared)
        uvicorn.run("api.asgi:app", workers=workers, **options)


@app.command()
def serve(host: str = typer.Option("127.0.0.1"), port: int = typer.Option(8000),
          workers: int = typer.Option(1, min=1, help="uvicorn worker processes (one per core)"),
          access_log: bool = typer.Option(True, "--access-log/--no-access-log", help="log every request"),
          demo: bool = typer.Option(False, "--demo", help="no API keys: for a local demo only")) -> None:
    """Serve the HTTP API with uvicorn."""
    _serve(get_settings(), host, port, demo, workers, access_log=access_log)


@app.command()
def dispatch(once: bool = typer.Option(False, "--once", help="deliver what is due, then exit")) -> None:
    """Deliver the outbox to the routing API and the on-call endpoint (retries, dead letters)."""
    import time
    from triage import service
    from triage.store import open_store

    settings = get_settings()
    dispatcher = service.dispatcher(settings, open_store(settings.database))
    if once:
        dispatcher.drain(timeout=60)
        err.print(repr(dispatcher))
        return
    while True:
        if dispatcher.run_once() == 0:
            time.sleep(0.5)


@deadletters_app.command("list")
def deadletters_list() -> None:
    """Deliveries that failed for good, with their reason."""
    from triage.outbox import dead_letters
    from triage.store import open_store
    for item in dead_letters(open_store(get_settings().database)):
        sys.stdout.write(json.dumps({"id": item.id, "message_id": item.message_pk, "target": item.target,
                                     "attempts": item.attempts, "error": item.last_error}) + "\n")


@deadletters_app.command("replay")
def deadletters_replay(ids: list[int]) -> None:
    """Queue dead letters again (after the receiver was fixed)."""
    from triage.outbox import replay
    from triage.store import open_store
    sessions = open_store(get_settings().database)
    missing = [i for i in ids if not replay(sessions, i)]
    if missing:
        err.print(f"not dead letters: {missing}")
        raise typer.Exit(1)
    err.print(f"{len(ids)} queued again")


@apikey_app.command("create")
def apikey_create(name: str, scope: list[str] = typer.Option(["read"], "--scope", help="read, write, admin")) -> None:
    """Create an API key; it is printed once and only its hash is stored."""
    from triage import apikeys
    from triage.store import open_store
    try:
        key = apikeys.create(open_store(get_settings().database), name, scope)
    except ValueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    sys.stdout.write(key + "\n")
    err.print(f"API key '{name}' created with scopes {', '.join(sorted(set(scope)))}; it will not be shown again")


@corpus_app.command("generate")
def corpus_generate(n: int = typer.Option(6300, help="messages to generate"), seed: int = typer.Option(20261125),
                    output: Path = typer.Option(Path("data/corpus/generated.jsonl"))) -> None:
    """Write the seeded generated corpus."""
    from training.generator import write_corpus
    write_corpus(output, n, seed)
    err.print(f"{n} messages written to {output}")


@corpus_app.command("compile")
def corpus_compile(source: Path = typer.Option(Path("data/handwritten")), output: Path = typer.Option(Path("data/corpus"))) -> None:
    """Compile the hand-written messages into gold.jsonl and handwritten_train.jsonl."""
    from training.corpus import CorpusError
    from training.handwritten import compile_dir
    try:
        counts = compile_dir(source, output)
    except CorpusError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    err.print(", ".join(f"{name}: {count}" for name, count in counts.items()))


@corpus_app.command("validate")
def corpus_validate(files: list[Path]) -> None:
    """Check corpus files; every problem is printed with its file and line."""
    from training.corpus import CorpusError, load
    try:
        records = load(files)
    except CorpusError as exc:
        for problem in exc.problems:
            err.print(str(problem))
        raise typer.Exit(2) from exc
    err.print(f"{len(records)} valid messages")


@corpus_app.command("samples")
def corpus_samples(output: Path = typer.Option(Path("data/samples/maildir"))) -> None:
    """Rebuild the sample Maildir from gold messages (PEC ones wrapped in a PEC envelope)."""
    from training.corpus import load
    from training.samples import build_maildir, pick
    count = build_maildir(pick(load([Path("data/corpus/gold.jsonl")])), output)
    err.print(f"{count} messages written to {output}")
