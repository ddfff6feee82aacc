"""HTTP API latency and throughput, with a bare FastAPI endpoint as the baseline in the same run,
and outbox dispatch rate to a local receiver.

    python bench/api.py [--workers 2] [--requests 1500]

``POST /v1/classify`` is measured against ``smista serve`` (uvicorn, demo mode) at concurrency
1, 16 and 64; the baseline is the same request against a FastAPI endpoint returning a constant.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from _shared import PROJECT, load_corpus
from tests.servers.dovecot import free_port
from tests.servers.receiver import Receiver
from triage.service import http_client

SMISTA = shutil.which("smista", path=str(Path(sys.executable).parent)) or "smista"


def wait_up(url: str, timeout: float = 90) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


def load(url: str, bodies: list[dict], concurrency: int) -> tuple[float, float, float]:
    """``concurrency`` threads, each with its own keep-alive connection, send ``bodies``."""
    latencies: list[float] = []
    chunks = [bodies[i::concurrency] for i in range(concurrency)]

    def worker(chunk: list[dict]) -> None:
        with http_client(30) as client:
            for body in chunk:
                started = time.perf_counter()
                client.post(url, json=body).raise_for_status()
                latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(worker, chunks))
    elapsed = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100)
    return q[49], q[98], len(bodies) / elapsed


def dispatch_rate(n: int) -> float:
    from triage.outbox import Dispatcher
    from triage.store import OutboxItem, StoredMessage, open_store
    tmp = Path(tempfile.mkdtemp())
    store = open_store(f"sqlite:///{tmp / 'bench.db'}")
    with store.begin() as s:
        message = StoredMessage(message_id="<bench@x>", sha256="0" * 64, raw=b"x", size=1)
        s.add(message)
        s.flush()
        s.add_all([OutboxItem(message_pk=message.id, target="routing", idempotency_key=str(i), payload={"id": i, "type": "status"})
                   for i in range(n)])
    receiver = Receiver(b"k").start()
    dispatcher = Dispatcher(store, http_client(5), {"routing": f"{receiver.url}/route"}, b"k")
    started = time.perf_counter()
    dispatcher.drain(timeout=300)
    elapsed = time.perf_counter() - started
    receiver.stop()
    shutil.rmtree(tmp, ignore_errors=True)
    assert len(receiver.delivered_keys("/route")) == n
    return n / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=1500)
    args = parser.parse_args()
    train, gold = load_corpus()
    pool = [{"subject": r["subject"], "body": r["body"], "sender": r["from"]} for r in gold + train[:2000]]
    tmp = Path(tempfile.mkdtemp())
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMISTA_")}
    env.update(SMISTA_DATABASE_URL=f"sqlite:///{tmp / 'api.db'}", SMISTA_API_DEMO_MODE="true",
               SMISTA_MODELS_DIR=str(PROJECT / "models"))
    ports = {"smista": free_port(), "bare FastAPI constant": free_port()}
    procs = {
        "smista": subprocess.Popen([sys.executable, "-m", "uvicorn", "api.asgi:app", "--port", str(ports["smista"]),
                                    "--workers", str(args.workers), "--log-level", "warning"], env=env, cwd=PROJECT),
        "bare FastAPI constant": subprocess.Popen([sys.executable, "-m", "uvicorn", "_bare_app:app", "--app-dir", str(PROJECT / "bench"),
                                                   "--port", str(ports["bare FastAPI constant"]), "--workers", str(args.workers),
                                                   "--log-level", "warning"], env=env, cwd=PROJECT),
    }
    try:
        wait_up(f"http://127.0.0.1:{ports['smista']}/health")
        wait_up(f"http://127.0.0.1:{ports['bare FastAPI constant']}/docs")
        print(f"POST /v1/classify, {args.workers} uvicorn workers, {args.requests} requests per level (300 at concurrency 1)")
        print(f"{'server':24}{'concurrency':>12}{'p50 ms':>9}{'p99 ms':>9}{'req/s':>9}")
        for name, port in ports.items():
            url = f"http://127.0.0.1:{port}/v1/classify"
            load(url, pool[:100], 8)  # warm-up
            for concurrency in (1, 16, 64):
                n = 300 if concurrency == 1 else args.requests
                p50, p99, rate = load(url, (pool * 10)[:n], concurrency)
                print(f"{name:24}{concurrency:>12}{p50:9.1f}{p99:9.1f}{rate:9.0f}")
    finally:
        for proc in procs.values():
            proc.terminate()
            proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"outbox dispatch to a local receiver: {dispatch_rate(2000):.0f} messages/s")


if __name__ == "__main__":
    main()
