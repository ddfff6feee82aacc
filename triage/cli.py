"""The ``smista`` command line."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.logging import RichHandler

from classifier.bundle import Classifier, ModelLoadError, latest
from triage import inputs
from triage.settings import Settings, get_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Triage of Italian contact-center mail.")
corpus_app = typer.Typer(no_args_is_help=True, help="Generate, compile and validate the labelled corpus.")
app.add_typer(corpus_app, name="corpus")
err = Console(stderr=True, soft_wrap=True)
out = Console()
log = logging.getLogger("smista")


@app.callback()
def main(verbose: bool = typer.Option(False, "--verbose", "-v", help="debug logging")) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, format="%(message)s",
                        handlers=[RichHandler(console=err, show_path=False)])
    for noisy in ("alembic", "mlflow", "urllib3", "spacy"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _load(settings: Settings, model: Path | None) -> Classifier:
    try:
        return Classifier.load(model or settings.models)
    except ModelLoadError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


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


@app.command()
def run() -> None:
    """The main job on embedded defaults: train if no model exists, then triage the sample Maildir."""
    from triage.report import results_table

    settings = get_settings()
    if latest(settings.models) is None:
        log.info("no model in %s: training one first", settings.models)
        train(config=None, no_mlflow=False)
    classifier = _load(settings, None)
    items = [i for i in inputs.read(settings.samples) if not i.error]
    results = classifier.classify([i.message for i in items])
    rows = [(i.id.split(".M")[0], i.message.subject, r) for i, r in zip(items, results)]
    out.width = max(out.width, 150)
    out.print(results_table(rows, f"{settings.samples}: {len(rows)} messages, model {classifier.version}"))
    review = sum(r.needs_review for r in results)
    out.print(f"{len(rows) - review} auto-routed, {review} to review, "
              f"{sum(r.urgency == 'emergency' for r in results)} emergencies")


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
