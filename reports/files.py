"""The report as a file: its bytes in each format, the media type and a file name.

One place for what ``smista report`` writes and what the console's download links serve, so
that a PDF from the command line and one from ``/console/reports`` are the same file.
"""

from __future__ import annotations

from reports.html import render_html
from reports.model import Report, month_period
from reports.pdf import render_pdf
from reports.tabular import render_csv, render_xlsx
from triage.statistics import Period

MEDIA_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf", "csv": "text/csv; charset=utf-8",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
FORMATS = tuple(MEDIA_TYPES)


def render(report: Report, fmt: str, charts: dict[str, str] | None = None) -> bytes:
    """The report in ``fmt`` (one of ``FORMATS``); ``charts`` drawn already are reused."""
    if fmt == "html":
        return render_html(report, charts=charts).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(report, charts=charts)
    if fmt == "csv":
        return render_csv(report).encode("utf-8-sig")  # the BOM makes spreadsheets read UTF-8
    if fmt == "xlsx":
        return render_xlsx(report)
    raise ValueError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")


def filename(period: Period, fmt: str) -> str:
    """``report-2026-03.pdf`` for a calendar month (as ``smista report --monthly`` names it),
    ``report-2026-03-01_2026-03-15.pdf`` for any other period (both days included)."""
    if period.start.day == 1 and period.end == month_period(period.start.year, period.start.month).end:
        return f"report-{period.start:%Y-%m}.{fmt}"
    return f"report-{period.start.isoformat()}_{period.last.isoformat()}.{fmt}"
