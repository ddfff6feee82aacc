"""The real app under uvicorn on loopback, in a thread, with its own SQLite store."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import httpx
import pytest
import uvicorn

from api.app import create_app
from triage.service import build
from tests.servers.dovecot import free_port
from triage import apikeys
from triage.settings import Settings
from triage.db import open_store


@dataclass
class Served:
    url: str
    settings: Settings
    keys: dict[str, str]

    def client(self, scope: str | None = "admin") -> httpx.Client:
        headers = {"X-API-Key": self.keys[scope]} if scope else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


def serve(settings: Settings):
    return serve_services(build(settings))


def serve_services(services):
    """The app for ``services`` under a real uvicorn on a free loopback port, in a thread."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(services), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 60
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.fixture
def served(trained, tmp_path) -> Served:
    models = tmp_path / "models"
    models.mkdir()
    (models / trained.directory.name).symlink_to(trained.directory)
    settings = Settings(project_dir=tmp_path, models_dir=models, database_url=f"sqlite:///{tmp_path / 'smista.db'}",
                        api_max_body_bytes=200_000)
    sessions = open_store(settings.database)
    keys = {scope: apikeys.create(sessions, f"{scope}-key", [scope]) for scope in apikeys.SCOPES}
    server, thread, url = serve(settings)
    yield Served(url, settings, keys)
    server.should_exit = True
    thread.join(timeout=10)
