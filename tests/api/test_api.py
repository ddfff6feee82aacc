"""The API as downstream systems and operators use it, over HTTP against uvicorn."""

from __future__ import annotations

import shutil
import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
from email.message import EmailMessage

GAS = {"subject": "urgente", "body": "C'è un forte odore di gas nella centrale termica della scuola", "sender": "a@b.it"}


def test_health_ready_and_metrics_need_no_key(served):
    with served.client(None) as c:
        assert c.get("/health").json() == {"status": "ok", "workers": {}}
        ready = c.get("/ready").json()
        assert (ready["ready"], ready["model"], ready["database"]) == (True, True, True) and ready["model_version"]
        c.post("/v1/classify", json=GAS)
        assert "smista_http_request_seconds" in c.get("/metrics").text


def test_keys_and_scopes(served):
    with served.client(None) as c:
        r = c.post("/v1/classify", json=GAS)
        assert r.status_code == 401 and "X-API-Key" in r.json()["error"]
        assert c.post("/v1/classify", json=GAS, headers={"X-API-Key": "smk_wrong"}).status_code == 401
    with served.client("read") as c:
        r = c.post("/v1/messages", json=GAS)
        assert r.status_code == 403 and "write" in r.json()["error"]
        assert c.post("/v1/classify", json=GAS).status_code == 200


def test_classify_json_and_eml_upload(served):
    with served.client("read") as c:
        r = c.post("/v1/classify", json=GAS)
        assert r.status_code == 200 and r.json()["urgency"] == "emergency" and r.json()["type"] == "intervention"
        msg = EmailMessage()
        msg["From"] = "Mario <m@x.it>"
        msg["Subject"] = "Reclamo formale"
        msg.set_content("Presento formale reclamo per i ritardi nella riparazione.")
        r = c.post("/v1/classify", files={"file": ("m.eml", bytes(msg), "message/rfc822")})
        assert r.status_code == 200 and r.json()["type"] == "complaint"
        assert "smista_api_classified_total" in c.get("/metrics").text


def test_classify_takes_the_threads_earlier_request(served):
    reply = {"subject": "Re: lampione via Roma", "body": "Il lampione davanti al civico 12 è spento.", "sender": "m@x.it"}
    with served.client("read") as c:
        alone = c.post("/v1/classify", json=reply).json()
        in_thread = c.post("/v1/classify", json={**reply, "thread": "intervention"}).json()
        assert alone["probabilities"]["type"] != in_thread["probabilities"]["type"]  # the input reaches the model
        assert in_thread["probabilities"]["type"]["reminder"] > alone["probabilities"]["type"]["reminder"]
        r = c.post("/v1/classify", json={**reply, "thread": "richiesta"})
        assert r.status_code == 422 and "thread" in r.json()["error"]
        msg = EmailMessage()
        msg["Subject"] = reply["subject"]
        msg.set_content(reply["body"])
        upload = c.post("/v1/classify", files={"file": ("m.eml", bytes(msg), "message/rfc822")}, data={"thread": "intervention"})
        assert upload.status_code == 200
        assert upload.json()["probabilities"]["type"]["reminder"] > alone["probabilities"]["type"]["reminder"]
        r = c.post("/v1/classify", files={"file": ("m.eml", bytes(msg), "message/rfc822")}, data={"thread": "x"})
        assert r.status_code == 422 and "unknown thread type" in r.json()["error"]


def test_every_error_has_one_shape_and_odd_receipts_are_refused_clearly(served):
    with served.client("read") as c:
        r = c.get("/v1/no-such-endpoint")
        assert r.status_code == 404 and set(r.json()) == {"error"}
        r = c.delete("/v1/classify")
        assert r.status_code == 405 and set(r.json()) == {"error"}
        msg = EmailMessage()
        msg["Subject"], msg["X-Ricevuta"] = "ACCETTAZIONE: prova", "ricevuta-inventata"
        msg.set_content("Ricevuta")
        r = c.post("/v1/classify", files={"file": ("r.eml", bytes(msg), "message/rfc822")})
        assert r.status_code == 422 and "cannot read the uploaded message" in r.json()["error"]


def test_bad_requests_get_json_errors(served):
    with served.client("read") as c:
        r = c.post("/v1/classify", content=b"{not json", headers={"content-type": "application/json"})
        assert r.status_code == 422 and "invalid JSON" in r.json()["error"]
        r = c.post("/v1/classify", json={"subject": "x"})
        assert r.status_code == 422 and "body" in r.json()["error"]
        r = c.post("/v1/classify", content=b"x" * 300_000, headers={"content-type": "application/json"})
        assert r.status_code == 413 and "error" in r.json()
        chunked = iter([b'{"subject": "', b"x" * 150_000, b"x" * 150_000, b'"}'])  # no Content-Length
        r = c.post("/v1/classify", content=chunked, headers={"content-type": "application/json"})
        assert r.status_code == 413 and "over 200000 bytes" in r.json()["error"]
        r = c.post("/v1/classify", files={"file": ("m.eml", b"\r\n\r\n", "message/rfc822")})
        assert r.status_code == 422
        assert c.get("/v1/messages/999999").status_code == 404


def test_submit_read_raw_correct_and_review(served):
    with served.client("write") as w, served.client("read") as r:
        created = w.post("/v1/messages", json={"subject": "info", "body": "Buongiorno, una domanda sul servizio.", "sender": "x@y.it"},
                         params={"wait": "true"})
        assert created.status_code == 201 and created.json()["status"] == "classified"
        pk = created.json()["id"]
        got = r.get(f"/v1/messages/{pk}").json()
        assert got["status"] == "classified" and got["classification"]["model_version"]
        assert got["history"]["sightings"][0]["mailbox"] == "api"
        raw = r.get(f"/v1/messages/{pk}/raw")
        assert raw.headers["content-type"].startswith("message/rfc822") and b"una domanda sul servizio" in raw.content
        before = got["classification"]
        fixed = w.patch(f"/v1/messages/{pk}/label", json={"type": "clarification", "urgency": "low"})
        assert fixed.status_code == 200
        assert fixed.json()["previous"] == {"type": before["type"], "urgency": before["urgency"]}
        history = r.get(f"/v1/messages/{pk}").json()["history"]["corrections"]
        assert history[0]["operator"] == "write-key" and history[0]["type"] == "clarification"
        assert w.patch(f"/v1/messages/{pk}/label", json={"type": "nonsense"}).status_code == 422
        queue = r.get("/v1/review").json()
        assert pk not in [q["id"] for q in queue]
        confidences = [min(q["type_confidence"], q["urgency_confidence"]) for q in queue]
        assert confidences == sorted(confidences)


def test_a_submission_is_answered_once_stored_and_classified_behind(served):
    with served.client("write") as w, served.client("read") as r:
        answers = [w.post("/v1/messages", json={**GAS, "subject": f"urgente {i}"}) for i in range(20)]
        assert {a.status_code for a in answers} == {202}
        assert all(a.headers["location"] == f"/v1/messages/{a.json()['id']}" for a in answers)
        assert len({a.json()["id"] for a in answers}) == 20
        deadline = time.time() + 30
        while time.time() < deadline:
            statuses = {r.get(a.headers["location"]).json()["status"] for a in answers}
            if statuses == {"classified"}:
                break
            time.sleep(0.1)
        assert statuses == {"classified"}
        assert r.get(answers[0].headers["location"]).json()["classification"]["urgency"] == "emergency"


def test_cursor_consumer_sees_every_message_once_while_writing(served):
    written: list[int] = []

    def writer() -> None:
        with served.client("write") as w:
            for i in range(25):
                written.append(w.post("/v1/messages", json={"subject": f"guasto {i}", "body": f"Il lampione {i} è spento"},
                                      params={"wait": "true"}).json()["id"])

    thread = threading.Thread(target=writer)
    thread.start()
    seen: list[int] = []
    cursor = 0
    with served.client("read") as r:
        while True:
            writer_done = not thread.is_alive()  # read before the page: a last write may land meanwhile
            page = r.get("/v1/classifications", params={"after": cursor, "limit": 4}).json()
            seen += [item["message_pk"] for item in page["items"]]
            cursor = page["next_cursor"]
            if not page["items"] and writer_done:
                break
    thread.join()
    assert sorted(seen) == sorted(written) and len(seen) == len(set(seen)) == 25


def test_feed_filters(served):
    with served.client("write") as w:
        w.post("/v1/messages", json=GAS, params={"wait": "true"})
        w.post("/v1/messages", json={"subject": "Reclamo", "body": "Presento formale reclamo per i ritardi."}, params={"wait": "true"})
    with served.client("read") as r:
        emergencies = r.get("/v1/classifications", params={"urgency": "emergency"}).json()["items"]
        assert emergencies and all(i["urgency"] == "emergency" for i in emergencies)
        assert r.get("/v1/classifications", params={"mailbox": "elsewhere"}).json()["items"] == []
        # times carry their offset, and a filter in local time means the same instant
        stamp = datetime.fromisoformat(emergencies[0]["classified_at"])
        assert stamp.utcoffset() == timedelta(0)
        rome = (stamp + timedelta(seconds=1)).astimezone(ZoneInfo("Europe/Rome")).isoformat()
        assert emergencies[0]["cursor"] in [i["cursor"] for i in r.get("/v1/classifications", params={"until": rome}).json()["items"]]
        assert emergencies[0]["cursor"] not in [i["cursor"] for i in r.get("/v1/classifications", params={"since": rome}).json()["items"]]


def test_a_newer_model_is_served_without_restart(served):
    models = served.settings.models
    current = next(models.iterdir())
    failures: list[int] = []
    stop = threading.Event()

    def traffic() -> None:
        with served.client("read") as c:
            while not stop.is_set():
                status = c.post("/v1/classify", json=GAS).status_code
                if status != 200:
                    failures.append(status)

    thread = threading.Thread(target=traffic)
    thread.start()
    with served.client(None) as c:
        assert c.get("/ready").json()["model_version"] == current.name
        newer = models / "29991231-235959"
        shutil.copytree(current.resolve(), newer)
        meta = (newer / "metadata.json").read_text().replace(f'"version": "{current.name}"', f'"version": "{newer.name}"')
        (newer / "metadata.json").write_text(meta)
        deadline = time.time() + 30
        while time.time() < deadline and c.get("/ready").json()["model_version"] != newer.name:
            time.sleep(0.3)
        assert c.get("/ready").json()["model_version"] == newer.name
    stop.set()
    thread.join()
    assert failures == []
