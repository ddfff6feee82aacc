"""``smista corpus ...``: generate, compile, profile and check the labelled corpus."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from triage.cli.common import corpus_app, err, out

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


@corpus_app.command("letters")
def corpus_letters(source: Path = typer.Option(Path("data/letters")), output: Path = typer.Option(Path("data/corpus"))) -> None:
    """Render the letter writers' letters as real files, read them back through the intake
    (OCR included) and write letters_train.jsonl and letters_gold.jsonl; exit 1 below the shape."""
    from training.corpus import CorpusError
    from training.handwritten import parse_writers
    from training.letters import compile_letters
    from training.profile import report
    from training.train import read_config
    try:
        counts = compile_letters(source, output, read_config()["corpus"]["held_out_letter_writers"])
    except CorpusError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    err.print(", ".join(f"{name}: {count}" for name, count in counts.items()))
    text, below = report(parse_writers(source), letters=True)
    out.print(text)
    for line in below:
        err.print(f"[red]below the shape of letters:[/red] {line}")
    if below:
        raise typer.Exit(1)


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
                          only: list[str] = typer.Option(None, "--writer", help="writers to sample (default: all)"),
                          letters: Path | None = typer.Option(None, help="also sample the letter writers of this folder"),
                          into: Path = typer.Option(RELABEL, help="folder of the round: blind.txt and blind_key.tsv")) -> None:
    """Write a blind sample (no labels, no writer) for an independent second labeller."""
    from training.relabel import sample, write_blind
    picked = sample(_records(writers, only, letters), per_writer, seed)
    write_blind(picked, into / "blind.txt", into / "blind_key.tsv")
    err.print(f"{len(picked)} messages written to {into / 'blind.txt'}")


def _records(writers: Path, only: list[str] | None, letters: Path | None) -> list[dict]:
    from training.handwritten import parse_writers
    return [r for r in parse_writers(writers) if not only or r["writer"] in only] + (parse_writers(letters) if letters else [])


@corpus_app.command("agreement")
def corpus_agreement(writers: Path = typer.Option(Path("data/writers")),
                     letters: Path | None = typer.Option(None, help="the letter writers' folder, when the round sampled it"),
                     into: Path = typer.Option(RELABEL, help="folder of the round")) -> None:
    """Cohen's kappa per head between the writers and the blind second labeller; the
    disagreements go to the round's disagreements.jsonl for adjudication."""
    from training.relabel import agreement, read_key, read_labels
    records = _records(writers, None, letters)
    key = read_key(into / "blind_key.tsv")
    second = {key[blind]: labels_ for blind, labels_ in read_labels(into / "second_labels.tsv").items()}
    result = agreement(records, second)
    with (into / "disagreements.jsonl").open("w", encoding="utf-8") as fh:
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
