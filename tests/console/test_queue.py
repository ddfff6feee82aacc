"""The console's data layer on SQLite and PostgreSQL: the queue's filters and keyset pages,
the review queue, acceptances and corrections with who made them, the search, and replays."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from tests.console.conftest import MESSAGES
from tests.triage.helpers import mail, pec_mail
from triage import corrections, deadletters, queries, queue, search
from triage.db import open_store
from triage.models import OutboxItem, OutboxStatus, StoredMessage, utcnow
from triage.pipeline import Pipeline
from triage.schemas import FeedFilter, QueueFilter


def _store(url: str, classifier: object) -> tuple[object, dict[str, int]]:
    sessions = open_store(url)
    pipeline = Pipeline(sessions, classifier)  # type: ignore[arg-type]
    pks = {subject: pipeline.ingest(mail(i, subject, body), "contatti" if i % 2 else "reclami", "INBOX", 1, str(i)).pk
           for i, (subject, body) in enumerate(MESSAGES)}
    pks["pec"] = pipeline.ingest(pec_mail(40), "pec", "INBOX", 1, "40").pk
    with sessions.begin() as s:  # arrival times a day apart, the newest last
        for n, pk in enumerate(sorted(pks.values())):
            s.execute(update(StoredMessage).where(StoredMessage.id == pk).values(received_at=utcnow() - timedelta(days=10 - n)))
    return sessions, pks


def _all_pages(sessions: object, f: QueueFilter, size: int) -> list[int]:
    seen, cursor = [], None
    while True:
        found = queue.page(sessions, f, cursor, size)  # type: ignore[arg-type]
        seen += [r.id for r in found.rows]
        if found.next_cursor is None:
            return seen
        cursor = found.next_cursor


def test_queue_filters_and_keyset_pages(store_url: str, classifier: object) -> None:
    sessions, pks = _store(store_url, classifier)
    everything = _all_pages(sessions, QueueFilter(), 100)
    assert everything == sorted(pks.values(), reverse=True)  # newest first
    assert _all_pages(sessions, QueueFilter(), 3) == everything  # pages of 3: each message once, in order
    assert _all_pages(sessions, QueueFilter(oldest_first=True), 2) == everything[::-1]
    assert _all_pages(sessions, QueueFilter(channel="pec"), 2) == [pks["pec"]]
    assert set(_all_pages(sessions, QueueFilter(mailbox="reclami"), 2)) == {pks[s] for i, (s, _) in enumerate(MESSAGES) if i % 2 == 0}
    rows = {r.id: r for r in queue.page(sessions, QueueFilter(), None, 100).rows}  # type: ignore[arg-type]
    gas = rows[pks["URGENTE gas"]]
    assert gas.urgency == "emergency" and gas.mailboxes == ["reclami"] and gas.routing == "none"
    emergencies = _all_pages(sessions, QueueFilter(urgency="emergency"), 2)
    assert pks["URGENTE gas"] in emergencies and all(rows[pk].urgency == "emergency" for pk in emergencies)
    pending = _all_pages(sessions, QueueFilter(review="pending"), 2)
    assert pending and all(rows[pk].needs_review for pk in pending)
    middle = rows[everything[4]].received_at
    since = _all_pages(sessions, QueueFilter(since=middle), 100)
    assert since == everything[:5]
    assert _all_pages(sessions, QueueFilter(until=middle), 100) == everything[5:]


def test_corrections_and_acceptances_change_the_queue_and_reach_the_feed(store_url: str, classifier: object) -> None:
    sessions, pks = _store(store_url, classifier)
    review, _ = queue.review(sessions)  # type: ignore[arg-type]
    assert review, "some of these messages are ambiguous enough for review"
    lowest = [min(r.type_confidence, r.urgency_confidence) for r in review]
    assert lowest == sorted(lowest)  # least confident first
    first, second = review[0], review[-1]
    corrections.correct(sessions, first.id, "anna", first.type, first.urgency)  # an acceptance
    lamp = pks["Lampione spento"]
    corrections.correct(sessions, lamp, "sara", "complaint", "high")
    left, _ = queue.review(sessions)  # type: ignore[arg-type]
    assert first.id not in {r.id for r in left} and (second.id in {r.id for r in left}) == (second.id != first.id)
    assert lamp in _all_pages(sessions, QueueFilter(type="complaint"), 2)
    assert lamp not in _all_pages(sessions, QueueFilter(type="intervention"), 2)
    assert set(_all_pages(sessions, QueueFilter(review="done"), 2)) == {first.id, lamp}
    row = next(r for r in queue.page(sessions, QueueFilter(type="complaint"), None, 100).rows if r.id == lamp)  # type: ignore[arg-type]
    assert row.reviewed_by == "sara" and row.urgency == "high"
    items = {i.message_pk: i for i in queries.feed(sessions, 0, 100, FeedFilter()).items}  # type: ignore[arg-type]
    assert items[lamp].correction is not None and items[lamp].correction.operator == "sara"
    assert items[lamp].correction.type == "complaint" and items[lamp].type != "complaint"  # the model's label stays
    accepted = items[first.id].correction
    assert accepted is not None and accepted.operator == "anna" and accepted.previous_type == accepted.type


def test_search_subject_text_and_sender(store_url: str, classifier: object) -> None:
    sessions, pks = _store(store_url, classifier)
    assert search.search(sessions, "lampione")[0] == [pks["Lampione spento"]]  # type: ignore[arg-type]
    assert search.search(sessions, "centrale termica")[0] == [pks["URGENTE gas"]]  # type: ignore[arg-type]
    assert search.search(sessions, "cittadino3")[0] == [pks["Richiesta"]]  # type: ignore[arg-type]  # the sender
    assert search.search(sessions, "perche nessuno")[0] == []  # type: ignore[arg-type]  # every word must occur
    assert search.search(sessions, "nessuno passato")[0] == [pks["Sollecito buca"]]  # type: ignore[arg-type]
    assert search.search(sessions, "palo pericolante")[0] == [pks["pec"]]  # type: ignore[arg-type]  # the PEC's original
    if store_url.startswith("postgresql"):
        assert search.search(sessions, "lampioni")[0] == [pks["Lampione spento"]]  # type: ignore[arg-type]  # Italian stems
    first, cursor = search.search(sessions, "via", limit=1)  # type: ignore[arg-type]  # via Roma, via Verdi
    rest, last = search.search(sessions, "via", before=cursor, limit=100)  # type: ignore[arg-type]
    assert first + rest == [pks["Sollecito buca"], pks["Lampione spento"]] and cursor == first[-1] and last is None
    assert search.indexed_count(sessions) == len(pks)  # type: ignore[arg-type]
    assert search.index_pending(sessions) == 0  # type: ignore[arg-type]  # each message indexed once


def test_replays_record_who(store_url: str, classifier: object) -> None:
    sessions, pks = _store(store_url, classifier)
    with sessions.begin() as s:  # type: ignore[attr-defined]
        s.add(OutboxItem(message_pk=pks["Reclamo"], target="routing", idempotency_key="k", payload={}, status=OutboxStatus.DEAD,
                         attempts=3, last_error="HTTP 400: refused"))
    dead = deadletters.listing(sessions)  # type: ignore[arg-type]
    assert [(d.message_pk, d.subject, d.replays) for d in dead] == [(pks["Reclamo"], "Reclamo", [])]
    assert deadletters.replay(sessions, dead[0].id, "sara")  # type: ignore[arg-type]
    assert not deadletters.replay(sessions, dead[0].id, "sara")  # type: ignore[arg-type]  # no longer dead
    assert deadletters.listing(sessions) == []  # type: ignore[arg-type]
    assert [r.operator for r in deadletters.replays_of(sessions, pks["Reclamo"])] == ["sara"]  # type: ignore[arg-type]
