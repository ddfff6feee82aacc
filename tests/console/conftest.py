"""The console served by a real uvicorn on loopback, on a store of messages classified by the
trained model, routed to a real receiver that refuses some of them (the dead letters)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import uvicorn

from tests.api.conftest import serve_services
from tests.servers.receiver import Receiver
from tests.triage.helpers import mail, pec_mail, receipt_mail
from triage import apikeys, users
from triage.service import Services, build
from triage.settings import Settings

PROJECT = Path(__file__).resolve().parents[2]
SECRET = "console-test-secret"
PASSWORDS = {"anna": "anna-password-1", "sara": "sara-password-1", "luca": "luca-password-1"}
ROLES = {"anna": "operator", "sara": "supervisor", "luca": "operator"}
#: The messages of the console's store: (subject, body); the quoted one shows the folded history.
MESSAGES = [
    ("URGENTE gas", "C'è un forte odore di gas nella centrale termica della scuola Pascoli, venite subito"),
    ("Lampione spento", "Il lampione di via Roma 12 è spento da tre giorni. Grazie, Mario"),
    ("Reclamo", "Presento formale reclamo per i ritardi nella riparazione della caldaia."),
    ("Richiesta", "Salve, vi scrivo per la questione di cui abbiamo parlato al telefono."),
    ("Informazioni", "Buongiorno, vorrei delle informazioni. Grazie"),
    ("Segnalazione", "Il cancello della scuola non si chiude bene, inoltre vorrei sapere a che punto è la pratica 1234."),
    ("Sollecito buca", "Vi ho già scritto tre volte per la buca di via Verdi, ancora nessuno è passato.\n\n"
                       "Il giorno 20/11/2026 Ufficio Strade ha scritto:\n> Gentile cittadino, abbiamo preso in carico la segnalazione."),
    # too vague for any model to be sure of: the review queue has these whatever the model's thresholds
    ("info", "vorrei sapere"),
    ("Oggetto", "come d'accordo"),
]


@dataclass
class Console:
    url: str
    settings: Settings
    services: Services
    receiver: Receiver | None
    keys: dict[str, str]
    pks: dict[str, int] = field(default_factory=dict)

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)  # type: ignore[arg-type]

    def login(self, name: str, password: str | None = None, client: httpx.Client | None = None) -> tuple[httpx.Client, httpx.Response]:
        """Log in as the login page does: its form's token, then the post."""
        c = client or self.client()
        form = c.get("/console/login")
        token = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert token, form.text[:500]
        reply = c.post("/console/login", data={"name": name, "password": password or PASSWORDS[name],
                                               "csrf": token.group(1), "next": "/console/queue"}, follow_redirects=True)
        return c, reply


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def _serve(services: Services) -> tuple[uvicorn.Server, threading.Thread, str]:
    return serve_services(services)


def _model_dir(trained: object | None, tmp: Path) -> Path:
    models = tmp / "models"
    models.mkdir(exist_ok=True)
    if trained is not None:
        directory = trained.directory  # type: ignore[attr-defined]
        (models / directory.name).symlink_to(directory)
    return models


def start(tmp: Path, url: str, trained: object | None = None, behaviour: Callable[..., str] | None = None,
          **overrides: object) -> Iterator[Console]:
    """Accounts, API keys, messages (classified when a model is given) and the server."""
    receiver = Receiver(SECRET.encode(), behaviour).start() if behaviour is not None else None
    settings = Settings(project_dir=tmp, models_dir=_model_dir(trained, tmp), database_url=url,
                        routing_url=f"{receiver.url}/route" if receiver else None, routing_rules=PROJECT / "routing.toml",
                        routing_secret=SECRET, dispatch_max_attempts=1, **overrides)  # type: ignore[arg-type]
    services = build(settings)
    for name, password in PASSWORDS.items():
        users.create(services.sessions, name, password, ROLES[name])
    keys = {"read": apikeys.create(services.sessions, "lettore", ["read"])}
    console = Console("", settings, services, receiver, keys)
    if trained is not None:
        for i, (subject, body) in enumerate(MESSAGES):
            console.pks[subject] = services.pipeline.ingest(mail(i, subject, body), "contatti", "INBOX", 1, str(i)).pk
        pec = services.pipeline.ingest(pec_mail(40), "pec", "INBOX", 1, "40").pk
        console.pks["pec"] = pec
        from triage import queries
        header = queries.message_detail(services.sessions, pec).message_id_header  # type: ignore[union-attr]
        services.pipeline.ingest(receipt_mail(header), "pec", "INBOX", 1, "41")
    server, thread, console.url = _serve(services)
    yield console
    server.should_exit = True
    thread.join(timeout=10)
    if receiver is not None:
        receiver.stop()


@pytest.fixture
def bare_console(store_url: str, tmp_path: Path) -> Iterator[Console]:
    """Accounts and no messages, on both databases: what the auth tests need. The lock-out
    window is a few seconds so that its end can be waited for."""
    yield from start(tmp_path, store_url, console_lockout_minutes=0.15)


def refuse_lampione(path: str, payload: dict, attempt: int) -> str:
    """The routing API refuses the street-light report for good until it is fixed (a dead letter)."""
    return "400" if payload.get("subject") == "Lampione spento" and REFUSING.is_set() else "ok"


REFUSING = threading.Event()


@pytest.fixture
def console(trained: object, tmp_path: Path) -> Iterator[Console]:
    """The full console on SQLite with classified, routed messages and one dead letter."""
    REFUSING.set()
    yield from start(tmp_path, f"sqlite:///{tmp_path / 'smista.db'}", trained, behaviour=refuse_lampione)
