"""The reports' figures rolled up per local day, refreshed before each report from what changed.

A monthly report recomputed from its 82,000 messages took 2-7 s at a million messages (each
message's latest classification, correction, mailbox and routing looked up, then a dozen
aggregates); read from these rows it is a few thousand rows. As in a data warehouse's daily
aggregates, every figure that adds up is kept per local day of arrival (Europe/Rome) and per
combination of its keys, and a report sums the days of its period:

figure     keys k1..k5                                     measures
---------  ----------------------------------------------  -----------------------------------------
volume     type, urgency, channel, first mailbox, domain   n requests
hour       local hour of arrival                           n requests
model      model type, final type, model and final urg.    n classified, a to review, b corrected
sla        team, final urgency, deadline's UTC hour (*)    n routed, a met, b missed (latest routing)
delay      routing | oncall, histogram bucket              n, total and top seconds
oncall     status of an on-call delivery not delivered     n
resolved   local day of resolution (None: open)            n requests
receipt    receipt type ('' when none)                     n receipts
signature  -                                               n signed, a not verified, b not checked
anomaly    -                                               n PEC anomalies

(*) hours since the epoch: open requests are overdue when their deadline is before "as of", so
they are kept by the hour of their deadline; the hour holding "as of" is counted live.

Freshness: triggers (migration 0012) append the arrival time of every message whose rows a
figure reads (the message, its sightings, classifications, corrections, routings, outbox, PEC
record) to ``report_dirty`` whatever code writes them, late messages and bulk loads included.
``refresh`` rolls up again the local days found there, each span in one transaction that first
deletes the span's dirty rows and then recomputes it, so a change committed meanwhile is either
in the recomputation or still dirty. The first refresh (``built_at`` empty) builds every day,
a month per transaction so that SQLite's writers wait a few seconds at most.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (BigInteger, Integer, and_, case, cast, delete, extract, func, insert, literal_column, null, select,
                        update)
from sqlalchemy.orm import Session, aliased

from triage import statistics as st
from triage.db import Sessions
from triage.models import MessageKind, MessageStatus, OutboxItem, OutboxStatus, PecRecord, Routing, StoredMessage, utcnow
from triage.rollup_models import DirtyArrival, RollupCell, RollupState

ZONE = st.Period.zone
SPAN_DAYS = 31   # days recomputed in one transaction
GAP_DAYS = 3     # dirty days this close are recomputed together, clean days between them included


def refresh(sessions: Sessions) -> int:
    """Bring the rollup up to date; the number of local days recomputed."""
    with sessions() as s:
        state = s.get(RollupState, 1)
        built = state is not None and state.built_at is not None and state.zone == ZONE
    done = 0 if built else _build(sessions)
    for span in _spans(_dirty_days(sessions)):
        with sessions.begin() as s:
            _lock(s)
            lo, hi = span.bounds()
            s.execute(delete(DirtyArrival).where(DirtyArrival.received_at >= lo, DirtyArrival.received_at < hi))
            _recompute(s, span)
        done += len(span.days())
    return done


def _lock(s: Session) -> None:
    """One refresh at a time: SQLite's write lock, or PostgreSQL's lock on the state row."""
    if s.get_bind().dialect.name == "sqlite":
        s.connection().exec_driver_sql("BEGIN IMMEDIATE")
    s.execute(select(RollupState.id).where(RollupState.id == 1).with_for_update())


def _build(sessions: Sessions) -> int:
    """Every day from the first arrival to the last, rolled up anew."""
    zone = ZoneInfo(ZONE)
    with sessions.begin() as s:
        _lock(s)
        s.execute(delete(DirtyArrival))  # every change so far is in what follows
        first, last = s.execute(select(func.min(StoredMessage.received_at), func.max(StoredMessage.received_at))).one()
        start = first.astimezone(zone).date() if first else date.today()
        end = last.astimezone(zone).date() + timedelta(days=1) if last else start
        s.execute(delete(RollupCell).where((RollupCell.day < start.isoformat()) | (RollupCell.day >= end.isoformat())))
    spans = [st.Period(d, min(end, d + timedelta(days=SPAN_DAYS))) for d in _range(start, end, SPAN_DAYS)]
    for span in spans:
        with sessions.begin() as s:
            _lock(s)
            _recompute(s, span)
    with sessions.begin() as s:
        _lock(s)
        s.execute(update(RollupState).where(RollupState.id == 1).values(zone=ZONE, built_at=utcnow(), refreshed_at=utcnow()))
    return (end - start).days


def _range(start: date, end: date, step: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(0, (end - start).days, step)]


def _dirty_days(sessions: Sessions) -> list[date]:
    with sessions() as s:
        first, last = s.execute(select(func.min(DirtyArrival.received_at), func.max(DirtyArrival.received_at))).one()
        if first is None:
            return []
        wide = st.Period(first.date() - timedelta(days=1), last.date() + timedelta(days=2))
        day = st._Local(s.get_bind().dialect.name, wide).day(DirtyArrival.received_at)
        return sorted(date.fromisoformat(d) for d in s.scalars(select(day).distinct()))


def _spans(days: list[date]) -> list[st.Period]:
    """Runs of dirty days (gaps of up to ``GAP_DAYS`` bridged), cut at ``SPAN_DAYS``."""
    spans: list[st.Period] = []
    for day in days:
        if spans and (day - spans[-1].end).days < GAP_DAYS and (day - spans[-1].start).days < SPAN_DAYS:
            spans[-1] = st.Period(spans[-1].start, day + timedelta(days=1))
        else:
            spans.append(st.Period(day, day + timedelta(days=1)))
    return spans


def _recompute(s: Session, span: st.Period) -> None:
    """The span's cells deleted and computed again from its messages (the caller holds the lock)."""
    s.execute(delete(RollupCell).where(RollupCell.day >= span.start.isoformat(), RollupCell.day < span.end.isoformat()))
    facts = st.facts_table(s, span)
    try:
        rows = [cell for figure, inner in _figures(s, facts, span) for cell in _cells(s, figure, inner)]
        if rows:
            s.execute(insert(RollupCell), rows)
    finally:
        facts.drop(s.connection())


def _cells(s: Session, figure: str, inner: Any) -> list[dict[str, Any]]:
    """``inner``'s rows (columns day, k1.., and a, b, sec where the figure has them) summed per day and keys."""
    sub = inner.subquery()
    keys = [c for c in sub.c if c.name == "day" or c.name.startswith("k")]
    names = {c.name for c in sub.c}
    measures = [func.count(), *[func.sum(sub.c[m]) if m in names else literal_column("0") for m in ("a", "b")],
                *([func.sum(sub.c.sec), func.max(sub.c.sec)] if "sec" in names else [null(), null()])]
    query = select(*keys, *measures).group_by(*keys)
    cells = []
    for row in s.execute(query):
        cell: dict[str, Any] = {"figure": figure, "day": row[0]}
        cell |= {c.name: None if v is None else str(v) for c, v in zip(keys[1:], row[1:len(keys)])}
        n, a, b, total, top = row[len(keys):]
        cells.append(cell | {"n": int(n), "a": int(a or 0), "b": int(b or 0),
                             "total": None if total is None else float(total), "top": None if top is None else float(top)})
    for cell in cells:  # every row of an executemany names the same columns
        for k in ("k1", "k2", "k3", "k4", "k5"):
            cell.setdefault(k, None)
    return cells


def _flag(condition: Any) -> Any:
    return case((condition, 1), else_=0)


def _figures(s: Session, f: Any, span: st.Period) -> list[tuple[str, Any]]:
    """Each figure's per-message (or per-delivery) rows over the span's facts ``f``."""
    dialect = s.get_bind().dialect.name
    local = st._Local(dialect, span)
    day = local.day(f.c.received_at).label("day")
    requests = f.c.status != MessageStatus.RECEIPT
    latest = select(func.max(Routing.id)).where(Routing.message_pk == f.c.pk).correlate(f).scalar_subquery()
    first = select(func.min(Routing.id)).where(Routing.message_pk == f.c.pk).correlate(f).scalar_subquery()
    r, o, p = aliased(Routing), aliased(OutboxItem), aliased(PecRecord)
    done = f.c.resolved_at.is_not(None)
    latest_resolution = s.scalar(select(func.max(f.c.resolved_at)))
    until = max(span.end, latest_resolution.date() if latest_resolution else span.end) + timedelta(days=2)
    resolution_day = st._Local(dialect, st.Period(span.start - timedelta(days=1), until)).day(f.c.resolved_at)
    return [
        ("volume", select(day, f.c.type.label("k1"), f.c.urgency.label("k2"), st._channel(f).label("k3"),
                          f.c.mailbox.label("k4"), f.c.own_domain.label("k5")).where(requests)),
        ("hour", select(day, local.hour(f.c.received_at).label("k1")).where(requests)),
        ("model", select(day, f.c.model_type.label("k1"), f.c.type.label("k2"), f.c.model_urgency.label("k3"),
                         f.c.urgency.label("k4"), _flag(f.c.needs_review.is_(True)).label("a"),
                         _flag(f.c.correction.is_not(None)).label("b"))
         .where(requests, f.c.model_type.is_not(None))),
        ("sla", select(day, r.destination.label("k1"), f.c.urgency.label("k2"), _hour(dialect, r.deadline).label("k3"),
                       _flag(and_(done, f.c.resolved_at <= r.deadline)).label("a"),
                       _flag(and_(done, f.c.resolved_at > r.deadline)).label("b"))
         .join(r, r.id == latest).where(requests)),
        ("delay", _delay(select(day, literal_column("'routing'").label("k1")).join(r, r.id == first).where(requests),
                         local.seconds(f.c.received_at, r.created_at))),
        ("delay", _delay(select(day, literal_column("'oncall'").label("k1"))
                         .join(o, and_(o.message_pk == f.c.pk, o.target == "oncall", o.status == OutboxStatus.DELIVERED)),
                         local.seconds(f.c.received_at, o.delivered_at))),
        ("oncall", select(day, o.status.label("k1")).join(o, o.message_pk == f.c.pk)
         .where(o.target == "oncall", o.status != OutboxStatus.DELIVERED)),
        ("resolved", select(day, resolution_day.label("k1")).where(requests)),
        ("receipt", select(day, func.coalesce(PecRecord.receipt_type, "").label("k1")).join(PecRecord, PecRecord.message_pk == f.c.pk)
         .where(f.c.status == MessageStatus.RECEIPT)),
        ("signature", select(day, _flag(p.signature_verified.is_(False)).label("a"),
                             _flag(p.signature_verified.is_(None)).label("b"))
         .join(p, p.message_pk == f.c.pk).where(p.has_signature.is_(True))),
        ("anomaly", select(day).where(f.c.kind == MessageKind.PEC_ANOMALY)),
    ]


def _delay(base: Any, seconds: Any) -> Any:
    bucket = case(*[(seconds <= limit, i) for i, limit in enumerate(st.DELAY_BUCKETS)], else_=len(st.DELAY_BUCKETS))
    return base.add_columns(bucket.label("k2"), seconds.label("sec"))


def _hour(dialect: str, column: Any) -> Any:
    """Hours since the epoch of a UTC timestamp."""
    if dialect == "postgresql":
        return cast(func.floor(extract("epoch", column) / 3600), BigInteger)
    return cast(func.strftime("%s", column), Integer) // 3600


__all__ = ["SPAN_DAYS", "ZONE", "refresh"]
