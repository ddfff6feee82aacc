"""The aggregates of the statistical reports, computed by the database over one period.

Every figure is a GROUP BY over the messages that arrived in the period (PEC receipts apart:
they are counted in their own section), so a month of a million-message store is read through
the arrival index without loading a row into Python. The label of a message is the operator's
latest correction, else its latest classification, as in :mod:`triage.queries`. Days, hours and
weekdays are local to the contact center (Europe/Rome): PostgreSQL converts with ``timezone()``,
SQLite, which knows no zones, adds the UTC offset in force, from a CASE over the period's
daylight-saving transitions.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (Column, Integer, MetaData, Table, and_, case, cast, event, extract, func, literal,
                        literal_column, or_, select)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, aliased

from triage.db import Sessions
from triage.models import (Classification, Correction, MessageKind, MessageStatus, OutboxItem, OutboxStatus, PecRecord,
                           Routing, Sighting, StoredMessage, UTCDateTime, utcnow)

#: Mailboxes whose messages come from the web form or portal (``POST /v1/messages``).
PORTAL_MAILBOXES = ("api",)
PEC_KINDS = (MessageKind.PEC, MessageKind.PEC_ANOMALY, MessageKind.PEC_RECEIPT)
#: Upper bounds (seconds) of the delay histograms; the last bucket is open.
DELAY_BUCKETS = (60, 300, 900, 3600, 4 * 3600, 24 * 3600)


@dataclass(frozen=True)
class Period:
    """Local days ``start`` (included) to ``end`` (excluded) in the contact center's zone."""

    start: date
    end: date
    zone: str = "Europe/Rome"

    def bounds(self) -> tuple[datetime, datetime]:
        tz = ZoneInfo(self.zone)
        return (datetime.combine(self.start, time(), tz).astimezone(timezone.utc),
                datetime.combine(self.end, time(), tz).astimezone(timezone.utc))

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days)]

    @property
    def last(self) -> date:
        """The period's last day, included (as people write a period)."""
        return self.end - timedelta(days=1)


@dataclass(frozen=True)
class VolumeRow:
    """Messages of one local day with one combination of the report's dimensions."""

    day: date
    type: str | None
    urgency: str | None
    channel: str
    mailbox: str | None
    domain: str | None
    count: int


@dataclass(frozen=True)
class HeatCell:
    weekday: int  # 0 Monday .. 6 Sunday
    hour: int
    count: int


@dataclass(frozen=True)
class SlaRow:
    """Routed messages of one team and urgency: resolved by the deadline, after it, or still open."""

    destination: str
    urgency: str | None
    met: int
    missed: int
    open_overdue: int
    open_in_time: int

    @property
    def total(self) -> int:
        return self.met + self.missed + self.open_overdue + self.open_in_time


@dataclass(frozen=True)
class Delays:
    """Seconds from arrival to an event: how many, mean, max and a histogram over ``DELAY_BUCKETS``."""

    count: int
    mean_seconds: float | None
    max_seconds: float | None
    buckets: tuple[int, ...]
    pending: int = 0   # the event is owed but has not happened (on-call: not yet delivered)
    failed: int = 0    # it will not happen without an operator (on-call: dead letter)


@dataclass(frozen=True)
class BacklogDay:
    day: date
    arrived: int
    resolved: int
    open_at_end: int


@dataclass(frozen=True)
class ModelFigures:
    classified: int
    to_review: int
    corrected: int
    type_confusion: dict[tuple[str, str], int] = field(default_factory=dict)     # (model, final) -> count
    urgency_confusion: dict[tuple[str, str], int] = field(default_factory=dict)


@dataclass(frozen=True)
class PecFigures:
    receipts: dict[str, int]        # receipt type -> count
    anomalies: int
    signed: int
    signature_failed: int           # signed, and the signature did not verify
    signature_unchecked: int        # signed, and it could not be checked


# Local time and durations, per dialect.

def _offsets(period: Period) -> list[tuple[datetime, int]]:
    """(UTC instant, offset in seconds in force from then on) over the period and a day around it."""
    tz = ZoneInfo(period.zone)
    start, end = period.bounds()
    moment, previous = start - timedelta(days=1), None
    points: list[tuple[datetime, int]] = []
    while moment <= end + timedelta(days=1):
        offset = int(moment.astimezone(tz).utcoffset().total_seconds())  # type: ignore[union-attr]
        if offset != previous:
            points.append((moment, offset))
            previous = offset
        moment += timedelta(hours=1)
    return points


class _Local:
    """Expressions for the local day, hour and weekday of a timestamp column, and durations."""

    def __init__(self, dialect: str, period: Period) -> None:
        self.dialect, self.period = dialect, period
        self.points = _offsets(period)

    def stamp(self, column: Any) -> Any:
        if self.dialect == "postgresql":  # constants inline: PostgreSQL matches GROUP BY to SELECT by text, binds included
            return func.timezone(literal_column(_quoted(self.period.zone)), column)
        whens = [(column < literal(at, UTCDateTime()), f"{prev:+d} seconds")
                 for (at, _), (_, prev) in zip(self.points[1:], self.points[:-1])]
        modifier = case(*whens, else_=f"{self.points[-1][1]:+d} seconds") if whens else literal(f"{self.points[-1][1]:+d} seconds")
        return func.datetime(column, modifier)

    def day(self, column: Any) -> Any:
        local = self.stamp(column)
        return func.to_char(local, literal_column("'YYYY-MM-DD'")) if self.dialect == "postgresql" else func.date(local)

    def hour(self, column: Any) -> Any:
        local = self.stamp(column)
        return cast(extract("hour", local), Integer) if self.dialect == "postgresql" else cast(func.strftime("%H", local), Integer)

    def weekday(self, column: Any) -> Any:
        """0 Sunday .. 6 Saturday on both databases."""
        local = self.stamp(column)
        return cast(extract("dow", local), Integer) if self.dialect == "postgresql" else cast(func.strftime("%w", local), Integer)

    def seconds(self, start: Any, end: Any) -> Any:
        if self.dialect == "postgresql":
            return extract("epoch", end - start)
        return (func.julianday(end) - func.julianday(start)) * 86400.0


def _quoted(zone: str) -> str:
    """A time zone name as an SQL literal, once known to be one (it comes from the settings)."""
    ZoneInfo(zone)
    if not re.fullmatch(r"[A-Za-z0-9_+\-/]+", zone):
        raise ValueError(f"time zone {zone!r}: expected an IANA name such as Europe/Rome")
    return f"'{zone}'"


def _facts_select(period: Period) -> Any:
    """One row per message of the period (receipts included, marked by status), with its labels."""
    m = StoredMessage
    start, end = period.bounds()
    # "no later row of the same message": planned as an index lookup per message of the period on both
    # databases, where "id = (SELECT max(id) ...)" made PostgreSQL hash the whole table
    c2, k2 = aliased(Classification), aliased(Correction)
    latest_c = and_(Classification.message_pk == m.id,
                    ~select(c2.id).where(c2.message_pk == m.id, c2.id > Classification.id).exists())
    latest_k = and_(Correction.message_pk == m.id, ~select(k2.id).where(k2.message_pk == m.id, k2.id > Correction.id).exists())
    mailbox = (select(Sighting.mailbox).where(Sighting.message_pk == m.id).order_by(Sighting.id).limit(1)
               .correlate(m).scalar_subquery())
    return (select(m.id.label("pk"), m.received_at, m.resolved_at, m.kind, m.status, m.domain.label("own_domain"),
                   mailbox.label("mailbox"), Classification.type.label("model_type"),
                   Classification.urgency.label("model_urgency"), Classification.needs_review,
                   Correction.id.label("correction"),
                   func.coalesce(Correction.type, Classification.type).label("type"),
                   func.coalesce(Correction.urgency, Classification.urgency).label("urgency"))
            .select_from(m)
            .outerjoin(Classification, latest_c)
            .outerjoin(Correction, latest_k)
            .where(m.received_at >= start, m.received_at < end))


_m, _c = StoredMessage.__table__.c, Classification.__table__.c
_FACT_COLUMNS = (("pk", Integer()), ("received_at", _m.received_at.type), ("resolved_at", _m.resolved_at.type),
                 ("kind", _m.kind.type), ("status", _m.status.type), ("own_domain", _m.domain.type),
                 ("mailbox", Sighting.__table__.c.mailbox.type), ("model_type", _c.type.type),
                 ("model_urgency", _c.urgency.type), ("needs_review", _c.needs_review.type), ("correction", Integer()),
                 ("type", _c.type.type), ("urgency", _c.urgency.type))
_tables = itertools.count(1)


@dataclass
class Source:
    """Where the statistics read a period: one session, and the period's facts as a subquery
    (one statistic on its own) or as a temporary table filled once (:func:`snapshot`)."""

    session: Session
    facts: Any
    dialect: str


@contextmanager
def snapshot(sessions: Sessions, period: Period) -> Iterator[Source]:
    """The period's facts computed once, into a temporary table, for all the statistics of a
    report: each would otherwise look up every message's latest classification, correction and
    mailbox again (a month of 82,000 messages: 13 such passes, 3.4 s on SQLite). Every statistic
    reads the same rows; the table is dropped at the end."""
    with sessions() as s:
        table = facts_table(s, period)
        try:
            yield Source(s, table, _dialect(sessions))
        finally:
            s.rollback()  # PostgreSQL drops the table with the transaction; pysqlite does not wrap DDL in one
            table.drop(s.connection(), checkfirst=True)
            s.commit()


def facts_table(s: Session, period: Period) -> Table:
    """The period's facts copied into a new temporary table of the session's connection."""
    table = Table(f"report_facts_{next(_tables)}", MetaData(),
                  *(Column(c, t, primary_key=c == "pk") for c, t in _FACT_COLUMNS), prefixes=["TEMPORARY"])
    table.create(s.connection())
    s.execute(table.insert().from_select([c for c, _ in _FACT_COLUMNS], _facts_select(period)))
    return table


@contextmanager
def _source(source: Sessions | Source, period: Period) -> Iterator[Source]:
    if isinstance(source, Source):
        yield source
        return
    with source() as s:
        yield Source(s, _facts_select(period).subquery("facts"), _dialect(source))


def _domain(f: Any, domains: dict[str, str]) -> Any:
    if not domains:
        return f.c.own_domain
    return func.coalesce(f.c.own_domain, case(*[(f.c.mailbox == mb, d) for mb, d in sorted(domains.items())], else_=None))


def _channel(f: Any) -> Any:
    return case((f.c.kind.in_([str(k) for k in PEC_KINDS]), "pec"),
                (f.c.mailbox.in_(PORTAL_MAILBOXES), "portal"), else_="email")


def _requests(f: Any) -> Any:
    return f.c.status != MessageStatus.RECEIPT


def _dialect(sessions: Sessions) -> str:
    bind = sessions.kw["bind"]
    return str(bind.dialect.name)


def volumes(source: Sessions | Source, period: Period, domains: dict[str, str] | None = None) -> list[VolumeRow]:
    """Messages per local day, type, urgency, channel, mailbox and domain: the cube every count and trend sums."""
    with _source(source, period) as src:
        f = src.facts
        day = _Local(src.dialect, period).day(f.c.received_at)
        keys = (day, f.c.type, f.c.urgency, _channel(f), f.c.mailbox, _domain(f, domains or {}))
        query = select(*keys, func.count()).where(_requests(f)).group_by(*keys)
        return [VolumeRow(date.fromisoformat(d), t, u, c, mb, dm, n) for d, t, u, c, mb, dm, n in src.session.execute(query)]


def heatmap(source: Sessions | Source, period: Period) -> list[HeatCell]:
    """Arrivals per local weekday and hour."""
    with _source(source, period) as src:
        f = src.facts
        local = _Local(src.dialect, period)
        keys = (local.weekday(f.c.received_at), local.hour(f.c.received_at))
        query = select(*keys, func.count()).where(_requests(f)).group_by(*keys)
        return [HeatCell((wd - 1) % 7, h, n) for wd, h, n in src.session.execute(query)]


def service_levels(source: Sessions | Source, period: Period, as_of: datetime | None = None) -> list[SlaRow]:
    """Deadlines of the latest routing of each message, per team and (final) urgency.

    A message still open is overdue when its deadline is before ``as_of`` (the end of the period,
    or now when the period has not ended)."""
    as_of = as_of or min(period.bounds()[1], utcnow())
    with _source(source, period) as src:
        f = src.facts
        latest = select(func.max(Routing.id)).where(Routing.message_pk == f.c.pk).correlate(f).scalar_subquery()
        r = aliased(Routing)
        done = f.c.resolved_at.is_not(None)
        counts = [func.sum(case((cond, 1), else_=0)) for cond in (
            and_(done, f.c.resolved_at <= r.deadline), and_(done, f.c.resolved_at > r.deadline),
            and_(~done, r.deadline < as_of), and_(~done, r.deadline >= as_of))]
        query = (select(r.destination, f.c.urgency, *counts).join(r, r.id == latest).where(_requests(f))
                 .group_by(r.destination, f.c.urgency))
        return [SlaRow(dest, urg, int(a), int(b), int(c), int(d)) for dest, urg, a, b, c, d in src.session.execute(query)]


def _delays(s: Session, seconds: Any, base: Any) -> tuple[int, float | None, float | None, tuple[int, ...]]:
    bucket = case(*[(seconds <= limit, i) for i, limit in enumerate(DELAY_BUCKETS)], else_=len(DELAY_BUCKETS))
    sub = base.add_columns(seconds.label("seconds"), bucket.label("bucket")).subquery()
    count, mean, top = s.execute(select(func.count(), func.avg(sub.c.seconds), func.max(sub.c.seconds))).one()
    hist: dict[int, int] = {int(b): int(n) for b, n in s.execute(select(sub.c.bucket, func.count()).group_by(sub.c.bucket))}
    return (int(count), None if mean is None else float(mean), None if top is None else float(top),
            tuple(int(hist.get(i, 0)) for i in range(len(DELAY_BUCKETS) + 1)))


def routing_delays(source: Sessions | Source, period: Period) -> Delays:
    """From arrival to the first routing decision."""
    with _source(source, period) as src:
        f = src.facts
        first = select(func.min(Routing.id)).where(Routing.message_pk == f.c.pk).correlate(f).scalar_subquery()
        r = aliased(Routing)
        base = select(f.c.pk).join(r, r.id == first).where(_requests(f))
        return Delays(*_delays(src.session, _Local(src.dialect, period).seconds(f.c.received_at, r.created_at), base))


def oncall_delays(source: Sessions | Source, period: Period) -> Delays:
    """From arrival to delivery at the on-call endpoint, for the emergencies sent there."""
    with _source(source, period) as src:
        f = src.facts
        o = aliased(OutboxItem)
        base = select(f.c.pk).join(o, and_(o.message_pk == f.c.pk, o.target == "oncall", o.status == OutboxStatus.DELIVERED))
        count, mean, top, hist = _delays(src.session, _Local(src.dialect, period).seconds(f.c.received_at, o.delivered_at),
                                         base)
        state = (select(OutboxItem.status, func.count()).join(f, f.c.pk == OutboxItem.message_pk)
                 .where(OutboxItem.target == "oncall", OutboxItem.status != OutboxStatus.DELIVERED).group_by(OutboxItem.status))
        others = {status: int(n) for status, n in src.session.execute(state)}
    return Delays(count, mean, top, hist, pending=int(others.get(OutboxStatus.PENDING, 0)),
                  failed=int(others.get(OutboxStatus.DEAD, 0)))


def backlog(source: Sessions | Source, period: Period) -> list[BacklogDay]:
    """Requests open at the end of each local day: those open when the period began, plus the
    arrivals, less the resolutions, each counted per day by the database."""
    start, end = period.bounds()
    m = StoredMessage
    requests = m.status != MessageStatus.RECEIPT
    opening = select(func.count()).where(requests, m.received_at < start, or_(m.resolved_at.is_(None), m.resolved_at >= start))
    with _source(source, period) as src:
        local = _Local(src.dialect, period)
        arrival_day, resolution_day = local.day(m.received_at), local.day(m.resolved_at)  # one object in SELECT and GROUP BY
        arrived = (select(arrival_day, func.count()).where(requests, m.received_at >= start, m.received_at < end)
                   .group_by(arrival_day))
        resolved = (select(resolution_day, func.count())
                    .where(requests, m.resolved_at >= start, m.resolved_at < end).group_by(resolution_day))
        open_now = int(src.session.scalar(opening) or 0)
        ins = {date.fromisoformat(d): int(n) for d, n in src.session.execute(arrived)}
        outs = {date.fromisoformat(d): int(n) for d, n in src.session.execute(resolved)}
    days = []
    for day in period.days():
        open_now += ins.get(day, 0) - outs.get(day, 0)
        days.append(BacklogDay(day, ins.get(day, 0), outs.get(day, 0), open_now))
    return days


def model_figures(source: Sessions | Source, period: Period) -> ModelFigures:
    """The model at work on the period's requests it classified (receipts and failures apart)."""
    with _source(source, period) as src:
        f = src.facts
        classified = and_(_requests(f), f.c.model_type.is_not(None))
        totals = select(func.count(), func.sum(case((f.c.needs_review.is_(True), 1), else_=0)),
                        func.sum(case((f.c.correction.is_not(None), 1), else_=0))).where(classified)
        n, review, corrected = src.session.execute(totals).one()
        confusion = {head: {(a, b): int(c) for a, b, c in src.session.execute(
            select(getattr(f.c, f"model_{head}"), getattr(f.c, head), func.count()).where(classified)
            .group_by(getattr(f.c, f"model_{head}"), getattr(f.c, head)))} for head in ("type", "urgency")}
    return ModelFigures(int(n), int(review or 0), int(corrected or 0), confusion["type"], confusion["urgency"])


def pec_figures(source: Sessions | Source, period: Period) -> PecFigures:
    with _source(source, period) as src:
        f = src.facts
        receipts = (select(PecRecord.receipt_type, func.count()).join(f, f.c.pk == PecRecord.message_pk)
                    .where(f.c.status == MessageStatus.RECEIPT).group_by(PecRecord.receipt_type))
        signed = (select(func.count(), func.sum(case((PecRecord.signature_verified.is_(False), 1), else_=0)),
                         func.sum(case((PecRecord.signature_verified.is_(None), 1), else_=0)))
                  .join(f, f.c.pk == PecRecord.message_pk).where(PecRecord.has_signature.is_(True)))
        anomalies = select(func.count()).select_from(f).where(f.c.kind == MessageKind.PEC_ANOMALY)
        by_kind = {str(k or ""): int(n) for k, n in src.session.execute(receipts)}
        n, failed, unchecked = src.session.execute(signed).one()
        anomalous = int(src.session.scalar(anomalies) or 0)
    return PecFigures(by_kind, anomalous, int(n), int(failed or 0), int(unchecked or 0))


def explain(sessions: Sessions, run: Callable[[], object]) -> list[tuple[str, list[str]]]:
    """Each statement ``run`` sends to the database, with the database's plan for it.

    ``bench/report.py`` runs a whole report through this, so the plans printed are those of the
    queries the report really makes, with their parameters."""
    engine = sessions.kw["bind"]
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    plans = []
    with engine.connect() as conn:
        for statement, parameters in seen:
            try:
                rows = conn.exec_driver_sql(prefix + statement, parameters).all()
            except DBAPIError:  # it read a report's temporary table, gone with the report's transaction
                conn.rollback()
                plans.append((statement, ["(reads the report's temporary table: it exists only inside the report)"]))
                continue
            plans.append((statement, [" ".join(str(c) for c in row) for row in rows]))
    return plans


__all__ = ["BacklogDay", "Delays", "HeatCell", "ModelFigures", "PecFigures", "Period", "SlaRow", "VolumeRow",
           "backlog", "explain", "heatmap", "model_figures", "oncall_delays", "pec_figures", "routing_delays",
           "service_levels", "volumes"]
