"""The parser's copy of a very large message: long base64 bodies cut, nothing else changed."""

from __future__ import annotations

import base64
import email
from email import policy
from email.message import EmailMessage

from inbox import mime, slim


def _big(text: str, attachment: bytes) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "anna@example.it", "contatti@example.it", "Palo pericolante"
    msg.set_content(text, cte="base64")
    msg.add_attachment(attachment, maintype="application", subtype="pdf", filename="verbale_perché.pdf")
    msg.add_attachment(b"\x00\x01" * 7 + b"!", maintype="application", subtype="octet-stream", filename="small.bin")
    return msg.as_bytes()


def _unslimmed(raw: bytes) -> mime.ParsedMail:
    return mime.from_message(email.message_from_bytes(raw, policy=policy.compat32))


def test_a_large_message_parses_as_the_whole_one_would():
    text = "Il palo PL-0457 in via Roma è piegato sulla strada. " * 20_000  # 1 MB of text, cut at MAX_TEXT_CHARS
    raw = _big(text, bytes(range(256)) * 24_577)  # 6 MB: above SLIM_ABOVE, a run of 110,000 base64 lines
    assert len(slim.slim(raw)) < len(raw) // 3
    parsed, whole = mime.parse_bytes(raw)[1], _unslimmed(raw)
    assert parsed.text == whole.text and len(parsed.text) == mime.MAX_TEXT_CHARS
    assert parsed.attachments == whole.attachments
    assert [a.size for a in parsed.attachments] == [256 * 24_577, 15]


def test_small_messages_and_short_runs_are_left_alone():
    raw = _big("Buongiorno, il lampione è spento.", b"%PDF-1.4 " * 1000)
    assert slim.slim(raw) is raw
    assert slim.slim(raw, above=0) == raw  # no run longer than KEEP_LINES
    assert slim.slim(raw, keep=3, above=0) != raw


def test_a_cut_counts_exactly_whatever_the_padding():
    for n in (300_000, 300_001, 300_002):
        payload = bytes(i % 251 for i in range(n))
        raw = _big("ciao", payload)
        cut = slim.slim(raw, keep=10, above=0)
        assert slim.TOKEN.encode() in cut
        msg = email.message_from_bytes(cut, policy=policy.compat32)
        assert [a.size for a in mime.attachments(msg)] == [n, 15]


def test_a_forged_marker_does_not_change_a_size():
    body = base64.encodebytes(b"x" * 3000).decode() + "smistaCut0000000000000000999999999\n"
    assert slim.base64_chars(body) == len(body) - body.count("\n") - body.count("=")


def test_a_cut_part_is_restored_whole_from_the_original():
    attachment = bytes(i * 7 % 256 for i in range(3_500_000))
    raw = _big("Si trasmette la nota in allegato.", attachment)
    msg = mime.parse_bytes(raw)[0]
    (_, part), _ = mime.attachment_parts(msg)
    assert mime.payload(part) is None  # cut for the parser
    assert mime.payload(part, raw, limit=4_000_000) == attachment
    assert mime.payload(part, raw, limit=3_000_000) is None  # above the read budget: not decoded
    other = raw[:100] + b"\n" + raw[100:]  # not the bytes the parser read: the marker does not describe them
    assert mime.payload(part, other, limit=4_000_000) is None
