"""POST /v1/classify: classify without storing."""

from __future__ import annotations

import logging
from dataclasses import replace

import anyio

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from api.deps import Model, Reader
from api.schemas import ClassifyIn
from classifier.bundle import Classifier, ModelLoadError
from classifier.features import Message
from classifier.labels import TYPES
from classifier.model import Result
from inbox.incoming import ReadDocuments, read
from inbox.mime import ParseError
from inbox.pec import UnknownReceipt

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1", tags=["classify"])


def _limiter(request: Request) -> anyio.CapacityLimiter:
    """The app's own pool of classification threads, made on first use (it needs the running loop)."""
    state = request.app.state
    if getattr(state, "classify_limiter", None) is None:
        state.classify_limiter = anyio.CapacityLimiter(state.services.settings.api_classify_threads)
    limiter: anyio.CapacityLimiter = state.classify_limiter
    return limiter


def _from_upload(raw: bytes, thread: str | None, documents: ReadDocuments | None) -> Message:
    try:
        return replace(read(raw, documents=documents).request, thread=thread)
    except (ParseError, UnknownReceipt) as exc:
        raise HTTPException(422, f"cannot read the uploaded message: {str(exc)[:300]}") from exc


def _classify(model: Classifier, message: Message) -> Result:
    try:
        return model.classify_one(message)
    except ModelLoadError:
        raise
    except Exception as exc:  # noqa: BLE001 - one unreadable message is this request's failure, not the server's
        # The message's own words may be in the exception: the type at error level, the rest at debug.
        log.error("classification failed: %s", type(exc).__name__)
        log.debug("classification failure", exc_info=True)
        raise HTTPException(422, f"cannot classify this message: {type(exc).__name__}: {str(exc)[:300]}") from exc


@router.post("/classify", response_model=Result)
async def classify(request: Request, model: Model, _: Reader) -> JSONResponse:
    """A JSON body (subject, body, sender, optional thread) or a multipart upload of one .eml file
    in the field ``file`` (with an optional field ``thread``).

    Parsing an upload and classifying run in a bounded pool of threads, not on the event loop:
    ``/health`` and the other requests are answered while a heavy message is read, and a request
    over ``SMISTA_API_CLASSIFY_TIMEOUT`` gets a 503 rather than a connection that hangs. The reply
    is built from the classifier's own dict, so FastAPI does not validate it again."""
    settings = request.app.state.services.settings
    ctype = request.headers.get("content-type", "")
    upload: tuple[bytes, str | None] | None = None
    if ctype.startswith("multipart/form-data"):
        form = await request.form()
        file = form.get("file")
        if not isinstance(file, UploadFile):
            raise HTTPException(422, "expected an .eml file in the multipart field 'file'")
        thread = form.get("thread") or None
        if thread is not None and thread not in TYPES:
            raise HTTPException(422, f"unknown thread type {str(thread)[:40]!r}; expected one of {', '.join(TYPES)}")
        upload = (await file.read(), str(thread) if thread else None)
    else:
        try:
            data = ClassifyIn.model_validate_json(await request.body())
        except ValueError as exc:
            raise HTTPException(422, f"invalid JSON body: {exc}") from exc
        message = Message(data.subject, data.body, data.sender, thread=data.thread)

    def work() -> Result:
        documents = request.app.state.services.uploads  # letters in attachments are read as at intake
        return _classify(model, _from_upload(*upload, documents) if upload is not None else message)

    try:
        with anyio.fail_after(settings.api_classify_timeout):
            result = await anyio.to_thread.run_sync(work, abandon_on_cancel=True, limiter=_limiter(request))
    except TimeoutError as exc:
        raise HTTPException(503, f"classification took longer than {settings.api_classify_timeout:g} s; "
                                 "try again later or send a shorter message") from exc
    request.app.state.metrics.observe(result.type, result.urgency)
    return JSONResponse(result.to_dict())
