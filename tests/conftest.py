"""Shared fixtures: one full training run per session (it backs the gold-set test and the CLI
tests), and hermetic settings pointing at temporary folders."""

from __future__ import annotations

import os
import random
from pathlib import Path

import numpy as np
import pytest

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _seeded(monkeypatch: pytest.MonkeyPatch) -> None:
    random.seed(0)
    np.random.seed(0)
    for var in [v for v in os.environ if v.startswith("SMISTA_") or v == "MLFLOW_TRACKING_URI"]:
        monkeypatch.delenv(var)


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory):
    """The model trained on the full training corpus, exactly as ``smista train`` does."""
    from training.train import run
    models = tmp_path_factory.mktemp("models")
    return run(PROJECT, models, progress=lambda step: None)


@pytest.fixture(scope="session")
def classifier(trained):
    from classifier.bundle import Classifier
    return Classifier.load(trained.directory)


@pytest.fixture
def dovecot(tmp_path):
    """A real Dovecot IMAP server on loopback, with users 'contact' and 'pec'."""
    from tests.servers import dovecot as dv
    if not dv.available():
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd)")
    import shutil
    import tempfile
    root = Path(tempfile.mkdtemp(prefix="smista-dovecot-"))  # not under pytest's private 0700 folders
    server = dv.Dovecot(root, dv.free_port())
    server.write_config()
    server.start()
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory):
    from tests.servers import postgres as pg
    if not pg.available():
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    import shutil
    import tempfile
    root = Path(tempfile.mkdtemp(prefix="smista-pg-"))  # the postgres user must reach it
    root.chmod(0o755)
    server = pg.new(root)
    url = server.start()
    yield url
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_db(postgres_url, tmp_path):
    """A fresh, empty database on the session's PostgreSQL server."""
    import sqlalchemy as sa
    name = f"t{abs(hash(str(tmp_path))) % 10**8}"
    engine = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return postgres_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """Storage tests run on both databases."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'smista.db'}"
    return request.getfixturevalue("postgres_db")


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback that keeps what it receives (``.received``)."""
    from tests.servers.smtp import SmtpServer
    server = SmtpServer()
    server.start()
    yield server
    server.stop()
