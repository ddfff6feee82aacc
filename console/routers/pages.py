"""The console's reading pages: the queue, a message, the search and the model in service."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from classifier.bundle import ModelLoadError
from classifier.labels import TYPES, URGENCIES
from console import auth, text
from console.views import ROME, page
from triage import deadletters, queries, queue, search
from triage.schemas import QueueFilter

router = APIRouter(prefix="/console", include_in_schema=False)
CHOICES: dict[str, tuple[str, ...]] = {"type": TYPES, "urgency": URGENCIES, "channel": ("email", "pec"),
                                       "review": ("pending", "done", "auto"),
                                       "routing": ("none", "pending", "delivered", "dead")}


def _day(value: str | None, after: bool = False) -> datetime | None:
    """A day of the date fields as an instant in Rome: its start, or for 'until' the next day's."""
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        return None
    return datetime.combine(day + timedelta(days=1 if after else 0), time(), ROME)


def queue_filter(params: dict[str, str], mailboxes: list[str]) -> QueueFilter:
    """The query string's filters; a value the form does not offer is ignored, not an error."""
    chosen: dict[str, Any] = {k: params[k] for k, allowed in CHOICES.items() if params.get(k) in allowed}
    if params.get("mailbox") in mailboxes:
        chosen["mailbox"] = params["mailbox"]
    return QueueFilter(**chosen, since=_day(params.get("since")), until=_day(params.get("until"), after=True),
                       oldest_first=params.get("sort") == "oldest")


@router.get("")
def home() -> Response:
    return RedirectResponse("/console/queue", status_code=303)


@router.get("/queue")
async def queue_page(request: Request, session: auth.Current) -> Response:
    sessions = auth.services(request).sessions
    params = dict(request.query_params)
    boxes = await run_in_threadpool(queue.mailboxes, sessions)
    f = queue_filter(params, boxes)
    try:
        found = await run_in_threadpool(queue.page, sessions, f, params.get("cursor") or None, 50)
    except queue.BadCursor:
        return RedirectResponse("/console/queue", status_code=303)
    keep = {k: v for k, v in params.items() if k != "cursor" and v}
    return page(request, "queue.html", rows=found.rows, next_cursor=found.next_cursor, params=keep, mailboxes=boxes,
                choices=CHOICES)


@router.get("/messages/{pk}")
async def message_page(request: Request, pk: auth.Key, session: auth.Current) -> Response:
    sessions = auth.services(request).sessions
    detail = await run_in_threadpool(queries.message_detail, sessions, pk)
    if detail is None:
        return page(request, "error.html", status_code=404, message=f"Nessun messaggio {pk}.")
    raw = await run_in_threadpool(queries.raw_bytes, sessions, pk)
    shown = await run_in_threadpool(text.shown, raw, detail.subject)
    explanation = detail.classification.explanation if detail.classification else None
    marks = text.stems(explanation)
    receipts = await run_in_threadpool(queries.receipts, sessions, pk)
    replays = await run_in_threadpool(deadletters.replays_of, sessions, pk)
    current = detail.history.corrections[-1] if detail.history.corrections else detail.classification
    return page(request, "message.html", m=detail, shown=shown, new_text=text.highlight(shown.new, marks),
                receipts=receipts, replays=replays, current=current, saved=request.query_params.get("saved"),
                resolution=request.query_params.get("resolution"))


@router.get("/messages/{pk}/raw")
async def raw(request: Request, pk: auth.Key, session: auth.Current) -> Response:
    data = await run_in_threadpool(queries.raw_bytes, auth.services(request).sessions, pk)
    if data is None:
        return page(request, "error.html", status_code=404, message=f"Nessun messaggio {pk}.")
    return Response(data, media_type="message/rfc822", headers={"Content-Disposition": f'attachment; filename="{pk}.eml"'})


@router.get("/search")
async def search_page(request: Request, session: auth.Current, q: str = "", before: int | None = None) -> Response:
    sessions = auth.services(request).sessions
    rows, next_before = [], None
    if q.strip():
        pks, next_before = await run_in_threadpool(search.search, sessions, q, before, 50)
        rows = await run_in_threadpool(queue.rows, sessions, pks)
    return page(request, "search.html", q=q, rows=rows, next_before=next_before)


@router.get("/model")
async def model_page(request: Request, session: auth.Current) -> Response:
    try:
        model = auth.services(request).models.current()
        metadata: dict[str, Any] = dict(model.metadata)
    except ModelLoadError as exc:
        return page(request, "error.html", status_code=503, message=f"Nessun modello in servizio: {exc}")
    return page(request, "model.html", meta=metadata)
