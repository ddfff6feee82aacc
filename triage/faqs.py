"""Reads and writes of the FAQ: the published collection and its history, the questions read from
messages, the candidates their clusters make, the editors' decisions and the impact counts.

Every function takes an open session and leaves the commit to the caller, like
``triage.corrections``; they return ``triage.faq_schemas`` models or the pure core's types.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from faq.entries import FaqEntry
from triage.faq_models import (ClusterDecision, Decision, FaqParaphrase, FaqProgress, FaqRecord, FaqRevision, FaqStatus,
                               Link, QuestionRecord)
from triage.faq_schemas import (Candidate, DecisionOut, FaqDetail, FaqIn, FaqOut, FaqSuggestion, Impact, QuestionOut, RevisionOut,
                                Share, WeekCount)
from triage.models import Classification, Sighting, StoredMessage, utcnow

PROGRESS = "faq-worker"


class NoFaq(LookupError):
    pass


class NoCandidate(LookupError):
    pass


class AlreadyDecided(ValueError):
    pass


def sender_key(sender: str | None) -> str:
    """Distinct senders are counted by this key; the address itself stays with the message."""
    address = re.findall(r"[\w.+-]+@[\w.-]+", sender or "")
    return hashlib.sha256((address[-1] if address else (sender or "")).strip().lower().encode()).hexdigest()


# --- the published collection ----------------------------------------------------------------------

def _revise(record: FaqRecord, action: str, editor: str) -> None:
    record.revisions.append(FaqRevision(version=record.version, action=action, question=record.question,
                                        answer=record.answer, tags=list(record.tags), editor=editor))


def next_faq_id(session: Session) -> str:
    numbers = [int(m.group(1)) for i in session.scalars(select(FaqRecord.id)) if (m := re.fullmatch(r"FAQ-(\d+)", i))]
    return f"FAQ-{max(numbers, default=0) + 1:04d}"


def publish(session: Session, entry: FaqIn, editor: str, origin: str, faq_id: str | None = None,
            action: str = "approved") -> FaqRecord:
    record = FaqRecord(id=faq_id or next_faq_id(session), question=entry.question.strip(), answer=entry.answer.strip(),
                       tags=[t.strip() for t in entry.tags if t.strip()], status=FaqStatus.PUBLISHED, version=1,
                       origin=origin, published_at=utcnow())
    session.add(record)
    _revise(record, action, editor)
    session.flush()  # defaults (updated_at) are filled, so the caller can return the record
    return record


def edit(session: Session, faq_id: str, entry: FaqIn, editor: str, action: str = "edited") -> FaqRecord:
    record = session.get(FaqRecord, faq_id)
    if record is None:
        raise NoFaq(faq_id)
    changed = (entry.question.strip(), entry.answer.strip(), [t.strip() for t in entry.tags if t.strip()])
    if changed != (record.question, record.answer, list(record.tags)) or record.status != FaqStatus.PUBLISHED:
        record.question, record.answer, record.tags = changed
        record.status, record.version = FaqStatus.PUBLISHED, record.version + 1
        _revise(record, action, editor)
        session.flush()
    return record


def withdraw(session: Session, faq_id: str, editor: str) -> FaqRecord:
    record = session.get(FaqRecord, faq_id)
    if record is None:
        raise NoFaq(faq_id)
    if record.status != FaqStatus.WITHDRAWN:
        record.status, record.version = FaqStatus.WITHDRAWN, record.version + 1
        _revise(record, "withdrawn", editor)
        session.flush()
    return record


def import_entries(session: Session, rows: Iterable[tuple[str, FaqIn]], editor: str) -> tuple[int, int]:
    """An FAQ the contact center already has: new ids are published, known ones revised. (created, updated)"""
    created = updated = 0
    for faq_id, entry in rows:
        record = session.get(FaqRecord, faq_id)
        if record is None:
            publish(session, entry, editor, "imported", faq_id, action="imported")
            created += 1
        else:
            version = record.version
            edit(session, faq_id, entry, editor, action="imported")
            updated += record.version != version
    return created, updated


def entries(session: Session, include_withdrawn: bool = False) -> list[FaqOut]:
    query = select(FaqRecord).order_by(FaqRecord.id)
    if not include_withdrawn:
        query = query.where(FaqRecord.status == FaqStatus.PUBLISHED)
    return [FaqOut.model_validate(r) for r in session.scalars(query)]


def detail(session: Session, faq_id: str, now: datetime | None = None) -> FaqDetail:
    record = session.get(FaqRecord, faq_id, options=[selectinload(FaqRecord.revisions), selectinload(FaqRecord.paraphrases)])
    if record is None:
        raise NoFaq(faq_id)
    return FaqDetail(**FaqOut.model_validate(record).model_dump(), paraphrases=[p.text for p in record.paraphrases],
                     revisions=[RevisionOut.model_validate(r) for r in record.revisions],
                     impact=impact(session, record, now or utcnow()))


def for_matching(session: Session) -> list[FaqEntry]:
    """The published collection as the matcher reads it, paraphrases included."""
    query = (select(FaqRecord).where(FaqRecord.status == FaqStatus.PUBLISHED).order_by(FaqRecord.id)
             .options(selectinload(FaqRecord.paraphrases)))
    return [FaqEntry(r.id, r.question, r.answer, tuple(r.tags), tuple(p.text for p in r.paraphrases))
            for r in session.scalars(query)]


def collection_stamp(session: Session) -> tuple[int, int, str]:
    """Changes whenever the matcher must be rebuilt: an FAQ published, edited, withdrawn, or a paraphrase added."""
    versions = session.scalar(select(func.coalesce(func.sum(FaqRecord.version), 0))) or 0
    count = session.scalar(select(func.count()).select_from(FaqRecord)) or 0
    paraphrases = session.scalar(select(func.max(FaqParaphrase.id)))
    return int(count), int(versions), str(paraphrases)


# --- questions ---------------------------------------------------------------------------------------

def progress(session: Session, lock: bool = False) -> FaqProgress:
    """The worker's cursor; ``lock``: held to the commit, so two FAQ workers never read one batch twice."""
    query = select(FaqProgress).where(FaqProgress.name == PROGRESS)
    row = session.scalar(query.with_for_update() if lock else query)
    if row is None:
        row = FaqProgress(name=PROGRESS, classification_id=0, next_cluster_id=0)
        session.add(row)
        session.flush()
    return row


def classified_after(session: Session, after: int, limit: int) -> list[tuple[int, str, StoredMessage, str | None]]:
    """Classifications after the cursor, oldest first: (id, type, message, first mailbox).

    A message classified again (reprocessed) whose questions are stored already is not read twice."""
    asked = select(QuestionRecord.message_pk)
    rows = session.execute(select(Classification.id, Classification.type, StoredMessage)
                           .join(StoredMessage, StoredMessage.id == Classification.message_pk)
                           .where(Classification.id > after).order_by(Classification.id).limit(limit)).all()
    seen = set(session.scalars(asked.where(QuestionRecord.message_pk.in_([r[2].id for r in rows])))) if rows else set()
    mailboxes = dict(session.execute(select(Sighting.message_pk, func.min(Sighting.mailbox))
                                     .where(Sighting.message_pk.in_([r[2].id for r in rows]))
                                     .group_by(Sighting.message_pk)).all()) if rows else {}
    return [(cid, ("" if message.id in seen else rtype), message, mailboxes.get(message.id)) for cid, rtype, message in rows]


def decision_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(ClusterDecision)) or 0)


@dataclass(frozen=True)
class Asked:
    """A question as the worker found it, before it is stored."""

    message_pk: int
    position: int
    text: str
    sender: str | None
    mailbox: str | None
    domain: str | None
    asked_at: datetime


def add_question(session: Session, asked: Asked, nearest: tuple[str, float] | None, threshold: float) -> QuestionRecord:
    record = QuestionRecord(message_pk=asked.message_pk, position=asked.position, text=asked.text,
                            sender_key=sender_key(asked.sender), mailbox=asked.mailbox, domain=asked.domain,
                            asked_at=asked.asked_at)
    if nearest is not None:
        record.nearest_faq_id, record.nearest_score = nearest
        if nearest[1] >= threshold:
            record.faq_id, record.link = nearest[0], Link.MATCHED
    session.add(record)
    return record


def clustered(session: Session) -> tuple[list[int], np.ndarray, list[int]]:
    """The questions in clusters (those no FAQ answers yet): ids, vectors, cluster ids, in id order."""
    rows = session.execute(select(QuestionRecord.id, QuestionRecord.vector, QuestionRecord.cluster_id)
                           .where(QuestionRecord.cluster_id.is_not(None), QuestionRecord.faq_id.is_(None))
                           .order_by(QuestionRecord.id)).all()
    vectors = np.vstack([np.frombuffer(r.vector, np.float32) for r in rows]) if rows else np.zeros((0, 0), np.float32)
    return [r.id for r in rows], vectors, [int(r.cluster_id) for r in rows]


def set_clusters(session: Session, clusters: dict[int, int]) -> None:
    for cid in set(clusters.values()):
        ids = [q for q, c in clusters.items() if c == cid]
        for start in range(0, len(ids), 500):
            session.execute(update(QuestionRecord).where(QuestionRecord.id.in_(ids[start:start + 500]))
                            .values(cluster_id=cid))


def questions_of(session: Session, message_pk: int) -> list[QuestionOut]:
    query = select(QuestionRecord).where(QuestionRecord.message_pk == message_pk).order_by(QuestionRecord.position)
    return [QuestionOut.model_validate(q) for q in session.scalars(query)]


def suggestions(session: Session, message_pks: Sequence[int]) -> dict[int, list[FaqSuggestion]]:
    """The matched FAQ of each message, best score first, one per FAQ."""
    if not message_pks:
        return {}
    rows = session.execute(
        select(QuestionRecord.message_pk, QuestionRecord.faq_id, func.max(QuestionRecord.nearest_score), FaqRecord.question)
        .join(FaqRecord, FaqRecord.id == QuestionRecord.faq_id)
        .where(QuestionRecord.message_pk.in_(list(message_pks)), QuestionRecord.link == Link.MATCHED,
               FaqRecord.status == FaqStatus.PUBLISHED)
        .group_by(QuestionRecord.message_pk, QuestionRecord.faq_id, FaqRecord.question)).all()
    out: dict[int, list[FaqSuggestion]] = {}
    for pk, faq_id, score, question in rows:
        out.setdefault(pk, []).append(FaqSuggestion(faq_id=str(faq_id), question=question, score=round(float(score or 0.0), 4)))
    for items in out.values():
        items.sort(key=lambda s: -s.score)
    return out


# --- candidates and decisions -------------------------------------------------------------------------

def _members(session: Session, cluster_id: int) -> list[QuestionRecord]:
    return list(session.scalars(select(QuestionRecord).where(QuestionRecord.cluster_id == cluster_id,
                                                             QuestionRecord.faq_id.is_(None)).order_by(QuestionRecord.id)))


def _representatives(members: Sequence[QuestionRecord], k: int) -> list[str]:
    """The questions nearest the cluster's centroid, distinct texts only."""
    vectors = np.vstack([np.frombuffer(m.vector, np.float32) for m in members if m.vector is not None])
    centroid = vectors.mean(axis=0)
    order = np.argsort(-(vectors @ centroid), kind="stable")
    return list(dict.fromkeys(members[i].text for i in order))[:k]


def _shares(values: Iterable[str | None]) -> list[Share]:
    return [Share(name=n, questions=c) for n, c in Counter(values).most_common()]


def _candidate(cluster_id: int, members: Sequence[QuestionRecord], start: datetime, weeks: int) -> Candidate:
    weekly = [0] * weeks
    for m in members:
        weekly[min(weeks - 1, max(0, int((m.asked_at - start) / timedelta(days=7))))] += 1
    nearest = Counter(m.nearest_faq_id for m in members if m.nearest_faq_id)
    nearest_id = nearest.most_common(1)[0][0] if nearest else None
    scores = [m.nearest_score for m in members if m.nearest_faq_id == nearest_id and m.nearest_score is not None]
    return Candidate(cluster_id=cluster_id, questions=len(members), senders=len({m.sender_key for m in members}),
                     first_seen=min(m.asked_at for m in members), last_seen=max(m.asked_at for m in members),
                     weekly=weekly, representatives=_representatives(members, 5), domains=_shares(m.domain for m in members),
                     mailboxes=_shares(m.mailbox for m in members), nearest_faq_id=nearest_id,
                     nearest_score=round(float(np.mean(scores)), 4) if scores else None)


def candidates(session: Session, now: datetime, min_senders: int, window: timedelta, limit: int = 100) -> list[Candidate]:
    """Undecided clusters that ``min_senders`` distinct senders reached in ``(now - window, now]``, most senders first."""
    start = now - window
    decided = select(ClusterDecision.cluster_id)
    senders = func.count(func.distinct(QuestionRecord.sender_key))
    reached = session.execute(
        select(QuestionRecord.cluster_id, senders)
        .where(QuestionRecord.cluster_id.is_not(None), QuestionRecord.faq_id.is_(None), QuestionRecord.asked_at > start,
               QuestionRecord.asked_at <= now, QuestionRecord.cluster_id.not_in(decided))
        .group_by(QuestionRecord.cluster_id).having(senders >= min_senders)
        .order_by(senders.desc(), QuestionRecord.cluster_id).limit(limit)).all()
    weeks = max(1, -(-window.days // 7))
    out = []
    for cluster_id, _ in reached:
        members = [m for m in _members(session, cluster_id or 0) if start < m.asked_at <= now]
        out.append(_candidate(cluster_id or 0, members, start, weeks))
    return out


def candidate(session: Session, cluster_id: int, now: datetime, window: timedelta) -> Candidate:
    members = _members(session, cluster_id)
    if not members:
        raise NoCandidate(f"no open cluster {cluster_id}")
    return _candidate(cluster_id, members, now - window, max(1, -(-window.days // 7)))


def unclustered(session: Session, limit: int = 200) -> list[QuestionOut]:
    """Questions alone in their cluster: shown apart, not hidden in an outlier bucket."""
    singles = (select(QuestionRecord.cluster_id).where(QuestionRecord.cluster_id.is_not(None), QuestionRecord.faq_id.is_(None))
               .group_by(QuestionRecord.cluster_id).having(func.count() == 1))
    query = (select(QuestionRecord).where(QuestionRecord.cluster_id.in_(singles), QuestionRecord.faq_id.is_(None))
             .order_by(QuestionRecord.asked_at.desc()).limit(limit))
    return [QuestionOut.model_validate(q) for q in session.scalars(query)]


def _decide(session: Session, cluster_id: int, decision: Decision, faq_id: str | None, editor: str,
            reason: str | None = None) -> list[QuestionRecord]:
    if session.get(ClusterDecision, cluster_id) is not None:
        raise AlreadyDecided(f"cluster {cluster_id} was decided already")
    members = _members(session, cluster_id)
    if not members:
        raise NoCandidate(f"no open cluster {cluster_id}")
    session.add(ClusterDecision(cluster_id=cluster_id, decision=decision, faq_id=faq_id, editor=editor, reason=reason))
    return members


def _link(record: FaqRecord, members: Sequence[QuestionRecord]) -> None:
    """The cluster's questions now count for that FAQ (impact) and match it (paraphrases)."""
    known = {p.text for p in record.paraphrases} | {record.question}
    for m in members:
        m.faq_id, m.link = record.id, Link.CLUSTER
        if m.text not in known:
            record.paraphrases.append(FaqParaphrase(text=m.text, question_pk=m.id))
            known.add(m.text)


def approve(session: Session, cluster_id: int, entry: FaqIn, editor: str, faq_id: str | None = None) -> DecisionOut:
    """The cluster becomes a published FAQ; its questions become its paraphrases."""
    if faq_id is not None and exists(session, faq_id):
        raise AlreadyDecided(f"an FAQ with id {faq_id} exists already: merge into it instead")
    record = publish(session, entry, editor, "candidate", faq_id)
    members = _decide(session, cluster_id, Decision.APPROVED, record.id, editor)
    _link(record, members)
    return DecisionOut(cluster_id=cluster_id, decision=Decision.APPROVED, faq_id=record.id, editor=editor,
                       questions_linked=len(members))


def merge(session: Session, cluster_id: int, faq_id: str, editor: str) -> DecisionOut:
    """The cluster asks what a published FAQ answers: its questions improve that FAQ's matching."""
    record = session.get(FaqRecord, faq_id, options=[selectinload(FaqRecord.paraphrases)])
    if record is None or record.status != FaqStatus.PUBLISHED:
        raise NoFaq(faq_id)
    members = _decide(session, cluster_id, Decision.MERGED, faq_id, editor)
    _link(record, members)
    record.version += 1
    _revise(record, "merged", editor)
    return DecisionOut(cluster_id=cluster_id, decision=Decision.MERGED, faq_id=faq_id, editor=editor,
                       questions_linked=len(members))


def reject(session: Session, cluster_id: int, editor: str, reason: str | None) -> DecisionOut:
    members = _decide(session, cluster_id, Decision.REJECTED, None, editor, reason)
    return DecisionOut(cluster_id=cluster_id, decision=Decision.REJECTED, faq_id=None, editor=editor,
                       questions_linked=len(members))


def exists(session: Session, faq_id: str) -> bool:
    return session.get(FaqRecord, faq_id) is not None


# --- impact -------------------------------------------------------------------------------------------

def _week(at: datetime) -> str:
    year, week, _ = at.isocalendar()
    return f"{year}-W{week:02d}"


def _weeks(start: datetime, end: datetime) -> list[str]:
    out: list[str] = []
    at = start
    while at <= end:
        if not out or out[-1] != _week(at):
            out.append(_week(at))
        at += timedelta(days=1)
    return out


def impact(session: Session, record: FaqRecord, now: datetime) -> Impact:
    asked = list(session.scalars(select(QuestionRecord.asked_at).where(QuestionRecord.faq_id == record.id)))
    published = record.published_at
    before = [a for a in asked if a < published]
    after = [a for a in asked if a >= published]
    counted_before, counted_after = Counter(_week(a) for a in before), Counter(_week(a) for a in after)
    before_weeks = _weeks(min(before), published - timedelta(seconds=1)) if before else []
    after_weeks = _weeks(published, max(now, published))
    return Impact(faq_id=record.id, published_at=published,
                  before=[WeekCount(week=w, questions=counted_before[w]) for w in before_weeks],
                  after=[WeekCount(week=w, questions=counted_after[w]) for w in after_weeks],
                  weekly_before=round(len(before) / len(before_weeks), 3) if before_weeks else 0.0,
                  weekly_after=round(len(after) / len(after_weeks), 3) if after_weeks else 0.0)
