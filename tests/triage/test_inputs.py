from email.message import EmailMessage
from pathlib import Path

from training.samples import pec_envelope
from triage import inputs


def eml(subject: str, body: str, subtype: str = "plain", charset: str = "utf-8") -> bytes:
    msg = EmailMessage()
    msg["From"] = "Mario Rossi <m@x.it>"
    msg["Subject"] = subject
    msg.set_content(body, subtype=subtype, charset=charset)
    return bytes(msg)


def test_plain_eml():
    m = inputs.parse_eml(eml("lampione", "Il lampione è spento"))
    assert (m.subject, m.body.strip(), m.sender) == ("lampione", "Il lampione è spento", "Mario Rossi <m@x.it>")


def test_html_only_in_latin1():
    m = inputs.parse_eml(eml("caldaia", "<p>La caldaia non parte, c'è freddo in città</p>", "html", "latin-1"))
    assert "città" in m.body and "<p>" in m.body  # HTML is stripped by the classifier's text preparation


def test_wrong_declared_charset_falls_back():
    raw = b"From: a@b.it\nSubject: x\nContent-Type: text/plain; charset=unknown-8bit\n\nperch\xe9 il lampione"
    assert "perch" in inputs.parse_eml(raw).body


def test_pec_envelope_yields_the_original_message():
    record = {"from": "ufficio@pec.comune.it", "channel": "pec", "subject": "Guasto", "body": "Il palo è caduto"}
    from datetime import datetime, timezone
    envelope = bytes(pec_envelope(record, datetime(2026, 11, 2, tzinfo=timezone.utc), 1))
    m = inputs.parse_eml(envelope)
    assert m.subject == "Guasto" and "Il palo è caduto" in m.body and m.sender == "ufficio@pec.comune.it"


def test_unreadable_inputs_become_error_items(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "plain").mkdir()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"subject": "a", "body": "b"}\n{oops\n[1]\n')
    items = [i for p in (tmp_path / "missing.eml", tmp_path / "notes.txt", tmp_path / "plain", bad) for i in inputs.read(p)]
    assert [bool(i.error) for i in items] == [True, True, True, False, True, True]
    assert "line 2" in items[4].error and "line 3" in items[5].error
