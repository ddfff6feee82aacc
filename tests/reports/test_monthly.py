"""The scheduled monthly report: written under var/reports/ and mailed with its PDF to a real SMTP server."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pypdf

import reports
from tests.reports.conftest import settings_for
from triage.cli.report import monthly

PROJECT = Path(__file__).resolve().parents[2]
SMISTA = shutil.which("smista", path=str(Path(sys.executable).parent)) or "smista"


def test_monthly_writes_last_months_pdf_and_mails_it(filled, smtp_server, tmp_path):
    _, truths, _ = filled
    settings = settings_for(filled[2].database, project_dir=tmp_path, smtp_host=smtp_server.host, smtp_port=smtp_server.port,
                            report_sender="smista@contactcenter.example.it",
                            report_recipients=["dec@comune.example.it", "rup@comune.example.it"])
    path = monthly(settings, date(2026, 4, 15))
    assert path == tmp_path / "var" / "reports" / "report-2026-03.pdf"
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(smtp_server.received) == 1
    mail = smtp_server.received[0]
    assert mail.recipients == ["dec@comune.example.it", "rup@comune.example.it"]
    assert mail.sender == "smista@contactcenter.example.it"
    assert mail.message["Subject"] == "Report statistico di marzo 2026 · Contratto CONSIP FM4 lotto 7"
    attachments = list(mail.message.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["report-2026-03.pdf"]
    assert attachments[0].get_content_type() == "application/pdf"
    assert attachments[0].get_content() == data
    assert "Report statistico di marzo 2026" in pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_monthly_without_smtp_only_writes(filled, tmp_path):
    settings = settings_for(filled[2].database, project_dir=tmp_path)
    path = monthly(settings, date(2026, 4, 1), fmt="xlsx")
    assert path.name == "report-2026-03.xlsx"
    assert reports.read_xlsx(path.read_bytes())[0].name == "indicatori"


def _smista(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SMISTA_")}
    return subprocess.run([SMISTA, *args], capture_output=True, text=True, env={**clean, **env}, cwd=PROJECT, timeout=300)


def test_the_command_writes_csv_and_the_monthly_run_mails(filled, smtp_server, tmp_path):
    sessions, _, _ = filled
    url = filled[2].database
    out = tmp_path / "marzo.csv"
    done = _smista("report", "--from", "2026-03-01", "--to", "2026-03-31", "--format", "csv", "-o", str(out),
                   SMISTA_DATABASE_URL=url)
    assert done.returncode == 0, done.stderr
    expected = reports.build(sessions, reports.month_period(2026, 3), reports.model.Settings(database_url=url))
    assert reports.read_csv(out.read_text(encoding="utf-8-sig")) == expected.tables()

    done = _smista("report", "--monthly", SMISTA_DATABASE_URL=url, SMISTA_PROJECT_DIR=str(tmp_path),
                   SMISTA_SMTP_HOST=smtp_server.host, SMISTA_SMTP_PORT=str(smtp_server.port),
                   SMISTA_REPORT_RECIPIENTS='["dec@comune.example.it"]')
    assert done.returncode == 0, done.stderr
    name = f"report-{reports.last_month(date.today()).start:%Y-%m}.pdf"
    assert (tmp_path / "var" / "reports" / name).read_bytes().startswith(b"%PDF-")
    assert [a.get_filename() for a in smtp_server.received[0].message.iter_attachments()] == [name]

    bad = _smista("report", "--from", "2026-03-31", "--to", "2026-03-01", SMISTA_DATABASE_URL=url)
    assert bad.returncode == 2 and "before --from" in bad.stderr
