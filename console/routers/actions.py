"""What operators decide: the review queue (accept or correct, by keyboard), the corrections on
a message's page, and whether its request is resolved; each is recorded with the operator's
name (``triage.corrections``: an acceptance is a correction that keeps the model's labels;
``triage.resolutions``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from classifier.labels import TYPES, URGENCIES
from console import auth
from console.views import page
from triage import corrections, queue, resolutions

router = APIRouter(prefix="/console", include_in_schema=False)


def _decode_after(value: str | None) -> tuple[float, int] | None:
    try:
        confidence, pk = (value or "").split("_")
        return float(confidence), int(pk)
    except ValueError:
        return None


@router.get("/review")
async def review_page(request: Request, session: auth.Current, after: str | None = None) -> Response:
    rows, next_key = await run_in_threadpool(queue.review, auth.services(request).sessions, _decode_after(after), 20)
    return page(request, "review.html", rows=rows, next_after=f"{next_key[0]!r}_{next_key[1]}" if next_key else None)


async def _record(request: Request, session: auth.Current, pk: int, form: dict[str, str]) -> str | None:
    """Record the form's labels; the reason when they cannot be."""
    type_, urgency = form.get("type"), form.get("urgency")
    if type_ not in TYPES or urgency not in URGENCIES:
        return "Tipo o urgenza non validi."
    try:
        await run_in_threadpool(corrections.correct, auth.services(request).sessions, pk, session.operator.name,
                                type_, urgency)
    except corrections.NoMessage:
        return f"Nessun messaggio {pk}."
    return None


@router.post("/review/{pk}")
async def review_decision(request: Request, pk: auth.Key, session: auth.Current, form: auth.Form) -> Response:
    """One message decided from the review queue; htmx swaps its row out, a plain form reloads the queue."""
    problem = await _record(request, session, pk, form)
    if request.headers.get("hx-request"):
        if problem:
            return HTMLResponse(f'<tr class="problem"><td colspan="6">{problem}</td></tr>', status_code=422)
        return HTMLResponse("")
    if problem:
        return page(request, "error.html", status_code=422, message=problem)
    return RedirectResponse("/console/review", status_code=303)


@router.post("/messages/{pk}/label")
async def correct(request: Request, pk: auth.Key, session: auth.Current, form: auth.Form) -> Response:
    problem = await _record(request, session, pk, form)
    if problem:
        return page(request, "error.html", status_code=422, message=problem)
    return RedirectResponse(f"/console/messages/{pk}?saved=1", status_code=303)


@router.post("/messages/{pk}/resolution")
async def resolution(request: Request, pk: auth.Key, session: auth.Current, form: auth.Form) -> Response:
    """"Segna come risolta" (now, by this operator) or "Riapri"."""
    sessions, action = auth.services(request).sessions, form.get("action")
    try:
        if action == "resolve":
            await run_in_threadpool(resolutions.resolve, sessions, pk, session.operator.name)
        elif action == "reopen":
            await run_in_threadpool(resolutions.reopen, sessions, pk)
        else:
            return page(request, "error.html", status_code=422, message="Azione non valida: scegli risolvi o riapri.")
    except resolutions.NoMessage:
        return page(request, "error.html", status_code=404, message=f"Nessun messaggio {pk}.")
    except resolutions.BadResolution:
        return page(request, "error.html", status_code=422,
                    message=f"Il messaggio {pk} è una ricevuta PEC, non una richiesta: non si risolve.")
    return RedirectResponse(f"/console/messages/{pk}?resolution={action}", status_code=303)
