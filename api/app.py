"""The FastAPI application: ``create_app(services)``, given services the CLI has built.

The app starts and stops the workers it is given (the poller and the dispatcher of ``smista
run``) with its lifespan, and builds nothing itself: nothing is loaded at import time.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.logs import keep_queries_out_of_the_access_log
from api.metrics import Metrics
from api.middleware import LimitsAndTiming
from api.routers import classify, deadletters, faq, feed, health, messages
import console
from classifier.bundle import ModelLoadError
from triage.service import Services

log = logging.getLogger(__name__)


def create_app(services: Services) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        keep_queries_out_of_the_access_log()  # here: uvicorn has configured its loggers by now
        services.workers.start()
        yield
        if services.intake is not None:  # accepted submissions stored, the classification of the rest left stored
            services.intake.stop()
        services.workers.stop()  # a batch in progress is finished and committed

    app = FastAPI(title="smista", version="0.1.0", lifespan=lifespan,
                  description="Triage of Italian contact-center mail: classification, messages, feed, review.")
    app.state.services = services
    app.state.metrics = Metrics(services.sessions)
    for module in (health, classify, messages, feed, deadletters, faq):
        app.include_router(module.router)
    console.mount(app, services)  # the operators' pages, /console

    app.add_middleware(LimitsAndTiming, max_body_bytes=services.settings.api_max_body_bytes)

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
