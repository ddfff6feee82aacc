"""HTTP API latency and throughput, with a bare FastAPI endpoint as the baseline in the same run,
and outbox dispatch rate to a local receiver.

    python bench/api.py [--workers 2] [--seconds 10]

``POST /v1/classify`` is measured against ``smista serve --workers N`` (demo mode) at concurrency
1, 16 and 64; the baseline is the same request against a FastAPI endpoint returning a constant.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from _shared import PROJECT, load_corpus
from tests.servers import postgres as pg
from tests.servers.dovecot import free_port
from triage.db import open_store
from triage.service import http_client

WRK = shutil.which("wrk")
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


def load_python(url: str, bodies: list[dict], concurrency: int, seconds: float) -> tuple[float, float, float]:
    """The fallback load generator: ``concurrency`` threads, each on its own keep-alive connection.
    It shares the two cores with the server and the GIL, so it understates the server."""
    latencies: list[float] = []
    chunks = [bodies[i::concurrency] for i in range(concurrency)]
    deadline = time.perf_counter() + seconds

    def worker(chunk: list[dict]) -> None:
        with http_client(30) as client:
            for body in itertools.cycle(chunk):
                if time.perf_counter() > deadline:
                    return
                started = time.perf_counter()
                client.post(url, json=body).raise_for_status()
                latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(worker, chunks))
    elapsed = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100)
    return q[49], q[98], len(latencies) / elapsed


def load_wrk(url: str, bodies_file: Path, concurrency: int, seconds: float) -> tuple[float, float, float]:
    """wrk, a C load generator: closed loop, ``concurrency`` keep-alive connections."""
    threads = min(concurrency, 2)
    out = subprocess.run([WRK, f"-t{threads}", f"-c{concurrency}", f"-d{seconds:.0f}s", "--timeout", "10s",
                          "-s", str(Path(__file__).with_name("wrk_bodies.lua")), url, "--", str(bodies_file)],
                         capture_output=True, text=True, check=True).stdout
    figures = json.loads(next(line for line in out.splitlines() if line.startswith("WRK "))[4:])
    if figures["errors"]:
        raise SystemExit(f"{figures['errors']} failed requests against {url}:\n{out}")
    return figures["p50_us"] / 1000, figures["p99_us"] / 1000, figures["requests"] / (figures["duration_us"] / 1e6)


def dispatch_rate(n: int) -> float:
    """Deliver ``n`` outbox items to the tests' receiver, run in a process of its own."""
    from triage.outbox import Dispatcher
    from triage.db import open_store
    from triage.models import OutboxItem, StoredMessage
    tmp = Path(tempfile.mkdtemp())
    store = open_store(f"sqlite:///{tmp / 'bench.db'}")
    with store.begin() as s:
        message = StoredMessage(message_id_header="<bench@x>", sha256="0" * 64, raw=b"x", size=1)
        s.add(message)
        s.flush()
        s.add_all([OutboxItem(message_pk=message.id, target="routing", idempotency_key=str(i), payload={"id": i, "type": "status"})
                   for i in range(n)])
    receiver = subprocess.Popen([sys.executable, str(Path(__file__).with_name("_receiver.py")), "k"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    port = int(receiver.stdout.readline())
    dispatcher = Dispatcher(store, http_client(5), {"routing": f"http://127.0.0.1:{port}/route"}, b"k")
    started = time.perf_counter()
    dispatcher.drain(timeout=300)
    elapsed = time.perf_counter() - started
    delivered, _ = receiver.communicate("")
    shutil.rmtree(tmp, ignore_errors=True)
    assert int(delivered) == n, f"the receiver got {delivered.strip()} of {n}"
    return n / elapsed


HEAVY = {"subject": "Segnalazione", "body": ("Il lampione di via Roma 12 è spento da tre giorni, passate. " * 3000)[:199_000]}


def health_beside_heavy(base: str, seconds: float) -> tuple[float, float, int]:
    """/health latency (p50, p99 ms) while worst-case classifications (a 199,000-character body)
    run back to back beside it; and how many of those ran."""
    stop = time.perf_counter() + seconds
    heavy_done = [0]

    def heavy() -> None:
        with http_client(60) as client:
            while time.perf_counter() < stop:
                client.post(f"{base}/v1/classify", json=HEAVY).raise_for_status()
                heavy_done[0] += 1

    latencies: list[float] = []
    with ThreadPoolExecutor(2) as pool:
        pool.submit(heavy)
        with http_client(10) as client:
            time.sleep(0.2)
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                client.get(f"{base}/health").raise_for_status()
                latencies.append((time.perf_counter() - t0) * 1000)
                time.sleep(0.01)
    q = statistics.quantiles(latencies, n=100)
    return q[49], q[98], heavy_done[0]


class Submissions:
    """The submissions of one store, to tell when the classifier has caught up with them."""

    def __init__(self, url: str) -> None:
        from triage import queries
        self.db, self.queries, self.classified = open_store(url), queries, 0

    def drained(self, since: float | None = None, timeout: float = 300) -> tuple[int, float]:
        """Wait until none is left unclassified: how many were classified since the last call and
        the seconds from ``since`` to the last of them."""
        deadline = time.perf_counter() + timeout
        while self.queries.message_statuses(self.db, statuses=["stored"]) and time.perf_counter() < deadline:
            time.sleep(0.05)
        elapsed = time.perf_counter() - (since or time.perf_counter())
        total = len(self.queries.message_statuses(self.db, statuses=["classified"]))
        count, self.classified = total - self.classified, total
        return count, elapsed


def serve_smista(env: dict[str, str], workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    proc = subprocess.Popen([SMISTA, "serve", "--workers", str(workers), "--no-access-log", "--port", str(port)],
                            env=env, cwd=PROJECT, stderr=subprocess.DEVNULL)
    wait_up(f"http://127.0.0.1:{port}/health")
    return proc, port


def load(url: str, bodies: list[dict], bodies_file: Path, concurrency: int, seconds: float) -> tuple[float, float, float]:
    return load_wrk(url, bodies_file, concurrency, seconds) if WRK else load_python(url, bodies, concurrency, seconds)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10, help="per server and concurrency level")
    args = parser.parse_args()
    train, gold = load_corpus()
    pool = [{"subject": r["subject"], "body": r["body"], "sender": r["from"]} for r in gold + train[:2000]]
    tmp = Path(tempfile.mkdtemp())
    bodies_file = tmp / "bodies.jsonl"
    bodies_file.write_text("".join(json.dumps(b, ensure_ascii=False) + "\n" for b in pool), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMISTA_")}
    env.update(SMISTA_DATABASE_URL=f"sqlite:///{tmp / 'api.db'}", SMISTA_API_DEMO_MODE="true",
               SMISTA_MODELS_DIR=str(PROJECT / "models"))
    bare_port = free_port()
    bare = subprocess.Popen([sys.executable, str(PROJECT / "bench" / "_bare_app.py"), str(bare_port), str(args.workers)],
                            env=env, cwd=PROJECT, stderr=subprocess.DEVNULL)
    smista, port = serve_smista(env, args.workers)
    procs = [bare, smista]
    postgres = None
    try:
        wait_up(f"http://127.0.0.1:{bare_port}/docs")
        generator = "wrk" if WRK else "Python threads (install wrk for figures that do not compete for the GIL)"
        print(f"{args.workers} uvicorn workers (asyncio, httptools without Nagle, no access log), {args.seconds:.0f} s per "
              f"level, load from {generator}")
        print(f"{'request':44}{'concurrency':>12}{'p50 ms':>9}{'p99 ms':>9}{'req/s':>9}")
        for name, p in (("POST /v1/classify, smista", port), ("POST /v1/classify, bare FastAPI constant", bare_port)):
            url = f"http://127.0.0.1:{p}/v1/classify"
            load_python(url, pool[:200], 4, 2)  # warm-up: every worker has loaded its model
            for concurrency in (1, 16, 64):
                p50, p99, rate = load(url, pool, bodies_file, concurrency, args.seconds)
                print(f"{name:44}{concurrency:>12}{p50:9.1f}{p99:9.1f}{rate:9.0f}")
        stores = {"SQLite": smista}
        if pg.available():
            root = Path(tempfile.mkdtemp(prefix="smista-pg-"))
            root.chmod(0o755)
            postgres = pg.new(root)
            pg_env = {**env, "SMISTA_DATABASE_URL": postgres.start()}
            stores["PostgreSQL"] = None
        for store in stores:
            if store == "PostgreSQL":
                proc, port = serve_smista(pg_env, args.workers)
                procs.append(proc)
            submitted = Submissions(pg_env["SMISTA_DATABASE_URL"] if store == "PostgreSQL" else env["SMISTA_DATABASE_URL"])
            url = f"http://127.0.0.1:{port}/v1/messages"
            load_python(url, pool[:50], 4, 1)
            submitted.drained()
            started = time.perf_counter()
            p50, p99, rate = load(url, pool, bodies_file, 16, args.seconds)
            print(f"{'POST /v1/messages (202 once stored), ' + store:44}{16:>12}{p50:9.1f}{p99:9.1f}{rate:9.0f}")
            count, seconds = submitted.drained(since=started)
            print(f"{'  ...all classified, from the first request':44}{'':>12}{'':>9}{'':>9}{count / seconds:9.0f}"
                  f"   ({count} in {seconds:.1f} s)")
            p50, p99, rate = load(url + "?wait=true", pool, bodies_file, 16, args.seconds)
            print(f"{'POST /v1/messages?wait=true (201 classified)':44}{16:>12}{p50:9.1f}{p99:9.1f}{rate:9.0f}")
            submitted.drained()
        p50, p99, heavy = health_beside_heavy(f"http://127.0.0.1:{port}", args.seconds)
        print(f"{'GET /health beside a worst-case classify':44}{1:>12}{p50:9.1f}{p99:9.1f}   ({heavy} heavy requests ran)")
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"outbox dispatch to a local receiver: {dispatch_rate(2000):.0f} messages/s")


if __name__ == "__main__":
    main()
