"""Dead letters: deliveries that failed for good, listed and replayed by an admin."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Path, Request

from api.deps import require
from triage.outbox import dead_letters, replay

router = APIRouter(prefix="/v1/deadletters", tags=["dead letters"])


@router.get("", dependencies=[require("admin")])
def listing(request: Request) -> list[dict]:
    return [{"id": d.id, "message_id": d.message_pk, "target": d.target, "attempts": d.attempts, "error": d.last_error,
             "created_at": d.created_at} for d in dead_letters(request.app.state.sessions)]


@router.post("/{item_id}/replay", dependencies=[require("admin")])
def replay_one(request: Request, item_id: int = Path(ge=1, le=2**31 - 1)) -> dict:
    if not replay(request.app.state.sessions, item_id):
        raise HTTPException(404, f"no dead letter {item_id}")
    return {"id": item_id, "status": "pending"}
