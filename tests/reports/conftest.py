"""A store filled with the seeded rows of tests/triage/report_rows.py, and the report of March 2026 over it."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import reports
from tests.triage.report_rows import DOMAINS, fill
from triage.db import open_store
from triage.settings import Settings

NOW = datetime(2026, 4, 20, 8, 0, tzinfo=timezone.utc)


def settings_for(url: str, **extra) -> Settings:
    from inbox.config import MailboxSettings
    boxes = [MailboxSettings(name=name, url="maildir:///nonexistent", domain=domain) for name, domain in DOMAINS.items()]
    return Settings(database_url=url, mailboxes=boxes, contract_name="Contratto CONSIP FM4 lotto 7", **extra)


@pytest.fixture
def filled(store_url):
    sessions = open_store(store_url)
    return sessions, fill(sessions), settings_for(store_url)


@pytest.fixture
def march(filled):
    sessions, truths, settings = filled
    return reports.build(sessions, reports.month_period(2026, 3), settings, now=NOW), truths
