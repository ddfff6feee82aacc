"""Property tests of the MIME and PEC parsers on random bytes and on random but structured mail
(headers, charsets, encodings, boundaries, nesting). Fixed budget and seed: the same examples
every run. ``bench/fuzz.py`` runs the same properties for longer."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings, strategies as st

from inbox.mime import ParseError, parse_bytes
from inbox.pec import UnknownReceipt, detect
from tests.inbox.test_hostile import assert_clean

FUZZ = settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))

CHARSETS = ["utf-8", "UTF-8", "iso-8859-1", "latin-1", "cp1252", "windows-1252", "us-ascii", "utf-7", "utf-16",
            "utf-32", "x-unknown", "", "utf-8\x00", "ébrabic", "iso-2022-jp", "gb2312", "koi8-r", "mac-roman", "idna",
            "rot13", "base64", "zlib", "hex", "punycode", "unicode-escape", "raw-unicode-escape", "\xff"]
ENCODINGS = ["7bit", "8bit", "binary", "base64", "quoted-printable", "x-uuencode", "uuencode", "x-gzip64", "bogus", ""]
HEADER_NAMES = ["Subject", "From", "To", "Cc", "Message-ID", "In-Reply-To", "References", "Date", "X-Ricevuta",
                "X-Trasporto", "X-Riferimento-Message-ID", "X-TipoRicevuta", "Content-Disposition", "X-Anything"]
SMALL_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)


def encoded_word() -> st.SearchStrategy[str]:
    return st.builds(lambda cs, enc, txt: f"=?{cs}?{enc}?{txt}?=", st.sampled_from(CHARSETS),
                     st.sampled_from(["B", "Q", "b", "q", "X", ""]), st.text(alphabet="=?ABCabc09+/_- \xe8", max_size=20))


def header_value() -> st.SearchStrategy[bytes]:
    pieces = st.one_of(SMALL_TEXT, encoded_word(), st.sampled_from(["accettazione", "posta-certificata", "errore",
                                                                     "<a@b.it>", "\r\n ", "\n\t", ";", '"', "\\"]))
    return st.lists(pieces, max_size=6).map(lambda xs: "".join(xs).encode("utf-8", "surrogatepass"))


def content_type(multipart: bool) -> st.SearchStrategy[bytes]:
    params = st.lists(st.one_of(
        st.sampled_from(CHARSETS).map(lambda c: f'; charset="{c}"'),
        st.sampled_from(["; name=\"postacert.eml\"", "; name=\"daticert.xml\"", "; name*=UTF-8''perch%C3%A9.pdf",
                         "; name=\"=?utf-8?B?dmVyYmFsZS5wZGY=?=\"", "; format=flowed", "; ;", "; x*0*=a; x*2=b"])), max_size=3)
    if multipart:
        kinds = st.sampled_from(["multipart/mixed", "multipart/alternative", "multipart/signed", "multipart/related",
                                 "multipart/report"])
    else:
        kinds = st.sampled_from(["text/plain", "text/html", "application/pdf", "application/xml", "message/rfc822",
                                 "message/delivery-status", "application/pkcs7-signature", "text/x-garbage", "", "/"])
    return st.builds(lambda k, p: (k + "".join(p)).encode("utf-8", "surrogatepass"), kinds, params)


def body() -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=200), SMALL_TEXT.map(lambda s: s.encode("utf-8", "surrogatepass")),
                     st.sampled_from([b"=ZZ=\r\n=", b"!!!!", b"QUJD\r\nRA==", b"begin 644 x\r\n`\r\nend\r\n",
                                      b"<html><body><p>ciao</p>", b"\x00\x00", b"--B\r\n", b"--B--\r\n"]))


def _leaf(ctype: bytes, cte: str, disposition: bytes, payload: bytes) -> bytes:
    head = b"Content-Type: " + ctype + b"\r\n"
    head += b"Content-Transfer-Encoding: " + cte.encode() + b"\r\n" if cte else b""
    head += b"Content-Disposition: " + disposition + b"\r\n" if disposition else b""
    return head + b"\r\n" + payload


def _multi(ctype: bytes, boundary: str, children: list[bytes], close: bool) -> bytes:
    b = boundary.encode()
    out = b"Content-Type: " + ctype + b'; boundary="' + b + b'"\r\n\r\npreamble\r\n'
    for child in children:
        out += b"--" + b + b"\r\n" + child + b"\r\n"
    return out + (b"--" + b + b"--\r\n" if close else b"")


DISPOSITIONS = st.sampled_from([b"", b"inline", b"attachment", b'attachment; filename="verbale_perch\xc3\xa9.pdf"',
                                b"attachment; filename*=UTF-8''a%20b.pdf", b'attachment; filename="postacert.eml"',
                                b'attachment; filename="smime.p7s"', b"attachment; filename*0*=x''%FF; filename*1=b"])
LEAF = st.builds(_leaf, content_type(False), st.sampled_from(ENCODINGS), DISPOSITIONS, body())
BOUNDARIES = st.one_of(st.sampled_from(["B", "", " ", "--", "=_x", "B\"", "a" * 70]), st.text(alphabet="abc'()+_,-./:=? ",
                                                                                               min_size=1, max_size=10))
PART = st.recursive(LEAF, lambda children: st.builds(_multi, content_type(True), BOUNDARIES,
                                                      st.lists(children, max_size=4), st.booleans()), max_leaves=12)


@st.composite
def messages(draw) -> bytes:
    headers = draw(st.lists(st.tuples(st.sampled_from(HEADER_NAMES), header_value()), max_size=12))
    head = b"".join(name.encode() + b": " + value + b"\r\n" for name, value in headers)
    eol = draw(st.sampled_from([b"\r\n", b"\n"]))
    return (head + b"MIME-Version: 1.0\r\n" + draw(PART)).replace(b"\r\n", eol)


def check(data: bytes) -> None:
    """The property: a parsed message with clean fields, or one of the two refusals."""
    try:
        msg, parsed = parse_bytes(data)
    except ParseError:
        return
    assert_clean(parsed)
    try:
        pec = detect(msg, data, check_signature=None)
    except UnknownReceipt:
        return
    if pec is not None:
        assert isinstance(pec.daticert, dict) and isinstance(pec.daticert_error, str)
        if pec.original is not None:
            assert_clean(pec.original)


@FUZZ
@given(st.binary(max_size=4000))
def test_random_bytes(data):
    check(data)


@FUZZ
@given(st.binary(max_size=600).map(lambda b: b"From: a@b.it\r\nSubject: x\r\n" + b))
def test_random_bytes_after_headers(data):
    check(data)


@FUZZ
@given(messages())
def test_structured_messages(data):
    check(data)


def _seconds(data: bytes) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        check(data)
        best = min(best, time.perf_counter() - started)
    return best


UNITS = st.one_of(st.binary(min_size=1, max_size=12), LEAF.map(lambda b: b[:60]), encoded_word().map(str.encode))
WHERE = st.sampled_from(["subject", "body", "header", "filename"])


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(unit=UNITS, where=WHERE)
def test_time_grows_linearly(unit, where):
    """Doubling a repeated unit must not quadruple the time (loosely: 3x and 50 ms of slack)."""
    def message(n: int) -> bytes:
        blob = unit * n
        if where == "subject":
            return b"From: a@b.it\r\nSubject: " + blob.replace(b"\n", b" ") + b"\r\n\r\nx"
        if where == "header":
            return b"From: a@b.it\r\nX-A: " + blob.replace(b"\n", b"\n ") + b"\r\n\r\nx"
        if where == "filename":
            return (b'From: a@b.it\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="'
                    + blob.replace(b"\n", b"") + b'"\r\n\r\nx')
        return b"From: a@b.it\r\nSubject: x\r\n\r\n" + blob
    repeat = max(1, 20_000 // len(unit))
    small, large = _seconds(message(repeat)), _seconds(message(2 * repeat))
    assert large < 3 * small + 0.05, (small, large)
