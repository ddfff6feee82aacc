"""XOAUTH2 tokens against a real HTTP token endpoint on loopback."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest

from inbox.oauth2 import TokenError, TokenSource
from tests.servers.jsonhttp import reply_json


@pytest.fixture
def endpoint():
    calls: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode()).items()}
            calls.append(form)
            if form.get("refresh_token") == "revoked":
                status, body = 400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
            else:
                status, body = 200, {"access_token": f"access-{len(calls)}", "expires_in": 3600, "refresh_token": "rotated"}
            reply_json(self, status, body)

        def log_message(self, *args) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/token", calls
    server.shutdown()


def test_token_is_cached_and_renewed_before_expiry(endpoint):
    url, calls = endpoint
    source = TokenSource(url, "client", "refresh-1", client_secret="s")
    assert source.token() == "access-1" and source.token() == "access-1" and len(calls) == 1
    assert calls[0]["grant_type"] == "refresh_token" and calls[0]["refresh_token"] == "refresh-1"
    source._expires_at = time.time() + 60  # inside the renewal margin
    assert source.token() == "access-2" and calls[1]["refresh_token"] == "rotated"


def test_revoked_token_is_reported_clearly(endpoint):
    url, _ = endpoint
    with pytest.raises(TokenError, match="expired or revoked"):
        TokenSource(url, "client", "revoked").token()


def test_unreachable_endpoint():
    with pytest.raises(TokenError, match="unreachable"):
        TokenSource("http://127.0.0.1:1/token", "c", "r").token()
