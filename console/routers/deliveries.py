"""Dead letters (supervisors and admins): the deliveries that failed for good, and their replay."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from console import auth
from console.views import page
from triage import deadletters

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/deadletters")
async def listing(request: Request, session: auth.Supervisor) -> Response:
    rows = await run_in_threadpool(deadletters.listing, auth.services(request).sessions)
    return page(request, "deadletters.html", rows=rows, replayed=request.query_params.get("replayed"))


@router.post("/deadletters/{item_id}/replay")
async def replay(request: Request, item_id: auth.Key, session: auth.Supervisor, _: auth.Form) -> Response:
    done = await run_in_threadpool(deadletters.replay, auth.services(request).sessions, item_id, session.operator.name)
    if not done:
        return page(request, "error.html", status_code=404, message=f"Il recapito {item_id} non è tra quelli falliti.")
    return RedirectResponse(f"/console/deadletters?replayed={item_id}", status_code=303)
