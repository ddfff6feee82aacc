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

from classifier.bundle import Classifier, ModelLoadError, classify_isolated, latest
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
          corrections: Path = typer.Option(None, help="operators' corrections from 'smista export --corrections'"),
          no_mlflow: bool = typer.Option(False, "--no-mlflow", help="skip MLflow logging"),
          no_promote: bool = typer.Option(False, "--no-promote", help="save the model without trying to promote it")) -> None:
    """Validate the corpus, train, evaluate on the held-out writers, save models/<version>/, log to
    MLflow, and promote the model to champion if it is at least as good as the current one."""
    from training import corpus, train as training
    from triage.report import print_summary, reliability_table, writers_table

    settings = get_settings()
    config = config or settings.training_config or training.DEFAULT_CONFIG
    with err.status("training") as status:
        def progress(step: str) -> None:
            status.update(step)
            log.info(step)
        try:
            outcome = training.run(settings.project_dir, settings.models, config, progress, settings.spacy_pipeline,
                                   corrections=corrections)
        except corpus.CorpusError as exc:
            err.print(f"[red]training refused:[/red] {exc}")
            raise typer.Exit(2) from exc
        if not no_mlflow:
            from training.tracking import log_run
            status.update("logging to MLflow")
            run_id = log_run(settings.tracking_uri, settings.artifact_root, settings.mlflow_experiment,
                             settings.registered_model, outcome, config)
            log.info("MLflow run %s at %s", run_id, settings.tracking_uri)
    print_summary(err, outcome.gold)
    err.print(reliability_table(outcome.gold_results, outcome.gold_records))
    err.print(writers_table(outcome.writers, outcome.same_writer))
    err.print(f"model {outcome.metadata['version']} saved in {outcome.directory} "
              f"(trained in {outcome.metadata['train_seconds']} s, thresholds {outcome.metadata['thresholds']})")
    if not no_promote:
        _promote(settings, outcome.directory, force=False, tracking=not no_mlflow,
                 gold=settings.project_dir / training.read_config(config)["corpus"]["gold"])


def _promote(settings: Settings, directory: Path, force: bool, tracking: bool, gold: Path) -> bool:
    from training.promote import promote
    verdict = promote(settings.models, directory, gold, force=force,
                      tracking=(settings.tracking_uri, settings.registered_model) if tracking else None)
    if verdict.promote:
        err.print(f"[green]champion:[/green] {directory.name}" + (" (forced)" if force and verdict.reasons else ""))
    else:
        err.print(f"[yellow]not promoted:[/yellow] {directory.name}; " + "; ".join(verdict.reasons))
    return verdict.promote


@app.command()
def promote(version: str = typer.Argument(None, help="model version under models/ (default: the newest)"),
            rollback: bool = typer.Option(False, "--rollback", help="put the previous champion back"),
            force: bool = typer.Option(False, "--force", help="promote even if worse on the held-out writers"),
            no_mlflow: bool = typer.Option(False, "--no-mlflow", help="do not move the MLflow 'champion' alias")) -> None:
    """Make a model the champion the service loads, if it is at least as good on the held-out writers."""
    from training import promote as promotion
    from training.train import DEFAULT_CONFIG, read_config

    settings = get_settings()
    tracking = None if no_mlflow else (settings.tracking_uri, settings.registered_model)
    if rollback:
        try:
            err.print(f"[green]champion:[/green] {promotion.rollback(settings.models, tracking)} (rolled back)")
        except LookupError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
        return
    directory = settings.models / version if version else latest(settings.models)
    if directory is None or not directory.is_dir():
        err.print(f"[red]error:[/red] no model {version or ''} under {settings.models}")
        raise typer.Exit(2)
    gold = settings.project_dir / read_config(settings.training_config or DEFAULT_CONFIG)["corpus"]["gold"]
    if not _promote(settings, directory, force, not no_mlflow, gold):
        raise typer.Exit(1)


@app.command()
def tune(config: Path = typer.Option(None, help="training settings (TOML) with [[tune.candidates]]"),
         only: list[str] = typer.Option(None, "--only", help="candidate names to score (default: all)")) -> None:
    """Score the config's candidates on folds of whole training writers (never on the gold set)."""
    from rich.table import Table

    from training import train as training, tune as tuning
    settings = get_settings()
    scored = tuning.run(settings.project_dir, config or settings.training_config or training.DEFAULT_CONFIG, log.info, only)
    keys = ("type_macro_f1", "urgency_macro_f1", "emergency_recall", "coverage_at_target")
    table = Table(title="candidates on held-out training writers (out-of-fold)")
    table.add_column("candidate")
    for key in keys:
        table.add_column(key, justify="right")
    for s in scored:
        table.add_row(s.name, *[f"{s.figures[k]:.4f}" for k in keys])
    out.print(table)


@app.command()
def evaluate(file: Path, model: Path = typer.Option(None, help="model directory (default: the champion)")) -> None:
    """Per-class precision/recall/F1, macro-F1, emergency recall, confusion matrices, auto-routing,
    reliability per confidence bin, and figures per writer with 95% intervals when lines name one."""
    from training import corpus
    from training.evaluate import by_writer, summary
    from training.splits import writer_of
    from training.train import to_message
    from triage.report import print_summary, reliability_table, writers_table

    try:
        records = corpus.load([file])
    except corpus.CorpusError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    classifier = _load(get_settings(), model)
    results = classifier.classify([to_message(r) for r in records])
    print_summary(out, summary(records, results))
    out.print(reliability_table(results, records))
    if any(r.get("writer") for r in records):
        out.print(writers_table(by_writer(records, results, [writer_of(r) for r in records])))


@app.command()
def classify(paths: list[Path], model: Path = typer.Option(None, help="model directory (default: the champion)"),
             batch: int = typer.Option(512, help="messages classified together")) -> None:
    """Classify .eml files, Maildir folders and .jsonl files; one JSON object per message on stdout."""
    classifier = _load(get_settings(), model)
    failures = 0
    pending: list[inputs.Item] = []

    def flush() -> None:
        nonlocal failures
        for item, result in zip(pending, classify_isolated(classifier.classify, [i.message for i in pending])):
            if isinstance(result, str):
                failures += 1
                sys.stdout.write(json.dumps({"id": item.id, "source": item.source, "error": result}, ensure_ascii=False) + "\n")
                err.print(f"[yellow]failed[/yellow] {item.id}: {result}")
                continue
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
           mailbox: str = typer.Option(None, help="only messages seen in this mailbox"),
           corrections: bool = typer.Option(False, "--corrections",
                                            help="operators' corrections as training lines for 'smista train --corrections'")) -> None:
    """Write every stored message with its classification as JSONL (or the operators' corrections)."""
    from triage import export as exports
    from triage.store import open_store

    sessions = open_store(get_settings().database)
    lines = exports.corrections(sessions) if corrections else exports.rows(sessions, since, until, mailbox)
    if output is None:
        count = exports.write_jsonl(sys.stdout, lines)
    else:
        with output.open("w", encoding="utf-8") as fh:
            count = exports.write_jsonl(fh, lines)
    err.print(f"{count} {'corrections' if corrections else 'messages'} exported")


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
        train(config=None, corrections=None, no_mlflow=False, no_promote=False)
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
def corpus_compile(source: Path = typer.Option(Path("data/handwritten")), writers: Path = typer.Option(Path("data/writers")),
                   output: Path = typer.Option(Path("data/corpus"))) -> None:
    """Compile the hand-written messages and the writers' folders into corpus JSONL, and check
    the writers' corpus against the shape of a real inbox (exit 1 below it)."""
    from training.corpus import CorpusError
    from training.handwritten import compile_dir, compile_writers
    from training.relabel import read_adjudicated
    from training.train import read_config
    held_out = read_config()["corpus"]["held_out_writers"]
    try:
        settled = read_adjudicated(RELABEL / "adjudicated.tsv")
        counts = compile_dir(source, output) | compile_writers(writers, output, held_out, settled)
    except (CorpusError, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    err.print(", ".join(f"{name}: {count}" for name, count in counts.items()))
    _print_profile(writers)


def _print_profile(writers: Path) -> None:
    from training.handwritten import parse_writers
    from training.profile import report
    text, below = report(parse_writers(writers))
    out.print(text)
    for line in below:
        err.print(f"[red]below the inbox's shape:[/red] {line}")
    if below:
        raise typer.Exit(1)


RELABEL = Path("data/relabel")


@corpus_app.command("relabel-sample")
def corpus_relabel_sample(per_writer: int = typer.Option(60), seed: int = typer.Option(20261202),
                          writers: Path = typer.Option(Path("data/writers")),
                          only: list[str] = typer.Option(None, "--writer", help="writers to sample (default: all)")) -> None:
    """Write a blind sample (no labels, no writer) for an independent second labeller."""
    from training.handwritten import parse_writers
    from training.relabel import sample, write_blind
    picked = sample(parse_writers(writers, only), per_writer, seed)
    write_blind(picked, RELABEL / "blind.txt", RELABEL / "blind_key.tsv")
    err.print(f"{len(picked)} messages written to {RELABEL / 'blind.txt'}")


@corpus_app.command("agreement")
def corpus_agreement(labels: Path = typer.Option(RELABEL / "second_labels.tsv"),
                     writers: Path = typer.Option(Path("data/writers"))) -> None:
    """Cohen's kappa per head between the writers and the blind second labeller; the
    disagreements go to data/relabel/disagreements.jsonl for adjudication."""
    from training.handwritten import parse_writers
    from training.relabel import agreement, read_key, read_labels
    records = parse_writers(writers)
    key = read_key(RELABEL / "blind_key.tsv")
    second = {key[blind]: labels_ for blind, labels_ in read_labels(labels).items()}
    result = agreement(records, second)
    with (RELABEL / "disagreements.jsonl").open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(d, ensure_ascii=False) + "\n" for d in result["disagreements"])
    out.print(f"{result['n']} messages labelled twice: type kappa {result['type']['kappa']:.3f} "
              f"(agreement {result['type']['agreement']:.3f}), urgency kappa {result['urgency']['kappa']:.3f} "
              f"(agreement {result['urgency']['agreement']:.3f}); {len(result['disagreements'])} disagreements")


@corpus_app.command("profile")
def corpus_profile(writers: Path = typer.Option(Path("data/writers"))) -> None:
    """Print the writers' corpus profile; exit 1 when a figure is below the shape of a real inbox."""
    _print_profile(writers)


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
