"""Every figure of a report, read from the daily rollup (:mod:`triage.rollups`) and summed here.

One query brings the period's cells (a month: a few thousand rows), two more the backlog's
opening and resolutions, and at most one the open requests whose deadline falls in the hour
of "as of"; a period in a zone the rollup was not built for is computed directly instead
(:func:`triage.statistics.snapshot`). The figures are the same dataclasses the direct queries
give, equal to them (tests/triage/test_figures.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from triage import rollups
from triage import statistics as st
from triage.db import Sessions
from triage.models import Classification, Correction, MessageStatus, OutboxStatus, Routing, StoredMessage, utcnow
from triage.rollup_models import RollupCell


@dataclass(frozen=True)
class Figures:
    volumes: list[st.VolumeRow]
    heat: list[st.HeatCell]
    sla: list[st.SlaRow]
    routing: st.Delays
    oncall: st.Delays
    backlog: list[st.BacklogDay]
    model: st.ModelFigures
    pec: st.PecFigures


def figures(sessions: Sessions, period: st.Period, domains: dict[str, str] | None = None,
            as_of: datetime | None = None) -> Figures:
    """The report's figures for ``period``; ``as_of`` as in :func:`triage.statistics.service_levels`."""
    as_of = as_of or min(period.bounds()[1], utcnow())
    if period.zone != rollups.ZONE:
        return direct(sessions, period, domains, as_of)
    rollups.refresh(sessions)
    with sessions() as s:
        cells: dict[str, list[Any]] = defaultdict(list)
        query = select(RollupCell).where(RollupCell.day >= period.start.isoformat(), RollupCell.day < period.end.isoformat())
        for cell in s.scalars(query):
            cells[cell.figure].append(cell)
        return Figures(volumes=_volumes(cells["volume"], domains or {}), heat=_heat(cells["hour"]),
                       sla=_sla(s, cells["sla"], period, as_of), routing=_delays(cells["delay"], "routing"),
                       oncall=_oncall(cells), backlog=_backlog(s, cells["resolved"], period), model=_model(cells["model"]),
                       pec=_pec(cells))


def direct(sessions: Sessions, period: st.Period, domains: dict[str, str] | None = None,
           as_of: datetime | None = None) -> Figures:
    """The same figures computed from the messages of the period, read once into a snapshot."""
    with st.snapshot(sessions, period) as facts:
        return Figures(volumes=st.volumes(facts, period, domains), heat=st.heatmap(facts, period),
                       sla=st.service_levels(facts, period, as_of), routing=st.routing_delays(facts, period),
                       oncall=st.oncall_delays(facts, period), backlog=st.backlog(facts, period),
                       model=st.model_figures(facts, period), pec=st.pec_figures(facts, period))


def _volumes(cells: list[RollupCell], domains: dict[str, str]) -> list[st.VolumeRow]:
    counts: dict[tuple[Any, ...], int] = defaultdict(int)
    for c in cells:
        domain = c.k5 if c.k5 is not None else domains.get(c.k4) if c.k4 is not None else None
        counts[(c.day, c.k1, c.k2, c.k3, c.k4, domain)] += c.n
    return [st.VolumeRow(date.fromisoformat(d), t, u, str(ch), mb, dm, n) for (d, t, u, ch, mb, dm), n in counts.items()]


def _heat(cells: list[RollupCell]) -> list[st.HeatCell]:
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for c in cells:
        counts[(date.fromisoformat(c.day).weekday(), int(c.k1 or 0))] += c.n
    return [st.HeatCell(wd, h, n) for (wd, h), n in counts.items()]


def _model(cells: list[RollupCell]) -> st.ModelFigures:
    types: dict[tuple[str, str], int] = defaultdict(int)
    urgencies: dict[tuple[str, str], int] = defaultdict(int)
    for c in cells:
        types[(str(c.k1), str(c.k2))] += c.n
        urgencies[(str(c.k3), str(c.k4))] += c.n
    return st.ModelFigures(sum(c.n for c in cells), sum(c.a for c in cells), sum(c.b for c in cells), dict(types),
                           dict(urgencies))


def _sla(s: Session, cells: list[RollupCell], period: st.Period, as_of: datetime) -> list[st.SlaRow]:
    """Met and missed from the rollup; open ones overdue by their deadline's hour against
    ``as_of``'s, and those of that very hour counted live."""
    hour, exact = divmod(as_of.timestamp(), 3600)
    rows: dict[tuple[str, str | None], list[int]] = {}
    for c in cells:
        row = rows.setdefault((str(c.k1), c.k2), [0, 0, 0, 0, 0])  # met, missed, overdue, in time, in as_of's hour
        opened = c.n - c.a - c.b
        row[0] += c.a
        row[1] += c.b
        row[2 if int(c.k3 or 0) < hour else 3 if int(c.k3 or 0) > hour else 4] += opened
    live = _overdue_in_hour(s, period, datetime.fromtimestamp(hour * 3600, timezone.utc), as_of) if exact else {}
    out = []
    for (dest, urgency), (met, missed, overdue, in_time, this_hour) in rows.items():
        late = live.get((dest, urgency), 0)
        out.append(st.SlaRow(dest, urgency, met, missed, overdue + late, in_time + this_hour - late))
    return out


def _overdue_in_hour(s: Session, period: st.Period, start: datetime, as_of: datetime) -> dict[tuple[str, str | None], int]:
    """Open requests of the period whose latest routing's deadline is in [start, as_of), per team and final urgency."""
    m, r, r2 = StoredMessage, aliased(Routing), aliased(Routing)
    lo, hi = period.bounds()
    correction = (select(Correction.urgency).where(Correction.message_pk == m.id).order_by(Correction.id.desc()).limit(1)
                  .correlate(m).scalar_subquery())
    classification = (select(Classification.urgency).where(Classification.message_pk == m.id)
                      .order_by(Classification.id.desc()).limit(1).correlate(m).scalar_subquery())
    inner = (select(r.destination.label("destination"), func.coalesce(correction, classification).label("urgency"))
             .join(m, m.id == r.message_pk)
             .where(r.deadline >= start, r.deadline < as_of, ~select(r2.id).where(r2.message_pk == r.message_pk, r2.id > r.id)
                    .exists(), m.received_at >= lo, m.received_at < hi, m.resolved_at.is_(None),
                    m.status != MessageStatus.RECEIPT)).subquery()
    query = select(inner.c.destination, inner.c.urgency, func.count()).group_by(inner.c.destination, inner.c.urgency)
    return {(dest, urgency): int(n) for dest, urgency, n in s.execute(query)}


def _delays(cells: list[RollupCell], measure: str) -> st.Delays:
    mine = [c for c in cells if c.k1 == measure]
    count = sum(c.n for c in mine)
    buckets = [0] * (len(st.DELAY_BUCKETS) + 1)
    for c in mine:
        buckets[int(c.k2 or 0)] += c.n
    tops = [c.top for c in mine if c.top is not None]
    return st.Delays(count, sum(c.total or 0.0 for c in mine) / count if count else None, max(tops) if tops else None,
                     tuple(buckets))


def _oncall(cells: dict[str, list[RollupCell]]) -> st.Delays:
    d = _delays(cells["delay"], "oncall")
    states: dict[str | None, int] = defaultdict(int)
    for c in cells["oncall"]:
        states[c.k1] += c.n
    return st.Delays(d.count, d.mean_seconds, d.max_seconds, d.buckets, pending=states[OutboxStatus.PENDING],
                     failed=states[OutboxStatus.DEAD])


def _backlog(s: Session, cells: list[RollupCell], period: st.Period) -> list[st.BacklogDay]:
    """Open at the start (arrived before it, not resolved before it), then each day's arrivals
    and resolutions, whichever day the resolved requests arrived."""
    start, end = period.start.isoformat(), period.end.isoformat()
    resolved = RollupCell.figure == "resolved"
    opening = s.scalar(select(func.sum(RollupCell.n)).where(resolved, RollupCell.day < start,
                                                            or_(RollupCell.k1.is_(None), RollupCell.k1 >= start)))
    outs = {date.fromisoformat(str(d)): int(n) for d, n in s.execute(
        select(RollupCell.k1, func.sum(RollupCell.n)).where(and_(resolved, RollupCell.k1 >= start, RollupCell.k1 < end))
        .group_by(RollupCell.k1))}
    ins: dict[date, int] = defaultdict(int)
    for c in cells:
        ins[date.fromisoformat(c.day)] += c.n
    open_now, days = int(opening or 0), []
    for day in period.days():
        open_now += ins.get(day, 0) - outs.get(day, 0)
        days.append(st.BacklogDay(day, ins.get(day, 0), outs.get(day, 0), open_now))
    return days


def _pec(cells: dict[str, list[RollupCell]]) -> st.PecFigures:
    receipts: dict[str, int] = defaultdict(int)
    for c in cells["receipt"]:
        receipts[c.k1 or ""] += c.n
    signed = cells["signature"]
    return st.PecFigures(dict(receipts), sum(c.n for c in cells["anomaly"]), sum(c.n for c in signed),
                         sum(c.a for c in signed), sum(c.b for c in signed))


__all__ = ["Figures", "direct", "figures"]
