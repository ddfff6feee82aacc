"""Messages: submit one from a web form, read one with its history, download its raw bytes,
correct its labels, record that the request was resolved (or reopen it), and list those
waiting for review."""

from __future__ import annotations

import asyncio
import base64
import uuid
from email.header import Header
from email.utils import formataddr, format_datetime, getaddresses, parseaddr, quote

from fastapi import APIRouter, HTTPException, Path, Query, Response

from api.deps import Reader, Services, Sessions, Writer
from api.schemas import LabelIn, MessageIn, ResolutionIn, Submitted
from triage import corrections, queries, resolutions
from triage.intake import Busy
from triage.models import MessageStatus, utcnow
from triage.schemas import LabelChange, MessageDetail, MessageSummary, Resolution, ReviewItem

router = APIRouter(prefix="/v1", tags=["messages"])
MAX_ID = 2**31 - 1  # the largest id every database accepts
MessageKey = Path(ge=1, le=MAX_ID, description="the message's id in smista")


def _one_line(value: str) -> str:
    return " ".join("".join(c if c.isprintable() else " " for c in value).split())


def _header(name: str, value: str) -> bytes:
    """One header line, RFC 2047-encoded and folded when it is not short ASCII."""
    if value.isascii() and len(value) < 900:
        return f"{name}: {value}\r\n".encode("ascii")
    folded = Header(value, "utf-8", header_name=name).encode(linesep="\r\n")
    return f"{name}: {folded}\r\n".encode("ascii")


def _as_eml(data: MessageIn) -> bytes:
    """A form submission as an RFC 5322 message, so it follows the same pipeline as mail.

    Written directly rather than through ``EmailMessage``, whose header registry cost 2.7 ms
    of each submission (more than classifying it) on the event loop."""
    sender = _one_line(data.sender)
    found = [pair for pair in getaddresses([sender]) if "@" in pair[1]]  # "Rossi, Mario <m@e.it>" is one address
    name, address = found[-1] if found else parseaddr(sender)
    if found and "<" in sender:
        name = sender[: sender.rfind("<")].strip().strip('"')
    lines = []
    if address.count("@") == 1 and " " not in address:
        if address.isascii():
            lines.append(_header("From", formataddr((name, address), charset="utf-8")))
        else:  # an internationalised address stays UTF-8 (RFC 6532), as SMTPUTF8 mail carries it
            shown = f'"{quote(name)}" <{address}>' if name else address
            lines.append(f"From: {shown}\r\n".encode("utf-8"))
    else:  # not an address: keep it as text
        lines.append(b"From: web-form@smista.invalid\r\n")
        if sender:
            lines.append(_header("X-Smista-Sender", sender[:500]))
    lines += [_header("Subject", _one_line(data.subject)), _header("Date", format_datetime(utcnow())),
              f"Message-ID: <{uuid.uuid4().hex}@smista.invalid>\r\n".encode("ascii"), b"X-Smista-Channel: web\r\n",
              b"MIME-Version: 1.0\r\n", b'Content-Type: text/plain; charset="utf-8"\r\n']
    body = data.body.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    if all(len(line) <= 998 for line in body.split(b"\n")):
        lines += [b"Content-Transfer-Encoding: 8bit\r\n", b"\r\n", body.replace(b"\n", b"\r\n")]
    else:  # lines too long for RFC 5322
        lines += [b"Content-Transfer-Encoding: base64\r\n", b"\r\n", base64.encodebytes(body).replace(b"\n", b"\r\n")]
    return b"".join(lines)


@router.post("/messages", response_model=Submitted, status_code=202,
             responses={201: {"model": Submitted, "description": "stored and classified (``wait=true``)"},
                        503: {"description": "too many submissions waiting to be classified: retry after Retry-After"}})
async def submit(data: MessageIn, services: Services, _: Writer, response: Response,
                 wait: bool = Query(False, description="answer once classified (201) rather than once stored (202)")) -> Submitted:
    """The same pipeline as mailbox messages: stored first, in group commits with the submissions
    that arrive at the same time, then classified in batches behind them (``triage/intake.py``).

    The answer comes once the bytes are committed: 202 with the message's id and ``Location``,
    where ``GET /v1/messages/{id}`` shows the classification a moment later. With ``wait=true``
    it comes once the message is classified too (201, its final status), or after
    ``SMISTA_API_CLASSIFY_TIMEOUT`` seconds with 202 and ``stored``: the message is safe either way."""
    assert services.intake is not None
    try:
        receipt = services.intake.submit(_as_eml(data), uuid.uuid4().hex)
    except Busy as exc:
        raise HTTPException(503, str(exc), headers={"Retry-After": str(exc.retry_after)}) from exc
    outcome = await asyncio.wrap_future(receipt.stored)
    response.headers["Location"] = f"/v1/messages/{outcome.pk}"
    if wait:
        try:
            outcome = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(receipt.classified)),
                                             services.settings.api_classify_timeout)
            response.status_code = 201
        except asyncio.TimeoutError:
            pass
    return Submitted(id=outcome.pk, status=outcome.status)


@router.get("/messages", response_model=list[MessageSummary])
def listing(sessions: Sessions, _: Reader, status: list[MessageStatus] = Query(None, description="e.g. failed, quarantined"),
            after: int = Query(0, ge=0, le=MAX_ID), limit: int = Query(100, ge=1, le=1000)) -> list[MessageSummary]:
    """Messages by id, after the id ``after``; ``status`` lists the failed or quarantined ones for an operator."""
    return queries.messages(sessions, [str(s) for s in status or []], after, limit)


@router.get("/messages/{pk}", response_model=MessageDetail)
def read(sessions: Sessions, _: Reader, pk: int = MessageKey) -> MessageDetail:
    detail = queries.message_detail(sessions, pk)
    if detail is None:
        raise HTTPException(404, f"no message {pk}")
    return detail


@router.get("/messages/{pk}/raw", response_class=Response)
def raw(sessions: Sessions, _: Reader, pk: int = MessageKey) -> Response:
    data = queries.raw_bytes(sessions, pk)
    if data is None:
        raise HTTPException(404, f"no message {pk}")
    return Response(data, media_type="message/rfc822", headers={"Content-Disposition": f'attachment; filename="{pk}.eml"'})


@router.patch("/messages/{pk}/label", response_model=LabelChange)
def correct(label: LabelIn, sessions: Sessions, who: Writer, pk: int = MessageKey) -> LabelChange:
    """An operator's correction; the previous labels are kept and the next training run can use it."""
    try:
        return corrections.correct(sessions, pk, who, type=label.type, urgency=label.urgency)
    except corrections.NoMessage as exc:
        raise HTTPException(404, str(exc)) from exc
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc


@router.post("/messages/{pk}/resolution", response_model=Resolution)
def resolve(who: Writer, sessions: Sessions, body: ResolutionIn | None = None, pk: int = MessageKey) -> Resolution:
    """The ticketing system closed the request: it counts as resolved from ``resolved_at`` in the
    reports' service levels and backlog, and the key's name is recorded as who resolved it."""
    try:
        return resolutions.resolve(sessions, pk, who, body.resolved_at if body else None)
    except resolutions.NoMessage as exc:
        raise HTTPException(404, str(exc)) from exc
    except resolutions.BadResolution as exc:
        raise HTTPException(422, str(exc)) from exc


@router.delete("/messages/{pk}/resolution", response_model=Resolution)
def reopen(_: Writer, sessions: Sessions, pk: int = MessageKey) -> Resolution:
    """The request is open again (reopened in the ticketing system)."""
    try:
        return resolutions.reopen(sessions, pk)
    except resolutions.NoMessage as exc:
        raise HTTPException(404, str(exc)) from exc


@router.get("/review", response_model=list[ReviewItem])
def review(sessions: Sessions, _: Reader, limit: int = Query(50, ge=1, le=500)) -> list[ReviewItem]:
    """Messages whose latest classification needs a human and has no correction yet, least confident first."""
    return queries.review_queue(sessions, limit)
