"""GET /v1/classifications: the feed for downstream systems, with a stable cursor.

The cursor is the classification's id, which only grows: a consumer that passes back
``next_cursor`` as ``after`` sees every classification once, in order, including those written
while it reads (``triage.db.lock_feed`` says why ids commit in order).
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Query

from api.deps import Reader, Sessions
from triage import queries
from triage.schemas import Feed, FeedFilter

router = APIRouter(prefix="/v1", tags=["feed"])


@router.get("/classifications", response_model=Feed)
def feed(sessions: Sessions, _: Reader, after: int = Query(0, ge=0, le=2**31 - 1), limit: int = Query(100, ge=1, le=1000),
         type: str | None = None, urgency: str | None = None, mailbox: str | None = None,
         needs_review: bool | None = None, since: datetime | None = None, until: datetime | None = None) -> Feed:
    return queries.feed(sessions, after, limit, FeedFilter(type=type, urgency=urgency, mailbox=mailbox,
                                                           needs_review=needs_review, since=since, until=until))
