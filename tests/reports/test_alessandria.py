"""The Comune di Alessandria's real reports (CC BY 4.0, evaluation only: read from ../shared/data,
never copied) loaded as messages: the report of a month equals a count over the CSV itself."""

from __future__ import annotations

import csv
import os
from collections import Counter
from datetime import date, datetime, time
from pathlib import Path

import pytest

import reports
from triage import alessandria
from triage.db import open_store
from triage.routing import Router
from triage.settings import Settings

PROJECT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("ALESSANDRIA_DIR", PROJECT.parent / "shared" / "data" / "alessandria-segnalazioni"))

pytestmark = pytest.mark.skipif(not (DATA / alessandria.CSV_NAME).exists(), reason=f"{DATA} is absent")


def test_a_month_of_real_reports(store_url):
    sessions = open_store(store_url)
    assert alessandria.load(sessions, DATA, router=Router.load(PROJECT / "routing.toml")) == 4651
    with (DATA / alessandria.CSV_NAME).open(encoding="utf-8") as fh:
        raw = list(csv.DictReader(fh, delimiter=";"))
    report = reports.build(sessions, reports.month_period(2024, 5), Settings(database_url=store_url))
    may = [r for r in raw if r["Creato"].startswith("2024-05")]
    assert report.total == len(may) > 100
    assert report.by("domain") == dict(Counter(alessandria.CATEGORIES[r["Categoria"]][0] for r in may))
    assert report.by("channel") == {"portal": len(may)}
    days = Counter(date.fromisoformat(r["Creato"]) for r in may)
    assert {k: sum(v.values()) for k, v in report.trend("domain", "day").items() if v} == dict(days)
    # weekdays are the data's; a Municipium report of a day is on that day in Rome
    assert sum(report.heat_matrix()[date(2024, 5, 6).weekday()]) == sum(n for d, n in days.items() if d.weekday() == 0)

    end = datetime.combine(date(2024, 6, 1), time(), alessandria.ZONE)
    still_open = sum(1 for r in raw if date.fromisoformat(r["Creato"]) < date(2024, 6, 1)
                     and not (r["Stato"] in alessandria.CLOSED_STATES and r["Chiusa"]
                              and datetime.combine(date.fromisoformat(r["Chiusa"]), time(17, 30), alessandria.ZONE) < end))
    assert report.backlog[-1].open_at_end == still_open
    assert sum(r.total for r in report.sla) == len(may)
    assert {r.destination for r in report.sla} <= {"squadre-manutenzione", "archivio"}
