"""Construction of the core services from the Settings: one place for the CLI and the API.

The CLI builds :class:`Services` once and hands them to ``api.app.create_app``; the app only
starts and stops what it is given.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from inbox.documents import Budget
from inbox.reading import DocumentReader
from inbox.signature import verify_signature
from triage.db import Sessions, open_store
from triage.holder import ModelHolder
from triage.intake import Intake
from triage.outbox import Dispatcher
from triage.pipeline import Classifies, Pipeline
from triage.poller import Poller
from triage.routing import Router
from triage.settings import Settings
from triage.workers import Worker, Workers

log = logging.getLogger(__name__)
PLACEHOLDER_SECRET = "change-me"


class ConfigError(ValueError):
    """The settings cannot run the service as asked."""


def router(settings: Settings) -> Router | None:
    """The routing rules, when a routing URL is configured (read once per process)."""
    return Router.load(settings.rules_file) if settings.routing_url else None


def pipeline(settings: Settings, sessions: Sessions, classifier: Classifies, routes: Router | None | bool = True,
             alerts: bool = True) -> Pipeline:
    """The pipeline; with a routing URL configured, every classification is routed in the same
    transaction. ``routes``: rules already loaded, or True to read them now (False: none);
    ``alerts``: emergencies raise on-call alerts where an on-call URL is configured."""
    router_ = router(settings) if routes is True else routes
    return Pipeline(sessions, classifier, check_signature=verify_signature, max_bytes=settings.max_message_bytes,
                    router=router_ or None, oncall=alerts and bool(settings.oncall_url),
                    domains={mb.name: mb.domain for mb in settings.watched if mb.domain},
                    max_attempts=settings.max_attempts, documents=documents(settings))


def archive_pipeline(settings: Settings, route: bool = False) -> Pipeline:
    """A backfill process's pipeline, on its own connections and model: archived mail is routed
    and raises alerts only when asked (``smista backfill --route``)."""
    return pipeline(settings, open_store(settings.database), ModelHolder(settings.models), routes=route, alerts=route)


def documents(settings: Settings) -> DocumentReader | None:
    """The attachment reader of the settings' budgets; None when reading attachments is off."""
    if not settings.read_attachments:
        return None
    budget = Budget(max_bytes=settings.attachment_max_bytes, max_pages=settings.attachment_max_pages,
                    seconds=settings.attachment_seconds, message_seconds=settings.attachment_message_seconds)
    return DocumentReader(budget, ocr=settings.attachment_ocr, memory_mb=settings.attachment_memory_mb)


def poller(settings: Settings, sessions: Sessions, pipeline_: Pipeline,
           fault: Callable[[str], None] | None = None) -> Poller:
    """The poller of the configured mailboxes; ``fault`` is the crash tests' hook."""
    poller_ = Poller(settings.watched, pipeline_, sessions, lease_seconds=settings.poll_lease_seconds)
    if fault is not None:
        poller_.fault = fault
    return poller_


def http_client(timeout: float) -> httpx.Client:
    """Keep-alive client with TCP_NODELAY: without it small POSTs wait 40 ms for delayed ACKs."""
    transport = httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
    return httpx.Client(timeout=timeout, transport=transport)


def dispatcher(settings: Settings, sessions: Sessions) -> Dispatcher:
    """The outbox dispatcher; refuses the placeholder secret outside demo mode, since receivers
    would then accept deliveries signed by anyone who read the README."""
    secret = settings.routing_secret.get_secret_value()
    if secret == PLACEHOLDER_SECRET:
        if not settings.api_demo_mode:
            raise ConfigError("SMISTA_ROUTING_SECRET is the placeholder: set a real secret to deliver to the routing API")
        log.warning("demo mode: deliveries are signed with the placeholder secret")
    urls = {k: v for k, v in {"routing": settings.routing_url, "oncall": settings.oncall_url}.items() if v}
    return Dispatcher(sessions, http_client(settings.dispatch_timeout), urls, secret.encode(),
                      max_attempts=settings.dispatch_max_attempts)


@dataclass
class Services:
    """What one smista process runs: the store, the model in service, the pipeline and its workers."""

    settings: Settings
    sessions: Sessions
    models: ModelHolder
    router: Router | None
    pipeline: Pipeline
    workers: Workers
    poller: Poller | None = None
    intake: Intake | None = None
    #: The reader of ``/v1/classify`` uploads: its own worker process, so that an upload never
    #: waits behind the poller's faxes, nor the poller behind uploads.
    uploads: DocumentReader | None = None

    def __post_init__(self) -> None:
        if self.intake is None:
            self.intake = Intake(self.pipeline, max_backlog=self.settings.api_submission_backlog)


def build(settings: Settings, models: ModelHolder | None = None, poll: bool = False, dispatch: bool | None = None,
          fault: Callable[[str], None] | None = None, faq: bool = False) -> Services:
    """``poll``: watch the mailboxes from this process; ``dispatch``: deliver the outbox from it
    (default: whenever a routing URL is configured); ``faq``: read the questions of new requests
    (unless ``SMISTA_FAQ_WORKER`` is false)."""
    sessions = open_store(settings.database)
    holder = models or ModelHolder(settings.models)
    routes = router(settings)
    pipe = pipeline(settings, sessions, holder, routes)
    running: list[Worker] = []
    watcher = poller(settings, sessions, pipe, fault) if poll else None
    if watcher is not None:
        running.append(watcher)
    if settings.routing_url if dispatch is None else dispatch:
        running.append(dispatcher(settings, sessions))
    if faq and settings.faq_worker:
        from triage.faq_worker import FaqWorker  # scikit-learn and e5: only in the process that reads questions
        running.append(FaqWorker(settings, sessions))
    return Services(settings, sessions, holder, routes, pipe, Workers(running), watcher, uploads=documents(settings))
