"""Dead letters: deliveries that failed for good, listed and replayed by an admin."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Path
from pydantic import BaseModel

from api.deps import Admin, Sessions
from triage import queries
from triage.models import OutboxStatus
from triage.deadletters import replay
from triage.schemas import DeadLetter

router = APIRouter(prefix="/v1/deadletters", tags=["dead letters"])


class Replayed(BaseModel):
    id: int
    status: str


@router.get("", response_model=list[DeadLetter])
def listing(sessions: Sessions, _: Admin) -> list[DeadLetter]:
    return queries.dead_letters(sessions)


@router.post("/{item_id}/replay", response_model=Replayed)
def replay_one(sessions: Sessions, operator: Admin, item_id: int = Path(ge=1, le=2**31 - 1)) -> Replayed:
    if not replay(sessions, item_id, operator):
        raise HTTPException(404, f"no dead letter {item_id}")
    return Replayed(id=item_id, status=OutboxStatus.PENDING)
