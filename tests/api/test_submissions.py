"""A portal submission written as an RFC 5322 message: what the pipeline reads back is what was sent."""

from __future__ import annotations

import email
from email import policy

from api.routers.messages import _as_eml
from api.schemas import MessageIn
from inbox.incoming import read


def test_a_submission_reads_back_as_sent():
    sent = MessageIn(subject="Perché il lampione è spento? " + "molto " * 300, body="Buongiorno,\r\nin via Roma 12 è buio.\n€ 0",
                     sender="Zoë Rossi <zoe@exämple.it>")
    raw = _as_eml(sent)
    got = read(raw).request
    assert got.subject == " ".join(sent.subject.split()) and got.sender == '"Zoë Rossi" <zoe@exämple.it>'
    assert got.body.replace("\r\n", "\n").strip() == "Buongiorno,\nin via Roma 12 è buio.\n€ 0"
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert parsed["X-Smista-Channel"] == "web" and parsed["Message-ID"].endswith("@smista.invalid>") and parsed["Date"]


def test_a_sender_that_is_not_an_address_is_kept_as_text_and_long_lines_are_encoded():
    raw = _as_eml(MessageIn(subject="", body="x" * 5000, sender="Mario dal modulo\x00 web"))
    parsed = email.message_from_bytes(raw, policy=policy.compat32)
    assert parsed["From"] == "web-form@smista.invalid" and parsed["X-Smista-Sender"] == "Mario dal modulo web"
    assert parsed["Content-Transfer-Encoding"] == "base64" and all(len(line) <= 998 for line in raw.split(b"\r\n"))
    assert read(raw).request.body == "x" * 5000


def test_an_outlook_style_name_with_a_comma_keeps_its_address():
    got = read(_as_eml(MessageIn(subject="x", body="y", sender="Rossi, Mario <m.rossi@example.it>"))).request
    assert "m.rossi@example.it" in got.sender and "Rossi, Mario" in got.sender
