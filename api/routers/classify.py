"""POST /v1/classify: classify without storing."""

from __future__ import annotations

import logging
from dataclasses import replace

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from api.deps import Model, Reader
from api.schemas import ClassifyIn
from classifier.bundle import ModelLoadError
from classifier.features import Message
from classifier.labels import TYPES
from classifier.model import Result
from inbox.incoming import read
from inbox.mime import ParseError
from inbox.pec import UnknownReceipt

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1", tags=["classify"])


@router.post("/classify", response_model=Result)
async def classify(request: Request, model: Model, _: Reader) -> JSONResponse:
    """A JSON body (subject, body, sender, optional thread) or a multipart upload of one .eml file
    in the field ``file`` (with an optional field ``thread``).

    The model is CPU-bound and runs on the event loop: a thread would only add hops under the GIL.
    The reply is built from the classifier's own dict, so FastAPI does not validate it again."""
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise HTTPException(422, "expected an .eml file in the multipart field 'file'")
        thread = form.get("thread") or None
        if thread is not None and thread not in TYPES:
            raise HTTPException(422, f"unknown thread type {str(thread)[:40]!r}; expected one of {', '.join(TYPES)}")
        try:
            message = replace(read(await upload.read()).request, thread=thread)
        except (ParseError, UnknownReceipt) as exc:
            raise HTTPException(422, f"cannot read the uploaded message: {str(exc)[:300]}") from exc
    else:
        try:
            data = ClassifyIn.model_validate_json(await request.body())
        except ValueError as exc:
            raise HTTPException(422, f"invalid JSON body: {exc}") from exc
        message = Message(data.subject, data.body, data.sender, thread=data.thread)
    try:
        result = model.classify_one(message)
    except ModelLoadError:
        raise
    except Exception as exc:  # noqa: BLE001 - one unreadable message is this request's failure, not the server's
        log.exception("classification failed")
        raise HTTPException(422, f"cannot classify this message: {type(exc).__name__}: {str(exc)[:300]}") from exc
    request.app.state.metrics.observe(result.type, result.urgency)
    return JSONResponse(result.to_dict())
