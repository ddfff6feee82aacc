"""The console's list pages and search at scale, on SQLite and PostgreSQL, in one run.

    python bench/console.py [--n 1000000] [--db sqlite --db postgresql] [--repeats 20]
                            [--pg-url postgresql+psycopg://...] [--store DIR] [--only-report] [--no-plans]
                            [--cold-charts]

Each store is filled in bulk with ``n`` messages (the writers' corpus texts in turn, a year of
arrivals, three mailboxes, a tenth of them PEC, one classification each, a tenth waiting for
review, 1% corrected, routing deliveries delivered, pending and dead) and its search index;
then the console is served by uvicorn on loopback and every list page, a message's page and
search are timed through HTTP as an operator logged in sees it (``repeats`` times each: p50 and
p95, target p95 <= 1 s), and last month's statistical report at ``/console/reports`` and its PDF
download (``report_repeats`` times), once the console has prepared the reports as it does when
it starts (``reports.prepare``: the rollup brought up to date, last month's charts drawn), or
with ``--cold-charts`` every request drawing its charts anew. The query plans of the queue, review and search
statements, and of every query the report makes, are printed with the indexes they use. Without
``--pg-url`` a throwaway PostgreSQL is started when installed. With ``--store DIR`` the stores
(the SQLite file, PostgreSQL's data directory) are kept in DIR and filled only the first time:
a later run with the same ``--n`` reuses them, with the arrival times of their fill.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import event, insert, text

from _shared import PROJECT
from api.app import create_app
from classifier.labels import TYPES, URGENCIES
from tests.servers import postgres as pg
from tests.servers.dovecot import free_port
import reports
from reports import charts
from triage import queue, rollups, search, users
from triage import statistics as st
from triage.db import Sessions, open_store
from triage.models import Classification, Correction, OutboxItem, Routing, Sighting, StoredMessage
from triage.schemas import QueueFilter
from triage.service import build
from triage.settings import Settings

CHUNK = 5000
MAILBOXES = ("contatti", "reclami", "pec")
NOW = datetime.now(timezone.utc)


def texts() -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    for name in ("writers_train.jsonl", "gold.jsonl", "handwritten_train.jsonl"):
        path = PROJECT / "data" / "corpus" / name
        if path.exists():
            found += [json.loads(line) for line in path.open(encoding="utf-8")]
    return found


def _eml(pk: int, record: dict[str, str]) -> bytes:
    return (f"From: {record.get('from') or 'anonimo@example.it'}\r\nSubject: {record['subject']}\r\n"
            f"Message-ID: <bench{pk}@smista.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{record['body']}\r\n").encode()


def rows(n: int, corpus: list[dict[str, str]], seed: int = 7) -> Iterator[dict[str, list[dict[str, Any]]]]:
    """Chunks of rows for every table, ids given, arrival times increasing over a year."""
    rng = random.Random(seed)
    step = timedelta(days=365) / n
    for start in range(1, n + 1, CHUNK):
        out: dict[str, list[dict[str, Any]]] = {k: [] for k in ("messages", "sightings", "classifications", "corrections",
                                                               "routings", "outbox", "search")}
        for pk in range(start, min(n, start + CHUNK - 1) + 1):
            record = corpus[pk % len(corpus)]
            at = NOW - timedelta(days=365) + step * pk
            pec = rng.random() < 0.1
            box = "pec" if pec else MAILBOXES[rng.randrange(2)]
            type_, urgency = rng.choice(TYPES), rng.choices(URGENCIES, weights=(3, 17, 60, 20))[0]
            tc, uc = rng.uniform(0.3, 1.0), rng.uniform(0.3, 1.0)
            review = rng.random() < 0.1
            out["messages"].append({"id": pk, "message_id_header": f"<bench{pk}@smista.test>", "sha256": f"{pk:064x}",
                                    "raw": _eml(pk, record), "size": 300, "received_at": at, "kind": "pec" if pec else "email",
                                    "status": "classified", "subject": record["subject"], "sender": record.get("from"),
                                    "needs_operator": False, "attempts": 1, "updated_at": at})
            out["sightings"].append({"message_pk": pk, "mailbox": box, "folder": "INBOX", "uidvalidity": 1, "uid": str(pk),
                                     "seen_at": at, "acknowledged": True})
            out["classifications"].append({"id": pk, "message_pk": pk, "type": type_, "type_confidence": tc, "urgency": urgency,
                                           "urgency_confidence": uc, "probabilities": {}, "needs_review": review,
                                           "explanation": {"type": [], "urgency": [], "rules": []}, "entities": {},
                                           "model_version": "bench", "created_at": at})
            if rng.random() < 0.01:
                out["corrections"].append({"message_pk": pk, "operator": "anna", "previous_type": type_,
                                           "previous_urgency": urgency, "type": rng.choice(TYPES), "urgency": urgency,
                                           "created_at": at})
            if rng.random() < 0.5:
                out["routings"].append({"message_pk": pk, "classification_pk": pk, "rule": "default", "destination": "back-office",
                                        "deadline": at + timedelta(days=2), "created_at": at})
                status = rng.choices(("delivered", "pending", "dead"), weights=(985, 10, 5))[0]
                out["outbox"].append({"message_pk": pk, "target": "routing", "idempotency_key": str(pk), "payload": {},
                                      "status": status, "attempts": 1, "next_attempt_at": at, "created_at": at,
                                      "last_error": "HTTP 400" if status == "dead" else None})
            out["search"].append({"pk": pk, "subject": record["subject"], "body": record["body"], "sender": record.get("from") or ""})
        yield out


def fill(sessions: Sessions, n: int) -> float:
    started = time.perf_counter()
    corpus = texts()
    tables = {"messages": StoredMessage, "sightings": Sighting, "classifications": Classification, "corrections": Correction,
              "routings": Routing, "outbox": OutboxItem}
    for done, chunk in enumerate(rows(n, corpus)):
        with sessions.begin() as s:
            for name, model in tables.items():
                if chunk[name]:
                    s.execute(insert(model), chunk[name])
            search.insert_documents(s, chunk["search"])
        if done % 20 == 0:
            print(f"  {min(n, (done + 1) * CHUNK):,} messages", flush=True)
    with sessions.begin() as s:
        if s.get_bind().dialect.name == "postgresql":
            for table in ("messages", "classifications"):
                s.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
            s.execute(text("ANALYZE"))
        else:
            s.execute(text("ANALYZE"))
    return time.perf_counter() - started


def serve(settings: Settings) -> tuple[uvicorn.Server, str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(build(settings)), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def logged_in(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60)
    form = client.get("/console/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token
    client.post("/console/login", data={"name": "bench", "password": "bench-password", "csrf": token.group(1)})
    return client


def pages(client: httpx.Client, n: int) -> dict[str, str]:
    """Every list page timed, with the cursors of later pages read from the first ones."""
    listed = {
        "coda": "/console/queue", "coda, meno recenti": "/console/queue?sort=oldest",
        "coda, tipo": "/console/queue?type=complaint", "coda, emergenze": "/console/queue?urgency=emergency",
        "coda, casella": "/console/queue?mailbox=reclami", "coda, PEC": "/console/queue?channel=pec",
        "coda, da revisionare": "/console/queue?review=pending", "coda, revisionati": "/console/queue?review=done",
        "coda, consegna fallita": "/console/queue?routing=dead", "coda, non inoltrati": "/console/queue?routing=none",
        "coda, ultima settimana": f"/console/queue?since={(NOW - timedelta(days=7)).date()}",
        "coda, un giorno di marzo": f"/console/queue?since={(NOW - timedelta(days=250)).date()}&until={(NOW - timedelta(days=250)).date()}",
        "coda, tipo+urgenza+casella": "/console/queue?type=reminder&urgency=high&mailbox=contatti",
        "coda, emergenze PEC da revisionare": "/console/queue?urgency=emergency&channel=pec&review=pending",
        "revisione": "/console/review",
        "cerca, parola comune": "/console/search?q=lampione", "cerca, due parole": "/console/search?q=palo+pericolante",
        "cerca, parola rara": "/console/search?q=ascensore+bloccato", "cerca, mittente": "/console/search?q=libero",
        "recapiti falliti": "/console/deadletters", "messaggio": f"/console/messages/{max(1, n // 2)}",
    }
    for name, first in (("coda, pagina 50", "/console/queue"), ("revisione, pagina 10", "/console/review"),
                        ("cerca, pagina 5", "/console/search?q=lampione")):
        path = first
        for _ in range(int(name.rsplit(" ", 1)[1]) - 1):
            found = re.search(r'rel="next" href="([^"]+)"', client.get(path).text)
            if not found:
                break
            path = found.group(1).replace("&amp;", "&")
        listed[name] = path
    return listed


def report_pages() -> dict[str, str]:
    """Last month's report in the console and its PDF (NOW's month is the fill's last)."""
    month = reports.last_month(NOW.date())
    query = f"from={month.start.isoformat()}&to={month.last.isoformat()}"
    return {"statistiche, mese scorso": f"/console/reports?{query}",
            "statistiche, PDF del mese scorso": f"/console/reports/download/pdf?{query}"}


def time_pages(client: httpx.Client, listed: dict[str, str], repeats: int,
               before: Callable[[], None] = lambda: None) -> dict[str, tuple[float, float]]:
    figures = {}
    for name, path in listed.items():
        seconds = []
        for _ in range(repeats):
            before()
            started = time.perf_counter()
            reply = client.get(path)
            seconds.append(time.perf_counter() - started)
            assert reply.status_code == 200, (path, reply.status_code, reply.text[:300])
        seconds.sort()
        figures[name] = (statistics.median(seconds), seconds[min(len(seconds) - 1, int(0.95 * len(seconds)))])
    return figures


def plans(sessions: Sessions) -> None:
    """The plans of the statements the pages run, with their parameters as run."""
    engine = sessions.kw["bind"]
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        seen.append((statement, parameters))

    cases = {"coda": lambda: queue.page(sessions, QueueFilter()),
             "coda, emergenze PEC da revisionare": lambda: queue.page(sessions, QueueFilter(urgency="emergency", channel="pec",
                                                                                            review="pending")),
             "coda, tipo+urgenza+casella": lambda: queue.page(sessions, QueueFilter(type="reminder", urgency="high",
                                                                                    mailbox="contatti")),
             "revisione": lambda: queue.review(sessions),
             "cerca": lambda: search.search(sessions, "palo pericolante")}
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    for name, run in cases.items():
        seen.clear()
        event.listen(engine, "before_cursor_execute", capture)
        try:
            run()
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        statement, parameters = next((s, p) for s, p in seen if "message_search" in s or "latest_c" in s or "classifications" in s)
        print(f"\n--- plan: {name}")
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql" and name.startswith("coda"):
                for setting in ("jit", "enable_hashjoin", "enable_mergejoin"):  # as queue.walk_the_index does
                    conn.exec_driver_sql(f"SET LOCAL {setting} = off")
            for line in conn.exec_driver_sql(prefix + statement, parameters):
                print("   ", " | ".join(str(v) for v in line))


def report_plans(sessions: Sessions, settings: Settings) -> None:
    """The plans of every query last month's report makes, as ``bench/report.py`` prints them."""
    period = reports.last_month(NOW.date())
    for i, (statement, plan) in enumerate(st.explain(sessions, lambda: reports.build(sessions, period, settings)), start=1):
        print(f"\n--- plan: report query {i}: {' '.join(statement.split())[:140]}...")
        for line in plan:
            print("   ", line)


def filled(sessions: Sessions, n: int, marker: Path) -> None:
    """Fill the store, or find it filled by an earlier run (``marker`` holds that fill's NOW)."""
    global NOW
    if marker.exists():
        NOW = datetime.fromisoformat(marker.read_text().strip())
        print(f"reused, filled at {NOW:%Y-%m-%d %H:%M} UTC")
        return
    print(f"filled in {fill(sessions, n):.0f} s")
    users.create(sessions, "bench", "bench-password", "supervisor")
    marker.write_text(NOW.isoformat())


def run(url: str, n: int, repeats: int, label: str, report_repeats: int = 5, marker: Path | None = None,
        only_report: bool = False, show_plans: bool = True, cold_charts: bool = False) -> None:
    print(f"\n=== {label}: {n:,} messages")
    sessions = open_store(url)
    filled(sessions, n, marker or Path(tempfile.mkdtemp()) / "filled")
    started = time.perf_counter()
    days = rollups.refresh(sessions)  # as the console does when it starts (reports.prepare)
    print(f"report rollup: {days} days rolled up in {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(project_dir=Path(tmp), models_dir=PROJECT / "models", database_url=url)
        server, base = serve(settings)
        client = logged_in(base)
        figures = {} if only_report else time_pages(client, pages(client, n), repeats)
        month = reports.last_month(NOW.date())
        print(f"last month ({month.start:%Y-%m}): "
              f"{sum(v.count for v in st.volumes(sessions, month)):,} messages in its report", flush=True)
        for thread in threading.enumerate():  # the console prepares the reports as it starts: let it finish
            if thread.name == "reports-prepare":
                thread.join()
        figures |= time_pages(client, report_pages(), report_repeats, charts.clear_cache if cold_charts else lambda: None)
        client.close()
        server.should_exit = True
    print(f"\n{'page':<40} {'p50 ms':>8} {'p95 ms':>8}")
    for name, (p50, p95) in figures.items():
        print(f"{name:<40} {p50 * 1000:8.1f} {p95 * 1000:8.1f}{'  over 1 s' if p95 > 1 else ''}")
    worst = max(p95 for _, p95 in figures.values())
    print(f"worst p95 {worst * 1000:.0f} ms (target 1,000 ms): {'met' if worst <= 1 else 'NOT met'}")
    if show_plans:
        plans(sessions)
        report_plans(sessions, settings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--db", action="append", choices=("sqlite", "postgresql"))
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--report-repeats", type=int, default=5, help="of the report page and its PDF")
    parser.add_argument("--pg-url", help="an empty PostgreSQL database (default: a throwaway server)")
    parser.add_argument("--store", type=Path, help="keep the filled stores here and reuse them on the next run")
    parser.add_argument("--only-report", action="store_true", help="time the report and its PDF only")
    parser.add_argument("--no-plans", action="store_true")
    parser.add_argument("--cold-charts", action="store_true",
                        help="forget the drawn charts before each report request: every one draws its seven charts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="smista-bench-console-") as tmp:
        root = args.store.resolve() if args.store else Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        root.chmod(0o755)
        for db in args.db or ["sqlite", "postgresql"]:
            marker = root / f"{db}-{args.n}.filled" if args.store else None
            kwargs = {"marker": marker, "only_report": args.only_report, "show_plans": not args.no_plans,
                      "cold_charts": args.cold_charts}
            if db == "sqlite":
                run(f"sqlite:///{root / f'console-{args.n}.db'}", args.n, args.repeats, "SQLite", args.report_repeats,
                    **kwargs)
            elif args.pg_url:
                run(args.pg_url, args.n, args.repeats, "PostgreSQL", args.report_repeats, **kwargs)
            elif pg.available():
                server = pg.new(root / f"pg-{args.n}")
                try:
                    run(server.start(), args.n, args.repeats, "PostgreSQL", args.report_repeats, **kwargs)
                finally:
                    server.stop()
            else:
                print("PostgreSQL is not installed: skipped")


if __name__ == "__main__":
    main()
