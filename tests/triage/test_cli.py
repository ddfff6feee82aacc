"""The command line as a user runs it: the installed ``smista`` script in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
SMISTA = shutil.which("smista", path=str(Path(sys.executable).parent)) or "smista"


def smista(*args: str, models: Path | None = None, cwd: Path = PROJECT) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMISTA_")}
    if models:
        env["SMISTA_MODELS_DIR"] = str(models)
    return subprocess.run([SMISTA, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def models(trained) -> Path:
    return trained.directory.parent


def write_eml(path: Path, subject: str, body: str) -> Path:
    msg = EmailMessage()
    msg["From"] = "Anna Gatti <anna@libero.it>"
    msg["Subject"] = subject
    msg.set_content(body)
    path.write_bytes(bytes(msg))
    return path


def test_classify_eml_maildir_and_jsonl_with_an_unreadable_file(models, tmp_path):
    eml = write_eml(tmp_path / "gas.eml", "urgente", "C'è un forte odore di gas nella centrale termica della scuola")
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(json.dumps({"id": "j1", "subject": "Reclamo formale", "body": "Presento formale reclamo per i ritardi"}) + "\n")
    missing = tmp_path / "missing.eml"
    proc = smista("classify", str(eml), str(missing), str(PROJECT / "data/samples/maildir"), str(jsonl), models=models)
    assert proc.returncode == 1, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    by_id = {line["id"]: line for line in lines}
    assert by_id["gas.eml"]["urgency"] == "emergency" and by_id["gas.eml"]["type"] == "intervention"
    assert "missing.eml" in by_id and "error" in by_id["missing.eml"]
    assert by_id["j1"]["type"] == "complaint"
    maildir = [line for line in lines if line["source"].endswith("maildir")]
    assert len(maildir) >= 40 and all("error" not in line for line in maildir)
    for field in ("type_confidence", "urgency_confidence", "probabilities", "needs_review", "explanation", "entities",
                  "model_version"):
        assert field in by_id["gas.eml"]
    assert by_id["gas.eml"]["entities"]["emails"] == ["anna@libero.it"]


def test_classify_without_model_fails_clearly(tmp_path):
    proc = smista("classify", str(tmp_path), models=tmp_path / "none")
    assert proc.returncode == 2 and "smista train" in proc.stderr


def test_evaluate_prints_the_report(models):
    proc = smista("evaluate", "data/corpus/gold.jsonl", models=models)
    assert proc.returncode == 0, proc.stderr
    for text in ("macro-F1", "emergency_recall", "auto_coverage", "confusion matrix", "clarification"):
        assert text in proc.stdout


def test_evaluate_on_held_out_writers_prints_each_writer_and_reliability(models):
    proc = smista("evaluate", "data/corpus/writers_gold.jsonl", models=models)
    assert proc.returncode == 0, proc.stderr
    for text in ("reliability", "ECE", "pooled", "w04", "w09", "w10", "w12"):
        assert text in proc.stdout


def test_promote_and_rollback_commands(trained, tmp_path):
    folder = tmp_path / "models"
    shutil.copytree(trained.directory, folder / trained.directory.name)
    proc = smista("promote", "--no-mlflow", models=folder)
    assert proc.returncode == 0, proc.stderr
    assert json.loads((folder / "champion.json").read_text())["version"] == trained.directory.name
    proc = smista("promote", "--rollback", "--no-mlflow", models=folder)
    assert proc.returncode == 2 and "no earlier champion" in proc.stderr


def test_corpus_validate_reports_lines(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1"}\nnot json\n')
    proc = smista("corpus", "validate", str(bad))
    assert proc.returncode == 2
    assert "corpus line 1" in proc.stderr and "corpus line 2" in proc.stderr


def test_run_triages_the_sample_maildir_into_the_store_and_exports(models, tmp_path):
    env_dirs = {"SMISTA_PROJECT_DIR": str(tmp_path), "SMISTA_SAMPLES_DIR": str(PROJECT / "data/samples/maildir"),
                "SMISTA_DATABASE_URL": f"sqlite:///{tmp_path / 'smista.db'}"}

    def run(*args: str) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SMISTA_")}
        env.update(env_dirs, SMISTA_MODELS_DIR=str(models))
        return subprocess.run([SMISTA, *args], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)

    proc = run("run", "--once")
    assert proc.returncode == 0, proc.stderr
    exported = [json.loads(line) for line in (tmp_path / "var/export.jsonl").read_text().splitlines()]
    assert len(exported) == 59 and sum(e["kind"] == "pec" for e in exported) == 23
    assert all(e["type"] and e["mailboxes"] == ["samples"] for e in exported)
    assert run("run", "--once").stderr.count("fetched 0") == 1  # nothing twice
    assert len(run("export", "--mailbox", "samples", "--since", "2000-01-01").stdout.splitlines()) == 59
    assert run("export", "--mailbox", "elsewhere").stdout == ""
    from triage.pipeline import Pipeline
    from triage.db import open_store
    from classifier.bundle import Classifier
    Pipeline(open_store(env_dirs["SMISTA_DATABASE_URL"]), Classifier.load(models)).ingest(b"\r\n\r\n", "x", "INBOX", 0, "1")
    proc = run("reprocess")
    assert proc.returncode == 0 and "1 reprocessed" in proc.stderr and "failed -> failed" in proc.stderr


def _wait_ready(url: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    import time

    import httpx
    deadline = time.time() + timeout
    while time.time() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else "exited"
        try:
            if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} not ready after {timeout} s")


def _metric(text: str, name: str, **labels: str) -> float:
    from prometheus_client.parser import text_string_to_metric_families
    return sum(s.value for f in text_string_to_metric_families(text) for s in f.samples
               if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()))


def test_run_serves_the_api_while_it_keeps_watching_the_mailbox(models, tmp_path):
    """The README's main command: triage the samples, then serve the API and keep polling."""
    import mailbox
    import signal
    import time

    import httpx
    from tests.servers.dovecot import free_port
    from tests.triage.helpers import mail

    maildir = tmp_path / "maildir"
    shutil.copytree(PROJECT / "data/samples/maildir", maildir)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMISTA_")}
    env.update(SMISTA_PROJECT_DIR=str(tmp_path), SMISTA_MODELS_DIR=str(models),
               SMISTA_DATABASE_URL=f"sqlite:///{tmp_path / 'smista.db'}",
               SMISTA_MAILBOXES=json.dumps([{"name": "samples", "url": f"maildir://{maildir}", "mark": "none",
                                             "poll_interval": 0.5}]))
    proc = subprocess.Popen([SMISTA, "run", "--demo", "--port", str(port)], env=env, cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, proc)
        assert len(httpx.get(f"{url}/v1/classifications", params={"limit": 1000}).json()["items"]) == 59
        mailbox.Maildir(maildir, create=False).add(mail(1, subject="Lampione spento in via Dante"))
        deadline, items = time.time() + 60, []
        while time.time() < deadline and len(items) < 60:
            time.sleep(0.5)
            items = httpx.get(f"{url}/v1/classifications", params={"limit": 1000}).json()["items"]
        assert len(items) == 60 and items[-1]["subject"] == "Lampione spento in via Dante"
        metrics = httpx.get(f"{url}/metrics").text
        assert 0 <= _metric(metrics, "smista_poller_lag_seconds", mailbox="samples") < 30
        assert _metric(metrics, "smista_poller_failing", mailbox="samples") == 0
        assert _metric(metrics, "smista_messages_classified") == 60
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    assert proc.returncode in (0, -signal.SIGTERM)  # uvicorn re-raises the signal once it has shut down
    assert "poller stopped" in proc.stderr.read()


def test_serve_with_workers_adds_up_their_metrics(models, tmp_path):
    """Every scrape, whichever worker answers it, counts the requests of all workers."""
    import httpx
    from tests.servers.dovecot import free_port

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SMISTA_", "PROMETHEUS_"))}
    env.update(SMISTA_PROJECT_DIR=str(tmp_path), SMISTA_MODELS_DIR=str(models),
               SMISTA_DATABASE_URL=f"sqlite:///{tmp_path / 'smista.db'}")
    proc = subprocess.Popen([SMISTA, "serve", "--workers", "2", "--demo", "--port", str(port)], env=env, cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, proc)
        for i in range(20):  # a new connection each time: the kernel spreads them over both workers
            r = httpx.post(f"{url}/v1/classify", json={"subject": "Guasto", "body": f"Il lampione {i} è spento", "sender": ""})
            assert r.status_code == 200
        counts = {_metric(httpx.get(f"{url}/metrics").text, "smista_api_classified_total") for _ in range(6)}
        assert counts == {20.0}
    finally:
        proc.terminate()
        proc.wait(timeout=60)
