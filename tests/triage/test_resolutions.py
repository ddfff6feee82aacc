"""Resolutions on SQLite and PostgreSQL: the rules a reported time must keep, who is recorded,
reopening, migration 0011 both ways, and the reports' service levels and backlog that follow."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from tests.triage.report_rows import fill
from triage import resolutions
from triage import statistics as st
from triage.db import MIGRATIONS, make_engine, migrate, open_store
from triage.models import StoredMessage

PERIOD = st.Period(date(2026, 3, 1), date(2026, 4, 1))
AS_OF = datetime(2026, 4, 2, 12, tzinfo=timezone.utc)


def _alembic(engine, verb: str, target: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, verb)(config, target)


def _columns(engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("messages")}


def test_migration_0011_adds_and_drops_resolved_by(store_url):
    engine = make_engine(store_url)
    migrate(engine)
    assert {"resolved_at", "resolved_by"} <= _columns(engine)
    _alembic(engine, "downgrade", "0010")
    assert "resolved_by" not in _columns(engine) and "resolved_at" in _columns(engine)
    _alembic(engine, "upgrade", "head")
    assert "resolved_by" in _columns(engine)


def test_a_resolution_keeps_to_the_message_and_the_clock(store_url):
    sessions = open_store(store_url)
    arrived = datetime(2026, 3, 10, 9, tzinfo=timezone.utc)
    with sessions.begin() as s:
        s.add_all([StoredMessage(id=1, message_id_header="<a@t>", sha256="a", raw=b"x", size=1, received_at=arrived,
                                 status="classified"),
                   StoredMessage(id=2, message_id_header="<b@t>", sha256="b", raw=b"x", size=1, received_at=arrived,
                                 status="receipt", kind="pec-receipt")])
    now = datetime(2026, 3, 12, 9, tzinfo=timezone.utc)
    for at, words in ((arrived - timedelta(seconds=1), "before the message arrived"),
                      (now + timedelta(minutes=6), "in the future"), (datetime(2026, 3, 11, 9), "time zone")):
        with pytest.raises(resolutions.BadResolution, match=words):
            resolutions.resolve(sessions, 1, "ticketing", at, now=now)
    with pytest.raises(resolutions.BadResolution, match="receipt"):
        resolutions.resolve(sessions, 2, "ticketing", now, now=now)
    with pytest.raises(resolutions.NoMessage):
        resolutions.resolve(sessions, 99, "anna")
    with pytest.raises(resolutions.NoMessage):
        resolutions.reopen(sessions, 99)
    assert resolutions.resolve(sessions, 1, "ticketing", now + timedelta(minutes=4), now=now).resolved_at == now  # skew
    done = resolutions.resolve(sessions, 1, "ticketing", arrived + timedelta(hours=1), now=now)
    assert (done.resolved_at, done.resolved_by) == (arrived + timedelta(hours=1), "ticketing")
    assert resolutions.resolve(sessions, 1, "anna").resolved_by == "anna"  # again: the latest wins, default now
    with sessions() as s:
        m = s.get(StoredMessage, 1)
        assert m.resolved_by == "anna" and abs(m.resolved_at - datetime.now(timezone.utc)) < timedelta(minutes=1)
    assert resolutions.reopen(sessions, 1).resolved_at is None
    with sessions() as s:
        m = s.get(StoredMessage, 1)
        assert m.resolved_at is None and m.resolved_by is None


def _sla(sessions) -> dict[str, int]:
    rows = st.service_levels(sessions, PERIOD, as_of=AS_OF)
    return {k: sum(getattr(r, k) for r in rows) for k in ("met", "missed", "open_overdue", "open_in_time")}


def test_resolving_changes_the_service_levels_and_the_backlog(store_url):
    sessions = open_store(store_url)
    truths = fill(sessions)
    lo, hi = PERIOD.bounds()
    late = next(t for t in truths if lo <= t.received_at < hi and t.status == "classified" and t.routing
                and t.resolved_at is None and t.routing[1] < AS_OF - timedelta(hours=2))
    before, backlog_before = _sla(sessions), st.backlog(sessions, PERIOD)[-1].open_at_end
    resolutions.resolve(sessions, late.pk, "ticketing", late.received_at + timedelta(minutes=1), now=AS_OF)  # in time
    after = _sla(sessions)
    assert after["met"] == before["met"] + 1 and after["open_overdue"] == before["open_overdue"] - 1
    assert st.backlog(sessions, PERIOD)[-1].open_at_end == backlog_before - 1
    resolutions.resolve(sessions, late.pk, "ticketing", late.routing[1] + timedelta(hours=1), now=AS_OF)  # after the deadline
    assert _sla(sessions)["missed"] == before["missed"] + 1 and _sla(sessions)["met"] == before["met"]
    resolutions.reopen(sessions, late.pk)
    assert _sla(sessions) == before and st.backlog(sessions, PERIOD)[-1].open_at_end == backlog_before
