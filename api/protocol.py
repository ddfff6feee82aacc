"""uvicorn's HTTP protocol with Nagle's algorithm off on every connection.

A response goes out in two writes (head, then body). With Nagle on, the second waits for the
client's acknowledgement of the first, which the client delays by up to 40 ms. uvloop turns
Nagle off by itself; the standard asyncio loop does too, except on the sockets that uvicorn's
worker processes inherit, so every request took 44 ms with ``--workers 2``.
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class NoDelayHttpToolsProtocol(HttpToolsProtocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
