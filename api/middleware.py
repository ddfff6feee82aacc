"""Request size limits and latency timing as a plain ASGI middleware.

Starlette's ``@app.middleware("http")`` wraps every request in extra tasks and streams, which
costs more than a classification on this path; a plain ASGI wrapper costs next to nothing.
"""

from __future__ import annotations

import json
import time

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


MAX_HEADER_BYTES = 64 * 1024  # all request headers together; browsers and clients send a few KB
MAX_HEADERS = 100


class LimitsAndTiming:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = scope["headers"]
        if len(headers) > MAX_HEADERS or sum(len(k) + len(v) for k, v in headers) > MAX_HEADER_BYTES:
            return await self._refuse(send, 431, f"request headers over {MAX_HEADERS} fields or {MAX_HEADER_BYTES} bytes")
        declared = dict(headers).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            return await self._refuse(send, 413, f"request body over {self.max_body_bytes} bytes")
        started, status, seen = time.perf_counter(), 500, 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_body_bytes:  # a chunked body with no Content-Length
                raise HTTPException(413, f"request body over {self.max_body_bytes} bytes")
            return message

        async def timed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, limited_receive, timed_send)
        finally:
            metrics = getattr(scope["app"].state, "metrics", None)
            if metrics is not None:
                route = getattr(scope.get("route"), "path", "unmatched")
                metrics.latency.labels(scope["method"], route, str(status)).observe(time.perf_counter() - started)

    @staticmethod
    async def _refuse(send: Send, status: int, error: str) -> None:
        body = json.dumps({"error": error}).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
