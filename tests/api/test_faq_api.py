"""The FAQ over HTTP: the published collection, candidates and the editors' decisions, with
scopes; suggestions in the message and the feed."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.triage.test_faqs import CHARGING, classified, drain, published
from triage.db import open_store
from triage.faq_worker import FaqWorker


@pytest.fixture(scope="module")
def embedder():
    from faq.signals import E5Embedder
    return E5Embedder()


def test_candidates_decided_by_an_editor_over_http(served, embedder):
    sessions = open_store(served.settings.database)
    published(sessions)
    start = datetime.now(timezone.utc) - timedelta(days=20)
    for i, text in enumerate(CHARGING):
        classified(sessions, 100 + i, text, when=start + timedelta(days=i))
    asks = classified(sessions, 120, "Buongiorno, ho dimenticato la password del portale: cosa devo fare?")
    drain(FaqWorker(served.settings, sessions, embedder))
    reader, editor = served.client("read"), served.client("faq")

    assert [f["id"] for f in reader.get("/v1/faq").json()] == ["fattura", "lampione", "orari", "password", "reclamo"]
    message = reader.get(f"/v1/messages/{asks}").json()
    assert [s["faq_id"] for s in message["faq_suggestions"]] == ["password"]
    feed = {i["message_pk"]: i for i in reader.get("/v1/classifications").json()["items"]}
    assert feed[asks]["faq_suggestions"][0]["question"].startswith("Ho dimenticato la password")

    (candidate,) = reader.get("/v1/faq/candidates").json()
    assert candidate["senders"] == 5 and candidate["representatives"]
    cid = candidate["cluster_id"]
    assert reader.get(f"/v1/faq/candidates/{cid}").json()["questions"] == 5
    body = {"question": "Posso installare una colonnina di ricarica in cortile?", "answer": "Con il voto dell'assemblea."}
    assert reader.post(f"/v1/faq/candidates/{cid}/approve", json=body).status_code == 403  # read scope only
    assert editor.post(f"/v1/faq/candidates/{cid}/approve", json={**body, "extra": 1}).status_code == 422
    approved = editor.post(f"/v1/faq/candidates/{cid}/approve", json=body)
    assert approved.status_code == 201, approved.text
    assert approved.json() | {} == {"cluster_id": cid, "decision": "approved", "faq_id": "FAQ-0001", "editor": "faq-key",
                                    "questions_linked": 5}
    assert editor.post(f"/v1/faq/candidates/{cid}/reject", json={}).status_code == 409
    assert editor.post("/v1/faq/candidates/999/merge", json={"faq_id": "orari"}).status_code == 404
    assert reader.get("/v1/faq/candidates").json() == []

    detail = reader.get("/v1/faq/FAQ-0001").json()
    assert len(detail["paraphrases"]) == 5 and sum(w["questions"] for w in detail["impact"]["before"]) == 5
    edited = editor.put("/v1/faq/FAQ-0001", json={**body, "answer": "Serve il voto dell'assemblea condominiale."})
    assert edited.json()["version"] == 2
    assert editor.delete("/v1/faq/orari").json()["status"] == "withdrawn"
    assert "orari" not in [f["id"] for f in reader.get("/v1/faq").json()]
    assert [r["action"] for r in reader.get("/v1/faq/orari").json()["revisions"]] == ["imported", "withdrawn"]
    assert reader.get("/v1/faq/nope").status_code == 404
    assert editor.post("/v1/faq", json={**body, "faq_id": "password"}).status_code == 409
