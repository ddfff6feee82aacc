"""XOAUTH2 end to end: a local OAuth2 server issues access tokens from a refresh token, and a
real Dovecot checks them through the same server's introspection endpoint."""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from inbox.config import MailboxSettings, OAuth2Settings
from tests.servers import dovecot as dv
from tests.servers.jsonhttp import reply_json
from tests.triage.helpers import append, mail
from triage.pipeline import Pipeline
from triage.poller import Poller
from triage.db import open_store
from triage.models import Checkpoint


class OAuthServer:
    def __init__(self) -> None:
        self.valid_refresh = {"refresh-good"}
        self.issued: set[str] = set()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode()).items()}
                if self.path == "/token":
                    if form.get("refresh_token") in owner.valid_refresh:
                        token = secrets.token_hex(8)
                        owner.issued.add(token)
                        self.reply(200, {"access_token": token, "expires_in": 3600, "token_type": "Bearer"})
                    else:
                        self.reply(400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."})
                else:  # introspection, called by Dovecot
                    active = form.get("token") in owner.issued
                    self.reply(200, {"active": active, "username": "contact"} if active else {"active": False})

            def reply(self, status: int, body: dict) -> None:
                reply_json(self, status, body)

            def log_message(self, *args) -> None:
                pass

        self.http = HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.http.server_port}"


@pytest.fixture
def oauth_dovecot():
    if not dv.available():
        pytest.skip("dovecot is not installed")
    auth = OAuthServer()
    root = Path(tempfile.mkdtemp(prefix="smista-dovecot-"))
    server = dv.Dovecot(root, dv.free_port(), introspection_url=f"{auth.url}/introspect")
    server.write_config()
    server.start()
    yield server, auth
    server.stop()
    auth.http.shutdown()
    shutil.rmtree(root, ignore_errors=True)


def mailbox(port: int, auth: OAuthServer, env: str) -> MailboxSettings:
    return MailboxSettings(name=f"o365-{env}", url=f"imap://contact@127.0.0.1:{port}/INBOX",
                           oauth2=OAuth2Settings(token_url=f"{auth.url}/token", client_id="smista", refresh_token_env=env))


def test_xoauth2_login_with_refreshed_token_and_a_revoked_one(oauth_dovecot, classifier, tmp_path, monkeypatch):
    server, auth = oauth_dovecot
    append(server.port, [mail(1), mail(2)])
    monkeypatch.setenv("GOOD_REFRESH", "refresh-good")
    monkeypatch.setenv("REVOKED_REFRESH", "refresh-revoked")
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    good, revoked = mailbox(server.port, auth, "GOOD_REFRESH"), mailbox(server.port, auth, "REVOKED_REFRESH")
    reports = Poller([good, revoked], Pipeline(store, classifier), store, attempts=1).run_once()
    assert reports[good.name].stored == 2 and reports[good.name].error is None
    assert reports[revoked.name].error.startswith("OAuth2:") and "expired or revoked" in reports[revoked.name].error
    with store() as s:
        assert s.get(Checkpoint, (revoked.name, "INBOX")).status == "failing"
