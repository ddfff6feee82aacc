"""The report as an HTML page (self-contained: styles and SVG charts inline, nothing fetched)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from reports import italian as it
from reports.charts import all_charts
from reports.model import Report

_env = Environment(loader=PackageLoader("reports", "templates"), autoescape=select_autoescape(["html", "j2"]),
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_env.filters["cell"] = it.cell


def render_html(report: Report, standalone: bool = True, pdf: bool = False, charts: dict[str, str] | None = None) -> str:
    """The report page; ``standalone`` False gives the ``<article>`` alone, to place inside the console."""
    local = report.generated_at.astimezone(ZoneInfo(report.period.zone))
    return _env.get_template("report.html.j2").render(
        report=report, tables={t.name: t for t in report.tables()}, charts=charts if charts is not None else all_charts(report),
        standalone=standalone, pdf=pdf, period_from=it.day(report.period.start),
        period_to=it.day(report.period.end - timedelta(days=1)),
        generated=f"{it.day(local.date())} alle {local:%H:%M}")
