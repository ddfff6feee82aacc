"""Dependencies shared by the routers: the services, the model in service and API-key scopes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import APIKeyHeader
from starlette.concurrency import run_in_threadpool

from classifier.bundle import Classifier
from triage import apikeys
from triage.db import Sessions as SessionFactory
from triage.service import Services as AllServices

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)


# Async, though they do not wait on anything: FastAPI runs sync dependencies in its thread
# pool, and a thread hop per request is what these must not cost.

def _app_services(request: Request) -> AllServices:
    services: AllServices = request.app.state.services
    return services


async def _services(request: Request) -> AllServices:
    return _app_services(request)


async def _sessions(request: Request) -> SessionFactory:
    return _app_services(request).sessions


async def _classifier(request: Request) -> Classifier:
    return _app_services(request).models.current()


Services = Annotated[AllServices, Depends(_services)]
Sessions = Annotated[SessionFactory, Depends(_sessions)]
Model = Annotated[Classifier, Depends(_classifier)]


def require(scope: str):  # returns FastAPI's Depends marker
    """A dependency that admits a key holding ``scope`` (admin holds every scope); its value is
    the key's name, which corrections record as the operator.

    It is async so that demo mode and missing keys cost no thread hop; the database lookup of a
    key runs in the thread pool."""
    async def check(request: Request, key: str | None = Security(api_key_header)) -> str:
        services = _app_services(request)
        if services.settings.api_demo_mode:
            return "demo"
        if not key:
            raise HTTPException(401, "missing API key: send it in the X-API-Key header")
        found = await run_in_threadpool(apikeys.lookup, services.sessions, key)
        if found is None:
            raise HTTPException(401, "unknown or revoked API key")
        if scope not in found.scopes and "admin" not in found.scopes:
            raise HTTPException(403, f"this API key lacks the '{scope}' scope")
        return found.name
    return Depends(check)


Reader = Annotated[str, require("read")]
Writer = Annotated[str, require("write")]
Admin = Annotated[str, require("admin")]
