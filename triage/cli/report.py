"""``smista report``: the statistical reports of the communications handled, and the monthly one."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import typer

import reports
from reports import files, italian, mailing
from triage.cli.common import app, err, fail
from triage.db import open_store
from triage.settings import Settings, get_settings


def monthly(settings: Settings, today: date, fmt: str = "pdf") -> Path:
    """Last month's report written to ``var/reports/`` and, when SMTP is configured, mailed."""
    period = reports.last_month(today)
    report = reports.build(open_store(settings.database), period, settings)
    folder = settings.project_dir / "var" / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / files.filename(period, fmt)
    data = files.render(report, fmt)
    path.write_bytes(data)
    if mailing.configured(settings):
        body = (f"In allegato il {report.title.lower()} del contratto «{report.contract}».\n\n"
                f"Comunicazioni gestite nel periodo: {italian.integer(report.total)}.\n")
        mailing.send(settings, mailing.message(settings, f"{report.title} · {report.contract}", body, data, path.name,
                                               files.MEDIA_TYPES[fmt].split(";")[0]))
    return path


@app.command()
def report(start: str = typer.Option(None, "--from", help="first day (YYYY-MM-DD), local time of Rome"),
           end: str = typer.Option(None, "--to", help="last day, included (YYYY-MM-DD)"),
           fmt: str = typer.Option("html", "--format", help="html | pdf | csv | xlsx"),
           output: Path = typer.Option(None, "--output", "-o", help="file to write (default stdout)"),
           is_monthly: bool = typer.Option(False, "--monthly",
                                           help="last month's report into var/reports/, mailed when SMTP is set")) -> None:
    """The statistical report of the communications handled in a period (Italian)."""
    if fmt not in files.FORMATS:
        raise fail(f"--format {fmt!r}: expected one of {', '.join(files.FORMATS)}")
    settings = get_settings()
    if is_monthly:
        try:
            path = monthly(settings, date.today(), "pdf" if fmt == "html" else fmt)
        except mailing.MailError as exc:
            raise fail(f"report written but not mailed: {exc}", code=1) from exc
        err.print(f"report written to {path}" + (", and mailed" if mailing.configured(settings) else ""))
        return
    if start is None or end is None:
        raise fail("give --from and --to (or --monthly)")
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError as exc:
        raise fail(f"--from/--to: {exc}; expected YYYY-MM-DD") from exc
    if last < first:
        raise fail(f"--to {last} is before --from {first}")
    report_ = reports.build(open_store(settings.database), reports.Period(first, last + timedelta(days=1)), settings)
    data = files.render(report_, fmt)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        output.write_bytes(data)
        err.print(f"{report_.title}: {report_.total} messages, written to {output}")
