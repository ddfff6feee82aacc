"""Every aggregate of triage.statistics equals the same figure counted in Python over the rows
the test wrote, on SQLite and PostgreSQL; a period across the daylight-saving change checks the
local days and hours."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from tests.triage.report_rows import DOMAINS, ROME, fill, in_period
from triage import statistics as st
from triage.db import open_store

PERIOD = st.Period(date(2026, 3, 22), date(2026, 4, 5))  # 29 March: 02:00 becomes 03:00


@pytest.fixture
def filled(store_url):
    sessions = open_store(store_url)
    return sessions, fill(sessions)


def test_the_volume_cube_matches_a_count_in_python(filled):
    sessions, truths = filled
    rows = st.volumes(sessions, PERIOD, DOMAINS)
    got = Counter({(r.day, r.type, r.urgency, r.channel, r.mailbox, r.domain): r.count for r in rows})
    want = Counter((t.local.date(), t.final[0] if t.final else None, t.final[1] if t.final else None, t.channel, t.mailbox,
                    t.domain) for t in in_period(truths, PERIOD.start, PERIOD.end))
    assert got == want
    assert sum(want.values()) > 100 and len({k[0] for k in want}) == 14


def test_local_days_follow_the_zone_across_the_dst_change(filled):
    sessions, truths = filled
    rows = st.volumes(sessions, PERIOD, DOMAINS)
    # a message at 23:30 UTC on 29 March is on 30 March in Rome (UTC+2), one at 23:30 UTC on 28 March on the 29th (+1)
    per_day = Counter()
    for r in rows:
        per_day[r.day] += r.count
    want = Counter(t.local.date() for t in in_period(truths, PERIOD.start, PERIOD.end))
    assert per_day == want
    assert PERIOD.bounds() == (datetime(2026, 3, 22, tzinfo=ROME), datetime(2026, 4, 5, tzinfo=ROME))


def test_heatmap_by_local_weekday_and_hour(filled):
    sessions, truths = filled
    got = {(c.weekday, c.hour): c.count for c in st.heatmap(sessions, PERIOD)}
    want = Counter((t.local.weekday(), t.local.hour) for t in in_period(truths, PERIOD.start, PERIOD.end))
    assert got == dict(want)


def test_service_levels_per_team_and_urgency(filled):
    sessions, truths = filled
    as_of = datetime(2026, 4, 2, 12, tzinfo=ROME)
    got = {(r.destination, r.urgency): (r.met, r.missed, r.open_overdue, r.open_in_time)
           for r in st.service_levels(sessions, PERIOD, as_of=as_of)}
    want: dict = {}
    for t in in_period(truths, PERIOD.start, PERIOD.end):
        if t.routing is None:
            continue
        dest, deadline, _ = t.routing
        row = want.setdefault((dest, t.final[1]), [0, 0, 0, 0])
        if t.resolved_at is not None:
            row[0 if t.resolved_at <= deadline else 1] += 1
        else:
            row[2 if deadline < as_of else 3] += 1
    assert got == {k: tuple(v) for k, v in want.items()}
    assert all(sum(v) for v in got.values()) and sum(v[1] for v in got.values()) > 0


def test_routing_and_oncall_delays(filled):
    sessions, truths = filled
    requests = in_period(truths, PERIOD.start, PERIOD.end)
    routed = [(t.routing[2] - t.received_at).total_seconds() for t in requests if t.routing]
    delays = st.routing_delays(sessions, PERIOD)
    assert delays.count == len(routed) > 0
    assert delays.mean_seconds == pytest.approx(sum(routed) / len(routed), abs=0.01)
    assert delays.max_seconds == pytest.approx(max(routed), abs=0.01)
    assert delays.buckets == _histogram(routed)

    oncall = st.oncall_delays(sessions, PERIOD)
    done = [(at - t.received_at).total_seconds() for t in requests for state, at in t.oncall if state == "delivered"]
    states = Counter(state for t in requests for state, _ in t.oncall)
    assert oncall.count == len(done) > 0
    assert oncall.mean_seconds == pytest.approx(sum(done) / len(done), abs=0.01)
    assert oncall.buckets == _histogram(done)
    assert (oncall.pending, oncall.failed) == (states["pending"], states["dead"])


def _histogram(seconds: list[float]) -> tuple[int, ...]:
    out = [0] * (len(st.DELAY_BUCKETS) + 1)
    for s in seconds:
        out[next((i for i, b in enumerate(st.DELAY_BUCKETS) if s <= b), len(st.DELAY_BUCKETS))] += 1
    return tuple(out)


def test_backlog_per_day(filled):
    sessions, truths = filled
    requests = [t for t in truths if t.status != "receipt"]
    days = st.backlog(sessions, PERIOD)
    assert [d.day for d in days] == PERIOD.days()
    for d in days:
        end = datetime.combine(d.day + timedelta(days=1), datetime.min.time(), ROME)
        start = end - timedelta(days=1)
        open_at_end = sum(1 for t in requests if t.received_at < end and (t.resolved_at is None or t.resolved_at >= end))
        assert (d.arrived, d.resolved, d.open_at_end) == (
            sum(1 for t in requests if start <= t.received_at < end),
            sum(1 for t in requests if t.resolved_at and start <= t.resolved_at < end), open_at_end), d


def test_model_figures_and_confusion(filled):
    sessions, truths = filled
    classified = [t for t in in_period(truths, PERIOD.start, PERIOD.end) if t.model]
    m = st.model_figures(sessions, PERIOD)
    assert m.classified == len(classified) > 0
    assert m.to_review == sum(t.model[2] for t in classified) > 0
    assert m.corrected == sum(t.corrected for t in classified) > 0
    assert m.type_confusion == dict(Counter((t.model[0], t.final[0]) for t in classified))
    assert m.urgency_confusion == dict(Counter((t.model[1], t.final[1]) for t in classified))


def test_pec_figures(filled):
    sessions, truths = filled
    everything = in_period(truths, PERIOD.start, PERIOD.end, requests=False)
    p = st.pec_figures(sessions, PERIOD)
    assert p.receipts == dict(Counter(t.receipt_type or "" for t in everything if t.status == "receipt"))
    assert p.anomalies == sum(t.kind == "pec-anomaly" for t in everything) > 0
    assert p.signed == sum(t.signed for t in everything)
    assert p.signature_failed == sum(t.signed and t.verified is False for t in everything) > 0
    assert p.signature_unchecked == sum(t.signed and t.verified is None for t in everything)


def test_explain_gives_a_plan_for_every_query_a_report_makes(filled):
    sessions, _ = filled
    plans = st.explain(sessions, lambda: (st.volumes(sessions, PERIOD), st.backlog(sessions, PERIOD)))
    assert len(plans) == 1 + 3
    assert all(plan for _, plan in plans)


def test_a_snapshot_of_the_period_gives_every_figure_the_direct_queries_give(filled):
    sessions, _ = filled
    as_of = datetime.fromisoformat("2026-04-06T00:00:00+00:00")
    with st.snapshot(sessions, PERIOD) as facts:
        assert sorted(st.volumes(facts, PERIOD, DOMAINS), key=repr) == sorted(st.volumes(sessions, PERIOD, DOMAINS), key=repr)
        assert sorted(st.heatmap(facts, PERIOD), key=repr) == sorted(st.heatmap(sessions, PERIOD), key=repr)
        assert sorted(st.service_levels(facts, PERIOD, as_of), key=repr) == sorted(st.service_levels(sessions, PERIOD, as_of), key=repr)
        assert st.routing_delays(facts, PERIOD) == st.routing_delays(sessions, PERIOD)
        assert st.oncall_delays(facts, PERIOD) == st.oncall_delays(sessions, PERIOD)
        assert st.backlog(facts, PERIOD) == st.backlog(sessions, PERIOD)
        assert st.model_figures(facts, PERIOD) == st.model_figures(sessions, PERIOD)
        assert st.pec_figures(facts, PERIOD) == st.pec_figures(sessions, PERIOD)
        assert st.volumes(facts, PERIOD, DOMAINS)  # the fill has messages in the period
