"""Construction of the core services from the Settings: one place for the CLI and the API."""

from __future__ import annotations

import logging
import socket

import httpx
from sqlalchemy.orm import sessionmaker

from classifier.bundle import Classifier
from classifier.holder import ModelHolder
from triage.outbox import Dispatcher
from triage.pipeline import Pipeline
from triage.routing import Router
from triage.settings import Settings

log = logging.getLogger(__name__)


def router(settings: Settings) -> Router | None:
    """The routing rules, when a routing URL is configured (read once per process)."""
    return Router.load(settings.rules_file) if settings.routing_url else None


def pipeline(settings: Settings, sessions: sessionmaker, classifier: Classifier | ModelHolder,
             routes: Router | None | bool = True) -> Pipeline:
    """The pipeline; with a routing URL configured, every classification is routed in the same
    transaction. ``routes``: rules already loaded, or True to read them now."""
    router_ = router(settings) if routes is True else routes
    p = Pipeline(sessions, classifier, max_bytes=settings.max_message_bytes, router=router_, oncall=bool(settings.oncall_url))
    p.domains = {mb.name: mb.domain for mb in settings.watched if mb.domain}
    return p


def http_client(timeout: float) -> httpx.Client:
    """Keep-alive client with TCP_NODELAY: without it small POSTs wait 40 ms for delayed ACKs."""
    transport = httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
    return httpx.Client(timeout=timeout, transport=transport)


def dispatcher(settings: Settings, sessions: sessionmaker) -> Dispatcher:
    if settings.routing_secret.get_secret_value() == "change-me" and not settings.api_demo_mode:
        log.warning("SMISTA_ROUTING_SECRET is the placeholder: set a real secret before going live")
    urls = {k: v for k, v in {"routing": settings.routing_url, "oncall": settings.oncall_url}.items() if v}
    return Dispatcher(sessions, http_client(settings.dispatch_timeout), urls,
                      settings.routing_secret.get_secret_value().encode(), max_attempts=settings.dispatch_max_attempts)
