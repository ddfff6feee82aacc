"""The FastAPI application: ``create_app(settings)``; nothing is loaded at import time."""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.logs import keep_queries_out_of_the_access_log
from api.metrics import Metrics
from api.middleware import LimitsAndTiming
from api.routers import classify, deadletters, feed, health, messages
from triage import service
from classifier.bundle import ModelLoadError
from classifier.holder import ModelHolder
from triage.settings import Settings
from triage.poller import Poller
from triage.store import open_store

log = logging.getLogger(__name__)


def _dispatch_forever(dispatcher, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            if dispatcher.run_once() == 0:
                stop.wait(0.2)
        except Exception:  # noqa: BLE001 - a database hiccup must not end delivery for good
            log.exception("dispatcher round failed")
            stop.wait(1.0)


def create_app(settings: Settings, poller: Poller | None = None, models: ModelHolder | None = None) -> FastAPI:
    """``poller``: mailboxes to watch from this process too (``smista run``); it stops with the app.
    ``models``: the holder that poller classifies with, so that both share one model."""
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        keep_queries_out_of_the_access_log()  # here: uvicorn has configured its loggers by now
        app.state.settings = settings
        app.state.sessions = open_store(settings.database)
        app.state.models = models or ModelHolder(settings.models)
        app.state.router = service.router(settings)  # rules read once, not per request
        app.state.metrics = Metrics(app.state.sessions)
        stop = threading.Event()
        threads = []
        if settings.routing_url:  # the outbox is delivered from the service process too
            dispatcher = service.dispatcher(settings, app.state.sessions)
            app.state.dispatcher = dispatcher
            threads.append(threading.Thread(target=_dispatch_forever, args=(dispatcher, stop), daemon=True, name="dispatcher"))
        if poller is not None:
            threads.append(threading.Thread(target=poller.run_forever, args=(stop,), daemon=True, name="poller"))
        for thread in threads:
            thread.start()
        yield
        stop.set()
        for thread in threads:  # a batch in progress is finished and committed
            thread.join(timeout=60)
            log.info("%s stopped", thread.name)

    app = FastAPI(title="smista", version="0.1.0", lifespan=lifespan,
                  description="Triage of Italian contact-center mail: classification, messages, feed, review.")
    for module in (health, classify, messages, feed, deadletters):
        app.include_router(module.router)

    app.add_middleware(LimitsAndTiming, max_body_bytes=settings.api_max_body_bytes)

    @app.exception_handler(StarletteHTTPException)  # the framework's own 404 and 405 too, not only ours
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return JSONResponse({"error": f"invalid request: {problems}"}, status_code=422)

    @app.exception_handler(ModelLoadError)
    async def no_model(_: Request, exc: ModelLoadError) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=503)

    return app
