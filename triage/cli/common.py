"""What every command shares: the Typer app and its groups, the consoles, logging, model loading."""

from __future__ import annotations

import logging
from pathlib import Path

import typer
from rich.console import Console
from rich.logging import RichHandler

from classifier.bundle import Classifier, ModelLoadError
from triage.settings import Settings

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
    for noisy in ("alembic", "mlflow", "urllib3", "spacy", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``message`` as an error; the caller raises the returned exit."""
    err.print(f"[red]error:[/red] {message}")
    return typer.Exit(code)


def load_classifier(settings: Settings, model: Path | None) -> Classifier:
    try:
        return Classifier.load(model or settings.models)
    except ModelLoadError as exc:
        raise fail(str(exc)) from exc
