"""The message page shows the FAQ the worker found for it, for the operator who answers."""

from __future__ import annotations

from tests.console.conftest import Console
from tests.triage.test_faqs import classified, drain, published
from triage.db import open_store
from triage.faq_worker import FaqWorker


def test_the_message_page_lists_its_faq_suggestions(bare_console: Console) -> None:
    from faq.signals import E5Embedder

    sessions = open_store(bare_console.settings.database)
    published(sessions)
    asks = classified(sessions, 1, "Buongiorno, ho dimenticato la password del portale: cosa devo fare?")
    other = classified(sessions, 2, "Il lampione di via Roma 12 è spento.", request_type="intervention")
    drain(FaqWorker(bare_console.settings, sessions, E5Embedder()))
    client, _ = bare_console.login("anna")
    page = client.get(f"/console/messages/{asks}").text
    assert "FAQ che rispondono" in page and "Ho dimenticato la password del portale" in page
    assert "FAQ che rispondono" not in client.get(f"/console/messages/{other}").text
