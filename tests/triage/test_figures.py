"""The report's figures summed from the daily rollup equal the direct queries over the messages,
on SQLite and PostgreSQL: over periods across the daylight-saving change, for "as of" inside an
hour and on one, and again after every kind of change the triggers must catch (a correction,
a resolution and a reopening, a late message, a routing, an on-call delivery), recomputing only
the days those touched."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

from tests.triage.report_rows import DOMAINS, ROME, fill
from triage import corrections, resolutions, rollups
from triage import statistics as st
from triage.db import open_store
from triage.figures import Figures, direct, figures
from triage.models import Classification, OutboxItem, Routing, Sighting, StoredMessage
from triage.rollup_models import DirtyArrival, RollupCell

PERIODS = (st.Period(date(2026, 3, 22), date(2026, 4, 5)),  # 29 March: 02:00 becomes 03:00
           st.Period(date(2026, 3, 1), date(2026, 4, 1)), st.Period(date(2026, 3, 29), date(2026, 3, 30)))
INSIDE_AN_HOUR = datetime(2026, 3, 30, 10, 17, 5, tzinfo=ROME)
ON_THE_HOUR = datetime(2026, 3, 30, 10, tzinfo=ROME)


@pytest.fixture
def filled(store_url):
    sessions = open_store(store_url)
    return sessions, fill(sessions)


def _comparable(f: Figures) -> Figures:
    """Rows in one order, means to the microsecond (the rollup sums per day what ``avg`` sums at once)."""
    def delays(d: st.Delays) -> st.Delays:
        return replace(d, mean_seconds=None if d.mean_seconds is None else round(d.mean_seconds, 6))
    return replace(f, volumes=sorted(f.volumes, key=repr), heat=sorted(f.heat, key=repr), sla=sorted(f.sla, key=repr),
                   routing=delays(f.routing), oncall=delays(f.oncall))


def _same(sessions, period: st.Period, as_of: datetime | None = None) -> Figures:
    got, want = figures(sessions, period, DOMAINS, as_of), direct(sessions, period, DOMAINS, as_of)
    assert _comparable(got) == _comparable(want)
    return got


@pytest.mark.parametrize("as_of", [None, INSIDE_AN_HOUR, ON_THE_HOUR])
def test_rolled_up_figures_equal_the_direct_queries(filled, as_of):
    sessions, _ = filled
    for period in PERIODS:
        got = _same(sessions, period, as_of)
        assert got.volumes and got.heat and got.sla and got.routing.count and got.model.classified
    march = _same(sessions, PERIODS[1], as_of)
    assert march.oncall.count and march.oncall.pending + march.oncall.failed and march.pec.receipts and march.pec.anomalies
    assert _same(sessions, PERIODS[0], as_of).backlog[0].open_at_end > 0  # requests open from before the period


def test_the_hour_holding_as_of_is_counted_live(filled):
    sessions, _ = filled
    march = PERIODS[1]
    with sessions() as s:  # an open request of March whose deadline falls at 10:10 on 30 March
        pk = s.scalar(select(Routing.message_pk).join(StoredMessage, StoredMessage.id == Routing.message_pk)
                      .where(StoredMessage.resolved_at.is_(None), StoredMessage.status == "classified",
                             StoredMessage.received_at < datetime(2026, 3, 29, tzinfo=timezone.utc)).limit(1))
    with sessions.begin() as s:
        s.add(Routing(message_pk=pk, classification_pk=s.scalar(select(func.max(Classification.id))
                                                                  .where(Classification.message_pk == pk)),
                      rule="r", destination="z", deadline=datetime(2026, 3, 30, 10, 10, tzinfo=ROME)))
    inside = {r.destination: r for r in _same(sessions, march, INSIDE_AN_HOUR).sla}
    on_the_hour = {r.destination: r for r in _same(sessions, march, ON_THE_HOUR).sla}
    assert (inside["z"].open_overdue, inside["z"].open_in_time) == (1, 0)
    assert (on_the_hour["z"].open_overdue, on_the_hour["z"].open_in_time) == (0, 1)


def test_changes_after_the_rollup_are_rolled_up_again(filled):
    sessions, truths = filled
    rollups.refresh(sessions)
    assert rollups.refresh(sessions) == 0  # nothing changed: nothing recomputed
    classified = [t for t in truths if t.status == "classified" and t.model]
    first, second, third = classified[3], classified[40], next(t for t in classified if t.oncall)
    corrections.correct(sessions, first.pk, "anna", type="complaint", urgency="emergency")
    resolutions.resolve(sessions, second.pk, "ticketing", second.received_at + timedelta(hours=3),
                        now=second.received_at + timedelta(days=1))
    reopened = next(t for t in classified if t.resolved_at)
    resolutions.reopen(sessions, reopened.pk)
    with sessions.begin() as s:
        late = StoredMessage(message_id_header="<late@t>", sha256="late", raw=b"x", size=1, status="classified",
                             received_at=datetime(2026, 3, 25, 9, tzinfo=timezone.utc))
        s.add(late)
        s.flush()
        s.add(Sighting(message_pk=late.id, mailbox="contact", folder="INBOX", uidvalidity=1, uid="late"))
        c = Classification(message_pk=late.id, type="status", type_confidence=0.9, urgency="high", urgency_confidence=0.9,
                           probabilities={}, needs_review=True, explanation={}, entities={}, model_version="t")
        s.add(c)
        s.flush()
        s.add(Routing(message_pk=late.id, classification_pk=c.id, rule="r", destination="a",
                      deadline=datetime(2026, 3, 26, tzinfo=timezone.utc), created_at=datetime(2026, 3, 25, 9, 5, tzinfo=timezone.utc)))
        s.execute(update(OutboxItem).where(OutboxItem.message_pk == third.pk)
                  .values(status="delivered", delivered_at=third.received_at + timedelta(minutes=7)))
    touched = {t.local.date() for t in (first, second, third, reopened)} | {date(2026, 3, 25)}
    recomputed = rollups.refresh(sessions)
    assert len(touched) <= recomputed <= (max(touched) - min(touched)).days + 1  # not every day of the store
    for period in PERIODS:
        _same(sessions, period)
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(DirtyArrival)) == 0


def test_the_first_refresh_builds_every_day(filled):
    sessions, truths = filled
    days = rollups.refresh(sessions)
    first, last = min(t.local.date() for t in truths), max(t.local.date() for t in truths)
    assert days == (last - first).days + 1
    with sessions() as s:
        assert s.scalar(select(func.min(RollupCell.day))) == first.isoformat()
        assert s.scalar(select(func.max(RollupCell.day))) == last.isoformat()
    whole = st.Period(first, last + timedelta(days=1))
    assert sum(v.count for v in figures(sessions, whole).volumes) == sum(t.status != "receipt" for t in truths)


def test_another_zone_is_computed_directly(filled):
    sessions, _ = filled
    london = st.Period(date(2026, 3, 22), date(2026, 4, 5), zone="Europe/London")
    got = figures(sessions, london, DOMAINS)
    as_of = min(london.bounds()[1], datetime.now(timezone.utc))
    assert _comparable(got) == _comparable(direct(sessions, london, DOMAINS, as_of))
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(RollupCell)) == 0  # nothing was rolled up for it

