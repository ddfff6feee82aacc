"""A real HTTP receiver for the routing API on loopback, whose misbehaviour a test scripts:
answer 500, hang, close the connection, answer 400, or be down for a while."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.servers.jsonhttp import reply_json


@dataclass
class Received:
    path: str
    key: str
    body: bytes
    signature_ok: bool


@dataclass
class Receiver:
    secret: bytes
    behaviour: Callable[[str, dict, int], str] = lambda path, payload, attempt: "ok"
    received: list[Received] = field(default_factory=list)
    attempts: dict[str, int] = field(default_factory=dict)
    port: int = 0
    sockets: set = field(default_factory=set)

    def start(self) -> Receiver:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                owner.sockets.add(self.connection)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                key = self.headers.get("Idempotency-Key", "")
                attempt = owner.attempts[key] = owner.attempts.get(key, 0) + 1
                expected = "sha256=" + hmac.new(owner.secret, body, hashlib.sha256).hexdigest()
                action = owner.behaviour(self.path, json.loads(body), attempt)
                if action == "close":
                    self.close_connection = True
                    self.connection.close()
                    return
                if action == "hang":
                    time.sleep(2.0)
                owner.received.append(Received(self.path, key, body, hmac.compare_digest(expected, self.headers.get("X-Smista-Signature", ""))))
                status = {"ok": 200, "hang": 200, "500": 500, "400": 400, "429": 429}[action]
                reply_json(self, status, {"ok": True} if status == 200 else {"error": "scripted"})

            def log_message(self, *args) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.http.daemon_threads = True
        self.port = self.http.server_port
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Down for real: no new connections, and the kept-alive ones are cut."""
        self.http.shutdown()
        self.http.server_close()
        for sock in list(self.sockets):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def delivered_keys(self, path: str) -> set[str]:
        return {r.key for r in self.received if r.path == path}
