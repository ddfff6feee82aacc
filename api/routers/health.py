"""Liveness, readiness and Prometheus metrics (no API key: probes and scrapers)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST

from api.deps import Services
from triage import queries

router = APIRouter(tags=["health"])


@router.get("/health")
def health(services: Services) -> dict[str, Any]:
    """Alive, with the workers this process runs (poller, dispatcher) and their counters."""
    return {"status": "ok", "workers": services.workers.status()}


@router.get("/ready")
def ready(services: Services) -> JSONResponse:
    checks = {"model": services.models.ready, "database": queries.database_ok(services.sessions)}
    version = services.models.current().metadata.get("version") if checks["model"] else None
    return JSONResponse({"ready": all(checks.values()), **checks, "model_version": version},
                        status_code=200 if all(checks.values()) else 503)


@router.get("/metrics")
def metrics(request: Request) -> Response:
    return Response(request.app.state.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
