"""Full-text search over the subject, the text and the sender of every message.

The index is the database's own (migration 0008): SQLite FTS5, PostgreSQL ``tsvector`` with
the Italian configuration. A message's text is in its raw bytes only, so the index is filled by
parsing them (:func:`index_pending`), which :class:`SearchIndexer` does as a worker beside the
API within a second of a message being processed (its attachments' text, read at intake, is
indexed with it), and which every search does first for what is still missing; a processed
message never changes, so each is indexed once. Results are the
newest first, paged by keyset on the message id.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inbox.incoming import read, stored
from triage.db import Sessions
from triage.models import MessageStatus, StoredMessage

log = logging.getLogger(__name__)
WINDOW = 5000  # ids below the newest indexed one still checked: writers on PostgreSQL commit out of id order
_WORDS = re.compile(r"\w+", re.UNICODE)


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def document(raw: bytes, subject: str | None, sender: str | None,
             attachments: list[dict[str, Any]] | None = None) -> tuple[str, str, str]:
    """(subject, text, sender) as indexed: the sender's text as written, then the text read from
    its attachments at intake; a message that cannot be parsed is indexed by the subject and
    sender stored with it."""
    try:
        incoming = read(raw, documents=stored(attachments))
        text_ = f"{incoming.request.body}\n\n{incoming.request.attachment}".strip()
        return incoming.subject or subject or "", text_[:200_000], incoming.content.sender or sender or ""
    except Exception:  # noqa: BLE001 - a message smista stored as failed is still findable by subject and sender
        return subject or "", "", sender or ""


def _missing(session: Session, limit: int) -> list[tuple[int, bytes, str | None, str | None, Any]]:
    """Messages processed (so their attachments were read) and not indexed yet."""
    key = "message_pk" if _is_postgres(session) else "rowid"
    newest = session.scalar(text(f"SELECT max({key}) FROM message_search")) or 0
    query = (select(StoredMessage.id, StoredMessage.raw, StoredMessage.subject, StoredMessage.sender, StoredMessage.attachments)
             .where(StoredMessage.id > newest - WINDOW, StoredMessage.status != MessageStatus.STORED,
                    text(f"NOT EXISTS (SELECT 1 FROM message_search WHERE message_search.{key} = messages.id)"))
             .order_by(StoredMessage.id).limit(limit))
    return [(pk, raw, subject, sender, attachments) for pk, raw, subject, sender, attachments in session.execute(query)]


def insert_documents(session: Session, rows: list[dict[str, object]]) -> None:
    """Add (pk, subject, body, sender) rows to the index (``bench/console.py`` fills it in bulk too)."""
    if _is_postgres(session):
        session.execute(text(
            "INSERT INTO message_search (message_pk, document) VALUES (:pk, "
            "setweight(to_tsvector('italian', :subject), 'A') || to_tsvector('italian', :body) || "
            "setweight(to_tsvector('italian', regexp_replace(:sender, '[^[:alnum:]]+', ' ', 'g')), 'B')) "
            "ON CONFLICT (message_pk) DO NOTHING"), rows)
    else:
        session.execute(text("INSERT INTO message_search (rowid, subject, body, sender) "
                             "VALUES (:pk, :subject, :body, :sender)"), rows)


def index_pending(sessions: Sessions, limit: int = 500) -> int:
    """Index up to ``limit`` stored messages the index lacks; returns how many."""
    with sessions() as s:
        todo = _missing(s, limit)
    if not todo:
        return 0
    rows: list[dict[str, object]] = []
    for pk, raw, subject, sender, attachments in todo:
        subj, body, who = document(raw, subject, sender, attachments)
        rows.append({"pk": pk, "subject": subj.replace("\x00", ""), "body": body.replace("\x00", ""),
                     "sender": who.replace("\x00", "")})
    try:
        with sessions.begin() as s:
            insert_documents(s, rows)
    except IntegrityError:  # another process indexed some of them first: the next round takes the rest
        log.debug("search index: a concurrent indexer was first")
        return 0
    return len(rows)


def fts_query(words: str) -> str:
    """The user's words as an FTS5 query: every word must occur, as a word or a word's start."""
    return " ".join(f'"{w}"*' for w in _WORDS.findall(words)[:20])


def search(sessions: Sessions, words: str, before: int | None = None, limit: int = 50) -> tuple[list[int], int | None]:
    """Ids of the messages matching every word, newest first, and the cursor of the next page."""
    if not _WORDS.search(words):
        return [], None
    index_pending(sessions, limit=2000)
    with sessions() as s:
        dialect = s.get_bind().dialect.name
        query = words[:500] if dialect == "postgresql" else fts_query(words)
        pks = [pk for (pk,) in s.execute(text(statement_sql(dialect, bool(before))),
                                         {"q": query, "n": limit + 1, "before": before})]
    more, pks = len(pks) > limit, pks[:limit]
    return pks, (pks[-1] if more and pks else None)


def statement_sql(dialect: str, before: bool) -> str:
    """The search's SQL as run, for ``bench/console.py`` to print its plan."""
    if dialect == "postgresql":
        return ("SELECT message_pk FROM message_search WHERE document @@ websearch_to_tsquery('italian', :q)"
                + (" AND message_pk < :before" if before else "") + " ORDER BY message_pk DESC LIMIT :n")
    return ("SELECT rowid FROM message_search WHERE message_search MATCH :q"
            + (" AND rowid < :before" if before else "") + " ORDER BY rowid DESC LIMIT :n")


def indexed_count(sessions: Sessions) -> int:
    with sessions() as s:
        return int(s.scalar(select(func.count()).select_from(text("message_search"))) or 0)


@dataclass
class SearchIndexer:
    """The worker that keeps the index within a second of the store (``triage.workers`` shape)."""

    sessions: Sessions
    idle: float = 1.0
    name: str = "search-index"
    counters: dict[str, int] = field(default_factory=lambda: {"indexed": 0})

    def run_once(self) -> int:
        done = index_pending(self.sessions)
        self.counters["indexed"] += done
        return done

    def run_forever(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                if self.run_once() == 0:
                    stop.wait(self.idle)
            except Exception:  # noqa: BLE001 - logged, and tried again a little later
                log.exception("search indexing round failed")
                stop.wait(5.0)
