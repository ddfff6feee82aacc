"""Migration 0012 both ways, and its triggers: every write a report's figure depends on marks
the message's arrival as changed, whatever code makes it; writes no figure reads do not."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import delete, func, inspect, select, update

from tests.triage.test_resolutions import _alembic
from triage.db import make_engine, migrate, open_store
from triage.models import Classification, Correction, OutboxItem, PecRecord, Routing, Sighting, StoredMessage
from triage.rollup_models import DirtyArrival

ARRIVED = datetime(2026, 3, 10, 9, tzinfo=timezone.utc)
TABLES = {"report_rollup", "report_dirty", "report_rollup_state"}


def test_migration_0012_adds_and_drops_the_rollup(store_url):
    engine = make_engine(store_url)
    migrate(engine)
    assert TABLES <= set(inspect(engine).get_table_names())
    _alembic(engine, "downgrade", "0011")
    assert not TABLES & set(inspect(engine).get_table_names())
    sessions = open_store(store_url)  # upgraded again
    assert TABLES <= set(inspect(engine).get_table_names())
    with sessions() as s:
        assert s.execute(select(func.count()).select_from(DirtyArrival)).scalar() == 0


def test_without_the_rollup_writes_still_work(store_url):
    engine = make_engine(store_url)
    migrate(engine)
    _alembic(engine, "downgrade", "0011")  # the triggers went with their table
    with engine.begin() as conn:
        conn.execute(StoredMessage.__table__.insert().values(message_id_header="<a@t>", sha256="a", raw=b"x", size=1,
                                                             received_at=ARRIVED, status="stored", kind="email",
                                                             needs_operator=False, attempts=0, updated_at=ARRIVED))


def _dirty(sessions) -> list[datetime]:
    with sessions() as s:
        return list(s.scalars(select(DirtyArrival.received_at).order_by(DirtyArrival.id)))


def test_every_write_a_figure_reads_marks_the_arrival(store_url):
    sessions = open_store(store_url)
    marks = []
    with sessions.begin() as s:
        m = StoredMessage(message_id_header="<a@t>", sha256="a", raw=b"x", size=1, received_at=ARRIVED, status="stored")
        s.add(m)
    marks.append(len(_dirty(sessions)))
    writes = [
        lambda s: s.add(Sighting(message_pk=m.id, mailbox="contact", folder="INBOX", uidvalidity=1, uid="1")),
        lambda s: s.add(Classification(message_pk=m.id, type="status", type_confidence=1, urgency="low", urgency_confidence=1,
                                       probabilities={}, needs_review=False, explanation={}, entities={}, model_version="t")),
        lambda s: s.execute(update(StoredMessage).where(StoredMessage.id == m.id).values(status="classified")),
        lambda s: s.add(Correction(message_pk=m.id, operator="op", type="complaint", urgency="low")),
        lambda s: s.add(Routing(message_pk=m.id, classification_pk=s.scalar(select(func.max(Classification.id))), rule="r",
                                destination="a", deadline=ARRIVED)),
        lambda s: s.add(OutboxItem(message_pk=m.id, target="oncall", idempotency_key="k", payload={})),
        lambda s: s.execute(update(OutboxItem).values(status="delivered", delivered_at=ARRIVED)),
        lambda s: s.add(PecRecord(message_pk=m.id, kind="pec", daticert={}, segnatura={}, has_signature=True)),
        lambda s: s.execute(update(StoredMessage).where(StoredMessage.id == m.id).values(resolved_at=ARRIVED)),
        lambda s: s.execute(delete(Correction)),
    ]
    for write in writes:
        with sessions.begin() as s:
            write(s)
        marks.append(len(_dirty(sessions)))
    assert all(b > a for a, b in zip(marks, marks[1:])), marks
    assert set(_dirty(sessions)) == {ARRIVED}
    with sessions.begin() as s:  # what no figure reads: a retry's counter, a message's attempts
        s.execute(update(OutboxItem).values(attempts=3))
        s.execute(update(StoredMessage).values(attempts=2, updated_at=datetime.now(timezone.utc)))
    assert len(_dirty(sessions)) == marks[-1]


def test_a_message_moved_in_time_marks_both_arrivals(store_url):
    sessions = open_store(store_url)
    later = datetime(2026, 4, 2, 9, tzinfo=timezone.utc)
    with sessions.begin() as s:
        s.add(StoredMessage(id=5, message_id_header="<a@t>", sha256="a", raw=b"x", size=1, received_at=ARRIVED))
    with sessions.begin() as s:
        s.execute(update(StoredMessage).where(StoredMessage.id == 5).values(received_at=later))
    assert _dirty(sessions) == [ARRIVED, ARRIVED, later]
