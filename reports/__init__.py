"""The statistical reports of the communications handled (``smista report``, ``/console/reports``).

``build(sessions, period, settings)`` reads the aggregates from the store; the renderers are pure
functions of the report it returns.
"""

from reports.html import render_html
from reports.model import Report, Table, build, last_month, month_period, prepare
from reports.pdf import render_pdf
from reports.tabular import read_csv, read_xlsx, render_csv, render_xlsx
from triage.statistics import Period

__all__ = ["Period", "Report", "Table", "build", "last_month", "month_period", "prepare", "read_csv", "read_xlsx", "render_csv",
           "render_html", "render_pdf", "render_xlsx"]
