"""``smista user create`` reads the password from standard input and stores only its hash."""

from __future__ import annotations

from datetime import timedelta

from typer.testing import CliRunner

from triage import users
from triage.cli import app
from triage.db import open_store


def test_user_create_from_stdin(tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    monkeypatch.setenv("SMISTA_DATABASE_URL", url)
    from triage.settings import get_settings
    get_settings.cache_clear()
    runner = CliRunner()
    made = runner.invoke(app, ["user", "create", "marta", "--role", "supervisor"], input="una-password-lunga\n")
    assert made.exit_code == 0, made.output
    assert runner.invoke(app, ["user", "create", "marta"], input="altra-password-1\n").exit_code == 2  # the name is taken
    assert runner.invoke(app, ["user", "create", "piero"], input="corta\n").exit_code == 2  # too short
    sessions = open_store(url)
    login = users.authenticate(sessions, "marta", "una-password-lunga", 5, timedelta(minutes=15))
    assert login.outcome == users.Outcome.OK and login.operator is not None and login.operator.role == "supervisor"
    listed = runner.invoke(app, ["user", "list"])
    assert listed.output.split()[:3] == ["marta", "supervisor", "active"] and "piero" not in listed.output
    get_settings.cache_clear()
