"""``POST``/``DELETE /v1/messages/{id}/resolution`` against the real server on SQLite and
PostgreSQL: the ticketing system closes and reopens a request with a write key."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tests.console.conftest import Console, bare_console  # noqa: F401 - the fixture, on both databases
from tests.triage.helpers import mail
from triage import apikeys
from triage.models import StoredMessage


def test_the_ticketing_system_resolves_and_reopens(bare_console: Console) -> None:  # noqa: F811
    services = bare_console.services
    pk, _ = services.pipeline.store_raw(mail(1), "contatti", "INBOX", 1, "1")
    with services.sessions.begin() as s:  # it arrived this morning
        s.get(StoredMessage, pk).received_at = datetime.now(timezone.utc) - timedelta(hours=3)
    write = apikeys.create(services.sessions, "ticketing", ["write"])
    with bare_console.client(headers={"X-API-Key": write}) as api, \
            bare_console.client(headers={"X-API-Key": bare_console.keys["read"]}) as reader:
        arrived = datetime.fromisoformat(reader.get(f"/v1/messages/{pk}").json()["received_at"])
        assert reader.get(f"/v1/messages/{pk}").json()["resolved_at"] is None
        assert reader.post(f"/v1/messages/{pk}/resolution").status_code == 403  # a read key may not
        at = arrived + timedelta(hours=2)
        done = api.post(f"/v1/messages/{pk}/resolution", json={"resolved_at": at.isoformat()})
        assert done.status_code == 200, done.text
        assert datetime.fromisoformat(done.json()["resolved_at"]) == at and done.json()["resolved_by"] == "ticketing"
        detail = reader.get(f"/v1/messages/{pk}").json()
        assert datetime.fromisoformat(detail["resolved_at"]) == at and detail["resolved_by"] == "ticketing"
        now = api.post(f"/v1/messages/{pk}/resolution")  # no body: resolved now
        assert abs(datetime.fromisoformat(now.json()["resolved_at"]) - datetime.now(timezone.utc)) < timedelta(minutes=1)
        for when in (arrived - timedelta(minutes=1), datetime.now(timezone.utc) + timedelta(hours=1)):
            refused = api.post(f"/v1/messages/{pk}/resolution", json={"resolved_at": when.isoformat()})
            assert refused.status_code == 422 and "error" in refused.json(), refused.text
        assert api.post(f"/v1/messages/{pk}/resolution", json={"resolved_at": "2026-13-01"}).status_code == 422
        assert api.post("/v1/messages/999999/resolution").status_code == 404
        reopened = api.delete(f"/v1/messages/{pk}/resolution")
        assert reopened.status_code == 200 and reopened.json() == {"id": pk, "resolved_at": None, "resolved_by": None}
        assert reader.get(f"/v1/messages/{pk}").json()["resolved_at"] is None
        assert api.delete("/v1/messages/999999/resolution").status_code == 404
    spec = bare_console.client().get("/openapi.json").json()
    assert {"post", "delete"} <= set(spec["paths"]["/v1/messages/{pk}/resolution"])
    assert "resolved_at" in spec["components"]["schemas"]["MessageDetail"]["properties"]
