"""Model commands: train, promote, tune, evaluate and classify files."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from classifier.bundle import classify_isolated, latest
from triage import inputs, service
from triage.cli.common import app, err, load_classifier, log, out
from triage.settings import Settings, get_settings


@app.command()
def train(config: Path | None = typer.Option(None, help="training settings (TOML)"),
          corrections: Path | None = typer.Option(None, help="operators' corrections from 'smista export --corrections'"),
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
    from classifier.features import to_message
    from triage.report import print_summary, reliability_table, writers_table

    try:
        records = corpus.load([file])
    except corpus.CorpusError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    classifier = load_classifier(get_settings(), model)
    results = classifier.classify([to_message(r) for r in records])
    print_summary(out, summary(records, results))
    out.print(reliability_table(results, records))
    if any(r.get("writer") for r in records):
        out.print(writers_table(by_writer(records, results, [writer_of(r) for r in records])))


@app.command()
def classify(paths: list[Path], model: Path = typer.Option(None, help="model directory (default: the champion)"),
             batch: int = typer.Option(512, help="messages classified together")) -> None:
    """Classify .eml files, Maildir folders and .jsonl files; one JSON object per message on stdout."""
    settings = get_settings()
    classifier = load_classifier(settings, model)
    reader = service.documents(settings)
    failures = 0
    pending: list[inputs.Item] = []

    def flush() -> None:
        nonlocal failures
        for item, result in zip(pending, classify_isolated(classifier.classify, [i.message for i in pending if i.message is not None])):
            if isinstance(result, str):
                failures += 1
                sys.stdout.write(json.dumps({"id": item.id, "source": item.source, "error": result}, ensure_ascii=False) + "\n")
                err.print(f"[yellow]failed[/yellow] {item.id}: {result}")
                continue
            sys.stdout.write(json.dumps({"id": item.id, "source": item.source, **result.to_dict()}, ensure_ascii=False) + "\n")
        pending.clear()

    for path in paths:
        for item in inputs.read(path, reader):
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
    if reader is not None:
        reader.close()
    if failures:
        raise typer.Exit(1)


