from email.message import EmailMessage

import pytest

from inbox.mime import ParseError, parse_bytes


def test_headers_threading_and_attachments():
    msg = EmailMessage()
    msg["From"] = "=?utf-8?q?Niccol=C3=B2_Rossi?= <n@x.it>"
    msg["To"] = "a@b.it, c@d.it"
    msg["Subject"] = "=?iso-8859-1?q?Perch=E9_il_lampione?="
    msg["Message-ID"] = "<m2@x.it>"
    msg["In-Reply-To"] = "<m1@x.it>"
    msg["References"] = "<m0@x.it> <m1@x.it>"
    msg["Date"] = "Tue, 24 Nov 2026 10:00:00 +0100"
    msg.set_content("Testo")
    msg.add_attachment(b"x" * 1000, maintype="application", subtype="pdf", filename="foto.pdf")
    _, p = parse_bytes(bytes(msg))
    assert p.sender == "Niccolò Rossi <n@x.it>" and p.subject == "Perché il lampione"
    assert (p.message_id_header, p.in_reply_to, p.references) == ("<m2@x.it>", "<m1@x.it>", ["<m0@x.it>", "<m1@x.it>"])
    assert p.recipients == ["a@b.it", "c@d.it"] and p.date.year == 2026
    assert [(a.filename, a.content_type, a.size) for a in p.attachments] == [("foto.pdf", "application/pdf", 1000)]
    assert p.text.strip() == "Testo"


def test_plain_preferred_to_html_and_html_only():
    msg = EmailMessage()
    msg.set_content("solo testo")
    msg.add_alternative("<p>html</p>", subtype="html")
    assert parse_bytes(bytes(msg))[1].text.strip() == "solo testo"
    html = EmailMessage()
    html["Subject"] = "x"
    html.set_content("<p>solo html</p>", subtype="html")
    parsed = parse_bytes(bytes(html))[1]
    assert parsed.html_only and "solo html" in parsed.text


def test_wrong_charset_and_forwarded_message():
    raw = (b"From: a@b.it\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\n\n--B\n"
           b"Content-Type: text/plain; charset=nonsense\n\nperch\xe9 no\n--B\nContent-Type: message/rfc822\n\n"
           b"From: c@d.it\nSubject: inoltrato\n\nil palo e' caduto\n--B--\n")
    _, p = parse_bytes(raw)
    assert p.text.startswith("perch") and p.forwarded[0].subject == "inoltrato"
    assert "palo" in p.forwarded[0].text


@pytest.mark.parametrize("raw", [b"", b"   \n", b"\x00\x01\x02 not a message"])
def test_garbage_is_a_parse_error(raw):
    with pytest.raises(ParseError):
        parse_bytes(raw)


def test_raw_utf8_headers_and_attachment_names_are_read_as_written():
    """RFC 6532 mail and webmail filenames: compat32 alone gives U+FFFD or fails on them."""
    raw = ("From: Zoë <zoe@exämple.it>\r\nSubject: Perché il lampione è spento?\r\nMessage-ID: <z@x.it>\r\n"
           "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\nC'è odore di gas\r\n--XX\r\nContent-Type: application/pdf\r\n"
           "Content-Disposition: attachment; filename=\"verbale_perché.pdf\"\r\n\r\nxxx\r\n--XX--\r\n").encode()
    _, parsed = parse_bytes(raw)
    assert parsed.subject == "Perché il lampione è spento?"
    assert parsed.sender == "Zoë <zoe@exämple.it>"
    assert [a.filename for a in parsed.attachments] == ["verbale_perché.pdf"]
    assert parsed.text.strip() == "C'è odore di gas"
    latin = parse_bytes("Subject: Perch\xe9 no\r\nFrom: x@y.it\r\n\r\nciao".encode("latin-1"))[1]
    assert latin.subject == "Perché no"


def test_nested_forwards_are_read_once_per_level():
    """Each level was read again by every ancestor: 60 nested forwards took 23 s, 100 never ended."""
    import time
    inner = EmailMessage()
    inner["Subject"], inner["From"] = "fondo", "a@b.it"
    inner.set_content("C'è odore di gas")
    for i in range(100):
        outer = EmailMessage()
        outer["Subject"], outer["From"] = f"I: {i}", "a@b.it"
        outer.set_content("inoltro")
        outer.add_attachment(inner)
        inner = outer
    started = time.perf_counter()
    _, parsed = parse_bytes(bytes(inner))
    assert time.perf_counter() - started < 5
    assert parsed.subject == "I: 99" and len(parsed.forwarded) == 1 and parsed.forwarded[0].subject == "I: 98"
