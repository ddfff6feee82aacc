"""The operators' console (``/console``): server-rendered pages in Italian on the same app as
the API, for the people who work the mailbox every day.

``mount(app, services)`` adds its routers, its static files (served from the package: nothing
comes from a CDN), the answers to a missing login or a missing right, the search indexer
beside the app's workers for as long as it runs, and the reports prepared as it starts. Every read and write goes through the ``triage`` data layer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import RedirectResponse, Response

import reports
from console.auth import Forbidden, LoginRequired
from console.routers import actions, deliveries, login, pages, stats
from console.views import HERE, page
from reports import periods
from triage.search import SearchIndexer
from triage.service import Services

__all__ = ["mount"]
log = logging.getLogger(__name__)


def mount(app: FastAPI, services: Services) -> None:
    for module in (login, pages, actions, deliveries, stats):
        app.include_router(module.router)
    app.mount("/console/static", StaticFiles(directory=HERE / "static"), name="console-static")

    @app.exception_handler(LoginRequired)
    async def to_login(_: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"/console/login?next={quote(exc.next_url, safe='')}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return page(request, "error.html", status_code=403, message=str(exc))

    _index_beside(app, SearchIndexer(services.sessions))
    _prepare_reports_beside(app, services)


def _prepare_reports_beside(app: FastAPI, services: Services) -> None:
    """Bring the reports' rollup up to date, start the charts' engine and draw last month's
    charts when the app starts, in a thread of their own (``reports.prepare``)."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(target: Any) -> AsyncIterator[Any]:
        thread = threading.Thread(target=_prepare_reports, args=(services,), daemon=True, name="reports-prepare")
        thread.start()
        try:
            async with inner(target) as state:
                yield state
        finally:
            thread.join(timeout=10)  # a daemon: a first build still running is cut, its spans done are kept

    app.router.lifespan_context = lifespan


def _prepare_reports(services: Services) -> None:
    try:
        reports.prepare(services.sessions, services.settings, periods.today())
    except Exception:  # a report still refreshes the rollup itself: this only saves it the wait
        log.exception("reports: preparing the rollup and the charts' engine failed")


def _index_beside(app: FastAPI, indexer: SearchIndexer) -> None:
    """Run the search indexer for as long as the app runs, around the app's own lifespan."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(target: Any) -> AsyncIterator[Any]:
        stop = threading.Event()
        thread = threading.Thread(target=indexer.run_forever, args=(stop,), daemon=True, name=indexer.name)
        thread.start()
        try:
            async with inner(target) as state:
                yield state
        finally:
            stop.set()
            thread.join(timeout=30)

    app.router.lifespan_context = lifespan
