"""The ``smista`` command line: one module per audience (model, service, admin, corpus)."""

from triage.cli import admin, backfill, corpus, faq, model, report, service, users  # noqa: F401 - each registers its commands
from triage.cli.common import app

__all__ = ["app"]
