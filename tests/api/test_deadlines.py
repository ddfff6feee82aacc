"""Classification runs off the event loop: other requests are answered while a heavy message is
read, and a classification over its deadline gets a 503, not a connection that hangs."""

from __future__ import annotations

import threading
import time

from tests.api.conftest import Served, serve
from triage import apikeys
from triage.db import open_store
from triage.settings import Settings

# A body near the 200,000-character limit of the served app: the costliest thing one request can ask.
HEAVY = {"subject": "Segnalazione", "body": ("Il lampione di via Roma 12 è spento da tre giorni, passate a vederlo. " * 2800)[:199_000]}


def test_health_answers_while_a_heavy_classification_runs(served: Served):
    done = threading.Event()
    results: list[int] = []

    def heavy() -> None:
        with served.client("read") as c:
            results.append(c.post("/v1/classify", json=HEAVY).status_code)
        done.set()

    with served.client(None) as c:
        c.get("/health")  # connection up before the heavy request starts
        started = time.perf_counter()
        thread = threading.Thread(target=heavy)
        thread.start()
        latencies = []
        while not done.is_set() and time.perf_counter() - started < 60:
            t0 = time.perf_counter()
            assert c.get("/health").status_code == 200
            latencies.append(time.perf_counter() - t0)
        thread.join()
        heavy_seconds = time.perf_counter() - started
    assert results == [200]
    # Answered many times during the heavy request, each far faster than the heavy one took.
    assert len(latencies) >= 3 and max(latencies) < max(0.5, heavy_seconds / 2), (latencies, heavy_seconds)


def test_a_classification_over_its_deadline_gets_503(trained, tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    (models / trained.directory.name).symlink_to(trained.directory)
    settings = Settings(project_dir=tmp_path, models_dir=models, database_url=f"sqlite:///{tmp_path / 'smista.db'}",
                        api_max_body_bytes=400_000, api_classify_timeout=0.001)
    key = apikeys.create(open_store(settings.database), "reader", ["read"])
    server, thread, url = serve(settings)
    try:
        import httpx
        with httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=30) as c:
            r = c.post("/v1/classify", json=HEAVY)
            assert r.status_code == 503 and "longer than" in r.json()["error"]
            assert c.get("/health").status_code == 200
    finally:
        server.should_exit = True
        thread.join(timeout=10)
