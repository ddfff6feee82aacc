"""The monthly report as a PDF for the administration's contract manager (WeasyPrint, A4)."""

from __future__ import annotations

from reports.html import render_html
from reports.model import Report


def render_pdf(report: Report, charts: dict[str, str] | None = None) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which the HTML page does not need

    document = HTML(string=render_html(report, pdf=True, charts=charts), url_fetcher=_refuse)
    return document.write_pdf()


def _refuse(url: str, *args: object, **kwargs: object) -> dict:
    """The page is self-contained: a fetch would be a bug, and must not reach the network."""
    raise ValueError(f"the report tried to fetch {url!r}")
