"""``smista faq`` as a user runs it: import an existing FAQ, match questions from a file, export."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.triage.test_faqs import FAQ_CSV

SMISTA = shutil.which("smista", path=str(Path(sys.executable).parent)) or "smista"


def smista(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMISTA_")}
    env["SMISTA_DATABASE_URL"] = f"sqlite:///{tmp_path / 'smista.db'}"
    return subprocess.run([SMISTA, "faq", *args], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)


def test_import_match_and_export(tmp_path):
    (tmp_path / "faq.csv").write_text(FAQ_CSV, encoding="utf-8")
    done = smista(tmp_path, "import", "faq.csv", "--editor", "anna")
    assert done.returncode == 0, done.stderr
    assert "5 published" in done.stderr
    assert "0 published, 0 revised" in smista(tmp_path, "import", "faq.csv").stderr

    broken = tmp_path / "broken.csv"
    broken.write_text("id;question;answer;tag\nnew;Una domanda nuova?;Risposta.;x\n;senza id;risposta;x\n", encoding="utf-8")
    refused = smista(tmp_path, "import", str(broken))
    assert refused.returncode == 1 and "line 3" in refused.stderr and "nothing imported" in refused.stderr

    questions = tmp_path / "q.jsonl"
    questions.write_text('{"id": "q1", "text": "a che ora apre lo sportello?"}\nnot json\n'
                         '{"id": 7, "text": "come pago la fattura?"}\n', encoding="utf-8")
    matched = smista(tmp_path, "match", str(questions), "-k", "3")
    assert matched.returncode == 1 and "line 2" in matched.stderr  # the bad line is reported, the others answered
    lines = [json.loads(line) for line in matched.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["q1", 7]
    assert [m["faq_id"] for m in lines[0]["matches"]][0] == "orari" and len(lines[0]["matches"]) == 3
    assert lines[1]["matches"][0]["faq_id"] == "fattura"
    assert lines[0]["matches"][0]["score"] >= lines[0]["matches"][1]["score"]

    exported = smista(tmp_path, "export", "--format", "csv", "-o", "out.csv")
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()[1:] == sorted(FAQ_CSV.splitlines()[1:])
    page = smista(tmp_path, "export", "--format", "md").stdout
    assert page.startswith("# Domande frequenti") and "### Come posso pagare la fattura?" in page
    shown = json.loads(smista(tmp_path, "show", "orari").stdout)
    assert shown["revisions"][0]["editor"] == "anna" and shown["impact"]["after"]
