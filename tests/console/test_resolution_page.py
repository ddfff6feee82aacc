"""The message page's "Segna come risolta" and "Riapri": CSRF-checked, recorded with the
operator's name, shown on the page, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.console.conftest import Console, csrf_of
from tests.triage.helpers import mail, receipt_mail
from triage import queries


def test_an_operator_resolves_and_reopens_a_request(bare_console: Console) -> None:
    pipeline = bare_console.services.pipeline
    pk, _ = pipeline.store_raw(mail(1), "contatti", "INBOX", 1, "1")
    client, _ = bare_console.login("luca")
    page = client.get(f"/console/messages/{pk}").text
    assert "aperta" in page and "Segna come risolta" in page and "Riapri" not in page
    forged = client.post(f"/console/messages/{pk}/resolution", data={"action": "resolve", "csrf": "forged"})
    assert forged.status_code == 403
    assert queries.message_detail(bare_console.services.sessions, pk).resolved_at is None  # type: ignore[union-attr]

    done = client.post(f"/console/messages/{pk}/resolution", data={"action": "resolve", "csrf": csrf_of(page)},
                       follow_redirects=True)
    assert done.status_code == 200 and "Richiesta segnata come risolta" in done.text
    detail = queries.message_detail(bare_console.services.sessions, pk)
    assert detail is not None and detail.resolved_by == "luca" and detail.resolved_at is not None
    assert "<strong>risolta</strong> il" in done.text and "da luca" in done.text and "Riapri" in done.text
    assert "Richiesta risolta" in done.text  # in the history

    again = client.post(f"/console/messages/{pk}/resolution", data={"action": "reopen", "csrf": csrf_of(done.text)},
                        follow_redirects=True)
    assert "Richiesta riaperta" in again.text and "Segna come risolta" in again.text
    assert queries.message_detail(bare_console.services.sessions, pk).resolved_at is None  # type: ignore[union-attr]
    token = csrf_of(again.text)
    assert client.post(f"/console/messages/{pk}/resolution", data={"action": "drop", "csrf": token}).status_code == 422
    assert client.post("/console/messages/999999/resolution", data={"action": "resolve", "csrf": token}).status_code == 404
    receipt, _ = pipeline.store_raw(receipt_mail("<msg1@test.smista>"), "pec", "INBOX", 1, "2")
    pipeline.process(receipt)
    refused = client.post(f"/console/messages/{receipt}/resolution", data={"action": "resolve", "csrf": token})
    assert refused.status_code == 422 and "ricevuta PEC" in refused.text
