"""The report's figures equal direct counts over the rows the test wrote (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from reports import italian as it
from reports.model import bucket
from tests.triage.report_rows import in_period

MARCH = (date(2026, 3, 1), date(2026, 4, 1))


def test_counts_per_dimension_equal_a_count_in_python(march):
    report, truths = march
    rows = in_period(truths, *MARCH)
    assert report.total == len(rows) > 100
    for dimension, value in (("type", lambda t: t.final[0] if t.final else None),
                             ("urgency", lambda t: t.final[1] if t.final else None),
                             ("channel", lambda t: t.channel), ("mailbox", lambda t: t.mailbox),
                             ("domain", lambda t: t.domain)):
        assert report.by(dimension) == dict(Counter(value(t) for t in rows)), dimension
    assert set(report.by("channel")) == {"email", "pec", "portal"}


def test_trends_per_day_week_and_month(march):
    report, truths = march
    rows = in_period(truths, *MARCH)
    for grain in ("day", "week", "month"):
        got = {(k, v): n for k, values in report.trend("type", grain).items() for v, n in values.items()}
        want = Counter((bucket(t.local.date(), grain), t.final[0] if t.final else None) for t in rows)
        assert got == dict(want), grain
    weeks = list(report.trend("channel", "week"))
    assert weeks[0] == date(2026, 2, 23) and all(w.weekday() == 0 for w in weeks)  # 1 March 2026 is a Sunday
    assert list(report.trend("urgency", "month")) == [date(2026, 3, 1)]
    assert len(report.trend("mailbox", "day")) == 31


def test_kpis_and_tables_carry_the_same_figures(march):
    report, truths = march
    rows = in_period(truths, *MARCH)
    kpis = dict(report.kpis())
    assert kpis["Comunicazioni gestite"] == len(rows)
    assert kpis["di cui PEC"] == sum(t.channel == "pec" for t in rows)
    assert kpis["Emergenze"] == sum(bool(t.final) and t.final[1] == "emergency" for t in rows)
    classified = [t for t in rows if t.model]
    assert kpis["Inviate a revisione (%)"] == round(100 * sum(t.model[2] for t in classified) / len(classified), 1)
    tables = {t.name: t for t in report.tables()}
    assert {r[0]: r[1] for r in tables["per_canale"].rows} == {it.label("channel", k): n for k, n in report.by("channel").items()}
    heat = tables["orari"].rows
    assert [r[0] for r in heat] == list(it.WEEKDAYS)
    assert sum(sum(r[1:]) for r in heat) == len(rows)  # type: ignore[arg-type]
    assert Counter({(d, h): n for d, r in enumerate(heat) for h, n in enumerate(r[1:]) if n}) == Counter(
        (t.local.weekday(), t.local.hour) for t in rows)
    backlog = tables["arretrato"].rows
    assert [r[0] for r in backlog] == [date(2026, 3, 1) + timedelta(days=i) for i in range(31)]
    trend = tables["andamento"].rows
    assert sum(r[4] for r in trend if r[0] == "mese" and r[2] == "canale") == len(rows)  # type: ignore[misc]


def test_service_levels_table(march):
    report, truths = march
    rows = [t for t in in_period(truths, *MARCH) if t.routing]
    sla = {t.name: t for t in report.tables()}["livelli_servizio"]
    assert sum(r[6] for r in sla.rows) == len(rows) > 0  # type: ignore[misc]
    met = sum(1 for t in rows if t.resolved_at is not None and t.resolved_at <= t.routing[1])
    assert sum(r[2] for r in sla.rows) == met  # type: ignore[misc]
