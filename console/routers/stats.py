"""The statistical report in the console (``/console/reports``): any period, drawn inside the
console's layout, with the same report as PDF, CSV, XLSX and standalone HTML to download.

The figures come from :mod:`reports` (which reads them through :mod:`triage.statistics`);
building and drawing run in the thread pool, off the event loop. A period the report cannot
cover is said on the page, in Italian, with the form to fix it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

import reports
from console import auth
from console.views import HEADERS, page
from reports import files, periods
from triage.service import Services
from triage.statistics import Period

router = APIRouter(prefix="/console", include_in_schema=False)
FORMAT_NAMES = {"pdf": "PDF", "csv": "CSV", "xlsx": "XLSX", "html": "HTML"}
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def _fragment(services: Services, period: Period) -> str:
    report = reports.build(services.sessions, period, services.settings)
    return reports.render_html(report, standalone=False)


def _file(services: Services, period: Period, fmt: str) -> bytes:
    return files.render(reports.build(services.sessions, period, services.settings), fmt)


def _policy(fragment: str) -> str:
    """The console's policy, admitting the report's own ``<style>`` block by its hash: inline
    styles stay refused, so nothing injected into a page can restyle it."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(m.encode()).digest()).decode()}'"
                      for m in _STYLE.findall(fragment))
    return f"{HEADERS['Content-Security-Policy']}; style-src 'self' {hashes}"


def _asked(request: Request) -> tuple[str, str, Period]:
    """The form's two days as given, and their period; none given: last month in Rome."""
    first, last = request.query_params.get("from"), request.query_params.get("to")
    if first is None and last is None:
        period = periods.default(periods.today())
        return period.start.isoformat(), period.last.isoformat(), period
    return first or "", last or "", periods.parse(first, last)


@router.get("/reports")
async def report_page(request: Request, session: auth.Current) -> Response:
    try:
        first, last, period = _asked(request)
    except periods.BadPeriod as exc:
        return page(request, "reports.html", status_code=422, error=str(exc),
                    first=request.query_params.get("from", ""), last=request.query_params.get("to", ""))
    fragment = await run_in_threadpool(_fragment, auth.services(request), period)
    query = urlencode({"from": period.start.isoformat(), "to": period.last.isoformat()})
    links = [(FORMAT_NAMES[f], f"/console/reports/download/{f}?{query}") for f in FORMAT_NAMES]
    response = page(request, "reports.html", first=first, last=last, fragment=Markup(fragment), links=links)
    response.headers["Content-Security-Policy"] = _policy(fragment)
    return response


@router.get("/reports/download/{fmt}")
async def download(request: Request, fmt: str, session: auth.Current) -> Response:
    if fmt not in files.FORMATS:
        return page(request, "error.html", status_code=404,
                    message=f"Formato «{fmt[:10]}» sconosciuto: scegli tra {', '.join(FORMAT_NAMES.values())}.")
    try:
        _, _, period = _asked(request)
    except periods.BadPeriod as exc:
        return page(request, "error.html", status_code=422, message=str(exc))
    data = await run_in_threadpool(_file, auth.services(request), period, fmt)
    name = files.filename(period, fmt)
    return Response(data, media_type=files.MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store",
                             "X-Content-Type-Options": "nosniff"})
