"""Dependencies shared by the routers: the model in service and API-key scopes."""

from __future__ import annotations

from fastapi import Depends, HTTPException, Request, Security
from starlette.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader

from classifier.bundle import Classifier
from triage import apikeys

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)


def classifier(request: Request) -> Classifier:
    return request.app.state.models.current()


def require(scope: str):
    """A dependency that admits a key holding ``scope`` (admin holds every scope).

    It is async so that demo mode and missing keys cost no thread hop; the database lookup of a
    key runs in the thread pool."""
    async def check(request: Request, key: str | None = Security(api_key_header)) -> str:
        if request.app.state.settings.api_demo_mode:
            return "demo"
        if not key:
            raise HTTPException(401, "missing API key: send it in the X-API-Key header")
        found = await run_in_threadpool(apikeys.lookup, request.app.state.sessions, key)
        if found is None:
            raise HTTPException(401, "unknown or revoked API key")
        if scope not in found.scopes and "admin" not in found.scopes:
            raise HTTPException(403, f"this API key lacks the '{scope}' scope")
        return found.name
    return Depends(check)
