"""Hostile messages made at test time: sizes, depths, encodings and patterns that a parser, a
regular expression or a classifier may choke on. Nothing big is stored; each case is built when
asked for, deterministically (fixed seeds), so a failure names a case that can be rebuilt.

``cases()`` yields ``(name, bytes)`` pairs; ``NAMES`` lists the names without building anything
(for ``pytest.mark.parametrize``) and ``build(name)`` makes one. ``SMALL`` is the subset cheap
enough to send anywhere (an HTTP upload, a Maildir of many files).
"""

from __future__ import annotations

import base64
import random
import struct
import zlib
from collections.abc import Callable, Iterator

CRLF = b"\r\n"
_HEAD = b"From: Anna Gatti <anna@libero.it>\r\nTo: assistenza@comune.example.it\r\nMessage-ID: <%s@hostile.test>\r\n" \
        b"Date: Tue, 24 Nov 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\n"


def _mail(name: str, body: bytes, subject: bytes = b"Lampione spento", ctype: bytes = b"text/plain; charset=utf-8",
          extra: bytes = b"") -> bytes:
    return (_HEAD % name.encode() + b"Subject: " + subject + CRLF + b"Content-Type: " + ctype + CRLF + extra + CRLF + body)


def _multipart(name: str, parts: list[bytes], subject: bytes = b"Con allegato", boundary: bytes = b"BOUNDARY") -> bytes:
    body = b"".join(b"--" + boundary + CRLF + part + CRLF for part in parts) + b"--" + boundary + b"--" + CRLF
    return _mail(name, body, subject, b'multipart/mixed; boundary="' + boundary + b'"')


_TEXT = b"Content-Type: text/plain; charset=utf-8\r\n\r\nIl lampione di via Roma 12 e' spento da tre giorni.\r\n"


def _attachment(filename: bytes, ctype: bytes, payload: bytes) -> bytes:
    encoded = base64.encodebytes(payload).replace(b"\n", CRLF)
    return (b"Content-Type: " + ctype + CRLF + b"Content-Transfer-Encoding: base64\r\n"
            b'Content-Disposition: attachment; filename="' + filename + b'"\r\n\r\n' + encoded)


def _png() -> bytes:
    """A valid 1x1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


# --- size -------------------------------------------------------------------------------------

def huge_attachment() -> bytes:
    payload = random.Random(1).randbytes(30 * 1024 * 1024)
    return _multipart("huge", [_TEXT, _attachment(b"foto.jpg", b"image/jpeg", payload)])


def header_line_1mb() -> bytes:
    return _mail("hdr1mb", b"Il palo e' pericolante.\r\n", extra=b"X-Long: " + b"a" * 1_000_000 + CRLF)


def folded_header_1mb() -> bytes:
    folded = CRLF.join(b" " + b"b" * 70 for _ in range(15_000))
    return _mail("fold1mb", b"Il palo e' pericolante.\r\n", extra=b"X-Folded:" + folded + CRLF)


def subject_1m_chars() -> bytes:
    return _mail("subj1m", b"Testo breve.\r\n", subject=b"urgente " * 125_000)


def headers_20000() -> bytes:
    extra = b"".join(b"X-H%d: valore %d\r\n" % (i, i) for i in range(20_000))
    return _mail("h20000", b"Un albero e' caduto sulla strada.\r\n", extra=extra)


def same_header_20000() -> bytes:
    return _mail("same20000", b"Corpo.\r\n", extra=b"Received: from x by y; Tue, 24 Nov 2026 10:00:00 +0100\r\n" * 20_000)


def one_word_5mb() -> bytes:
    return _mail("word5mb", b"lampione" * 655_360 + CRLF)


def repeated_word_5mb() -> bytes:
    return _mail("words5mb", b"lampione " * 580_000 + CRLF)


def one_line_10mb_no_newline() -> bytes:
    return _mail("line10mb", b"x" * 10_000_000)


def parts_20000() -> bytes:
    return _multipart("parts", [b"Content-Type: text/plain\r\n\r\nparte %d" % i for i in range(20_000)])


def zip_bomb() -> bytes:
    """An attachment that inflates to 1 GiB of zeros (never to be opened: attachments are only
    listed). Built from one fully flushed deflate block repeated, so making it costs little."""
    block, count, name = bytes(1 << 20), 1024, b"zeros.bin"
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = (compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)) * count + b"\x03\x00"  # + final empty block
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    sizes = (crc, len(stream), len(block) * count, len(name))
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, *sizes, 0) + name
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, *sizes, 0, 0, 0, 0, 0, 0) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(stream), 0)
    archive = local + stream + central + end
    return _multipart("zipbomb", [_TEXT, _attachment(b"verbale.zip", b"application/zip", archive)])


def gzip_transfer_encoding() -> bytes:
    return _mail("gz", zlib.compress(bytes(10_000_000)), extra=b"Content-Transfer-Encoding: x-gzip64\r\n")


# --- depth ------------------------------------------------------------------------------------

def nested_rfc822(levels: int) -> bytes:
    inner = b"From: a@b.it\r\nSubject: livello 0\r\n\r\nIl lampione e' spento.\r\n"
    for level in range(1, levels + 1):
        inner = b"From: a@b.it\r\nSubject: livello %d\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n" % level + inner
    return _HEAD % b"rfc822" + inner


def nested_forwards(levels: int) -> bytes:
    """Each forward is multipart/mixed: a line of text and the previous message attached."""
    inner = b"From: a@b.it\r\nSubject: originale\r\n\r\nC'e' odore di gas in via Verdi.\r\n"
    for level in range(1, levels + 1):
        b = b"F%d" % level
        inner = (b"From: f%d@b.it\r\nSubject: Fwd: livello %d\r\nMIME-Version: 1.0\r\n"
                 b'Content-Type: multipart/mixed; boundary="' % (level, level) + b + b'"\r\n\r\n--' + b
                 + b"\r\nContent-Type: text/plain\r\n\r\nvedi sotto\r\n--" + b + b"\r\nContent-Type: message/rfc822\r\n\r\n"
                 + inner + b"\r\n--" + b + b"--\r\n")
    return _HEAD % b"fwd" + inner


def nested_multipart(levels: int) -> bytes:
    inner = b"Content-Type: text/plain\r\n\r\nfondo\r\n"
    for level in range(levels):
        b = b"N%d" % level
        inner = b'Content-Type: multipart/mixed; boundary="' + b + b'"\r\n\r\n--' + b + CRLF + inner + b"\r\n--" + b + b"--\r\n"
    return _HEAD % b"multi" + b"Subject: annidato\r\n" + inner


# --- encodings --------------------------------------------------------------------------------

def unknown_charset() -> bytes:
    return _mail("xunk", "perché il palo è caduto".encode("latin-1"), ctype=b'text/plain; charset="x-unknown"')


def utf7_charset() -> bytes:
    return _mail("utf7", b"Il lampione +AOg- spento +-AOg", ctype=b"text/plain; charset=utf-7")


def broken_utf7() -> bytes:
    return _mail("utf7b", b"+ZZZZ-+AAAAAAAAAA+" * 1000, ctype=b"text/plain; charset=utf-7",
                 subject=b"=?utf-7?Q?+ZZZ?= =?utf-7?B?KwBa?=")


def charset_in_everything() -> bytes:
    return _mail("charsets", b"\xff\xfe\xfa body", ctype=b'text/plain; charset="utf-8\x00"; charset=ascii; charset=',
                 subject=b"=?nonexistent?Q?a?= =?utf-16?B?//4=?= =??Q??= =?utf-8?X?abc?=")


def broken_rfc2047() -> bytes:
    words = (b"=?utf-8?B?broken?= =?utf-8?Q?=ZZ=?= =?utf-8?B?w6g?= =?iso-8859-1?q?perch=E9?=" b" =?utf-8?B?" + b"A" * 5000
             + b" =?x-unknown?Q?abc?= =?utf-8?Q?unterminated")
    return _mail("rfc2047", b"Testo.\r\n", subject=words, extra=b"From: =?utf-8?B?////?= <x@y.it>\r\n")


def rfc2047_many_words() -> bytes:
    return _mail("rfc2047many", b"Testo.\r\n", subject=b" ".join([b"=?utf-8?Q?caf=C3=A8?="] * 50_000))


def base64_garbage() -> bytes:
    garbage = random.Random(2).randbytes(200_000).replace(b"\n", b"").replace(b"\r", b"")
    return _mail("b64garbage", b"!!!not base64???\r\n" + garbage + b"\r\n===\r\nQUJD=\r\nQQ\r\n",
                 extra=b"Content-Transfer-Encoding: base64\r\n")


def base64_unpadded_multipart() -> bytes:
    return _multipart("b64part", [_TEXT, b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
                                         b"Content-Disposition: attachment; filename=a.pdf\r\n\r\nQQQ"])


def qp_garbage() -> bytes:
    body = b"=ZZ=\r\n=4=\r\n=" + b"=" * 10_000 + b"perch=E9 =C3=A8 =\r\n" * 1000 + b"=\r\n" * 5000 + b"trailing="
    return _mail("qpgarbage", body, extra=b"Content-Transfer-Encoding: quoted-printable\r\n")


def unknown_transfer_encoding() -> bytes:
    return _mail("cte", b"testo", extra=b"Content-Transfer-Encoding: x-martian\r\n")


def nul_bytes() -> bytes:
    return (_HEAD % b"nul" + b"Subject: Lampi\x00one\x00 spento\r\nX-Nul: a\x00b\r\nFrom: An\x00na <a\x00@b.it>\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n\r\nIl lam\x00pione\x00 e' spento.\x00\r\n" + b"\x00" * 10_000)


def random_bytes() -> bytes:
    return random.Random(3).randbytes(1_000_000)


def png_as_message() -> bytes:
    return _png()


def no_headers() -> bytes:
    return b"\r\nIl lampione di via Roma e' spento.\r\nSaluti\r\n"


def body_without_separator() -> bytes:
    return b"Il lampione di via Roma e' spento.\r\nSaluti\r\n"


def only_headers() -> bytes:
    return _HEAD % b"onlyhdr" + b"Subject: solo intestazioni\r\n"


def only_headers_no_newline() -> bytes:
    return b"Subject: solo intestazioni"


def cr_only_line_endings() -> bytes:
    return _mail("cr", b"riga uno\rriga due\r" * 1000).replace(b"\r\n", b"\r")


def bare_lf_and_crlf_mix() -> bytes:
    return _multipart("mix", [_TEXT.replace(b"\r\n", b"\n"), _TEXT]).replace(b"--BOUNDARY--\r\n", b"--BOUNDARY--\n")


def missing_boundary() -> bytes:
    return _mail("nobound", b"--x\r\n" + _TEXT + b"--x--\r\n", ctype=b"multipart/mixed")


def empty_boundary() -> bytes:
    return _mail("emptybound", b"--\r\n" + _TEXT + b"----\r\n", ctype=b'multipart/mixed; boundary=""')


def unterminated_multipart() -> bytes:
    return _mail("unterminated", b"--B\r\n" + _TEXT + b"--B\r\nContent-Type: text/html\r\n\r\n<p>", ctype=b"multipart/mixed; boundary=B")


def many_params() -> bytes:
    params = b"".join(b"; p%d=v%d" % (i, i) for i in range(10_000))
    return _mail("params", b"Testo.\r\n", ctype=b"text/plain; charset=utf-8" + params)


def empty_rfc822() -> bytes:
    return _multipart("emptyrfc822", [_TEXT, b"Content-Type: message/rfc822\r\n\r\n", b"Content-Type: message/rfc822\r\n"
                                                                                    b"Content-Transfer-Encoding: base64\r\n\r\nRnJvbTogYUBiLml0"])


# --- patterns (each bounded regex must stay linear) --------------------------------------------

def _pattern_body(name: str, text: str, subject: bytes = b"Segnalazione") -> bytes:
    return _mail(name, text.encode() + CRLF, subject=subject)


PATTERNS: dict[str, Callable[[], bytes]] = {
    "redos_a_dash": lambda: _pattern_body("redos", "a-" * 20_000),
    "redos_a_dash_80k": lambda: _pattern_body("redos80", "a-" * 40_000),
    "redos_subject": lambda: _mail("redossubj", b"x\r\n", subject=b"a-" * 20_000),
    "run_at": lambda: _pattern_body("at", "@" * 100_000),
    "run_dots": lambda: _pattern_body("dots", "." * 100_000),
    "run_http": lambda: _pattern_body("http", "http://" * 20_000),
    "run_www": lambda: _pattern_body("www", "www." * 25_000),
    "run_digits": lambda: _pattern_body("digits", "1" * 100_000),
    "run_digits_dots": lambda: _pattern_body("digitsdots", "1." * 50_000),
    "run_digit_slash": lambda: _pattern_body("dslash", "1/" * 50_000),
    "run_code_like": lambda: _pattern_body("code", "a1-" * 30_000),
    "run_email_like": lambda: _pattern_body("emaillike", "a.a@a." * 15_000),
    "run_phone_like": lambda: _pattern_body("phone", "+39 333 " * 12_000),
    "run_apostrophes": lambda: _pattern_body("apos", "e'" * 50_000),
    "run_quote_markers": lambda: _pattern_body("quotes", "> " * 50_000 + "\n" + ">\n" * 20_000),
    "run_reply_headers": lambda: _pattern_body("reply", "Il giorno " * 10_000 + "\n" + "Da: x\nInviato: y\n" * 5_000),
    "run_signatures": lambda: _pattern_body("sig", "Cordiali saluti\n" * 20_000),
    "run_disclaimer": lambda: _pattern_body("disc", "ai sensi del " * 10_000 + "\n" + "destinatario " * 10_000),
    "run_angles_39": lambda: _pattern_body("angles39", ("<" * 39 + " ") * 2_500),
    "run_equals": lambda: _pattern_body("equals", "=" * 100_000),
    "run_brackets": lambda: _pattern_body("brackets", "[(" * 50_000),
    "run_spaces": lambda: _pattern_body("spaces", " " * 100_000 + "fine" + "\t" * 50_000),
    "run_newlines": lambda: _pattern_body("newlines", "\n" * 100_000 + "fine"),
    "run_combining": lambda: _pattern_body("combining", "e" + "\u0301" * 50_000),
    "html_nested_divs": lambda: _mail("divs", b"<div>" * 50_000 + b"testo" + b"</div>" * 50_000, ctype=b"text/html; charset=utf-8"),
    "html_open_angles": lambda: _mail("angles", b"<" * 200_000, ctype=b"text/html"),
    "html_entities": lambda: _mail("entities", b"&nbsp;&#9999999999;&#x110000;&bogus;" * 10_000, ctype=b"text/html"),
    "html_tag_long_attr": lambda: _mail("attr", b'<p class="' + b"a" * 500_000 + b'">x</p>', ctype=b"text/html"),
    "html_script_unclosed": lambda: _mail("script", b"<html><body><script>" + b"x" * 100_000, ctype=b"text/html"),
}


# --- raw 8-bit and RFC 2231 -------------------------------------------------------------------

def raw_utf8_headers() -> bytes:
    return ("From: Zoë <zoe@exämple.it>\r\nTo: Niccolò <n@città.it>\r\nSubject: Perché il lampione è spento?\r\n"
            "Message-ID: <raw8@x.it>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            "C'è odore di gas.\r\n").encode()


def raw_latin1_headers() -> bytes:
    return ("From: Zoë <zoe@example.it>\r\nSubject: Perché il lampione è spento?\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain\r\n\r\nC'è odore di gas.\r\n").encode("latin-1")


def raw_utf8_filename() -> bytes:
    return _multipart("rawname", [_TEXT, _attachment("verbale_perché.pdf".encode(), b"application/pdf", b"%PDF-1.4")])


def rfc2231_filenames() -> bytes:
    parts = [
        _TEXT,
        b"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=UTF-8''verbale%20perch%C3%A9.pdf\r\n\r\nx",
        b"Content-Type: application/pdf\r\nContent-Disposition: attachment;\r\n filename*0*=UTF-8''verbale%20;\r\n"
        b" filename*1*=perch%C3%A9;\r\n filename*2=.pdf\r\n\r\nx",
        b"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=x-unknown''%FF%FE.pdf\r\n\r\nx",
        b"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=UTF-8''%ZZ%C3\r\n\r\nx",
        b"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=''''\r\n\r\nx",
        b"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*0=a; filename*5=b; filename*99999=c\r\n\r\nx",
        b"Content-Type: application/pdf\r\nContent-Disposition: attachment; " + b"".join(
            b"filename*%d*=%%41;" % i for i in range(5_000)) + b"\r\n\r\nx",
        b'Content-Type: application/pdf; name="=?utf-8?B?dmVyYmFsZS5wZGY=?="\r\nContent-Disposition: attachment\r\n\r\nx',
        b'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="' + b"n" * 100_000 + b'.pdf"\r\n\r\nx',
    ]
    return _multipart("rfc2231", parts)


# --- PEC-shaped -------------------------------------------------------------------------------

def _pec(name: str, parts: list[bytes], extra: bytes = b"X-Trasporto: posta-certificata\r\n") -> bytes:
    body = b"".join(b"--P\r\n" + part + CRLF for part in parts) + b"--P--\r\n"
    return _mail(name, body, b"POSTA CERTIFICATA: Lampione", b'multipart/mixed; boundary="P"', extra)


def _daticert(xml: bytes) -> bytes:
    return b'Content-Type: application/xml; name="daticert.xml"\r\nContent-Disposition: attachment; filename="daticert.xml"\r\n\r\n' + xml


_POSTACERT = (b'Content-Type: message/rfc822; name="postacert.eml"\r\nContent-Disposition: attachment; filename="postacert.eml"\r\n\r\n'
              b"From: a@b.it\r\nSubject: guasto\r\n\r\nIl palo e' caduto.\r\n")

PEC: dict[str, Callable[[], bytes]] = {
    "pec_unknown_receipt": lambda: _pec("pecunk", [_TEXT], b"X-Ricevuta: consegna-inventata\r\n"),
    "pec_receipt_nul": lambda: _pec("pecnul", [_TEXT], b"X-Ricevuta: accettazione\x00\r\n"),
    "pec_billion_laughs": lambda: _pec("peclaughs", [_TEXT, _daticert(
        b'<?xml version="1.0"?><!DOCTYPE postacert [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
        b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">'
        b'<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">'
        b'<!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;"><!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">]>'
        b'<postacert tipo="posta-certificata"><intestazione><oggetto>&i;</oggetto></intestazione></postacert>'), _POSTACERT]),
    "pec_external_entity": lambda: _pec("pecxxe", [_TEXT, _daticert(
        b'<?xml version="1.0"?><!DOCTYPE postacert [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<postacert tipo="posta-certificata"><intestazione><oggetto>&x;</oggetto></intestazione></postacert>'), _POSTACERT]),
    "pec_deep_xml": lambda: _pec("pecdeep", [_TEXT, _daticert(b"<postacert>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</postacert>")]),
    "pec_daticert_garbage": lambda: _pec("pecgarb", [_TEXT, _daticert(random.Random(4).randbytes(50_000)), _POSTACERT]),
    "pec_daticert_wrong_root": lambda: _pec("pecroot", [_TEXT, _daticert(b"<html><dati/></html>"), _POSTACERT]),
    "pec_daticert_utf16": lambda: _pec("pecu16", [_TEXT, _daticert('<?xml version="1.0" encoding="utf-16"?><postacert tipo="x"/>'
                                                                     .encode("utf-16")), _POSTACERT]),
    "pec_postacert_not_message": lambda: _pec("pecnotmsg", [_TEXT, b'Content-Type: application/octet-stream; name="postacert.eml"\r\n'
                                                                     b'Content-Disposition: attachment; filename="postacert.eml"\r\n'
                                                                     b"Content-Transfer-Encoding: base64\r\n\r\n!!!!"]),
    "pec_postacert_nested_100": lambda: _pec("pecnest", [_TEXT, _POSTACERT.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
                                                         + nested_forwards(100)]),
    "pec_many_postacert": lambda: _pec("pecmany", [_TEXT] + [_POSTACERT] * 2_000),
    "pec_segnatura_deep": lambda: _pec("pecsegn", [_TEXT, _POSTACERT, b'Content-Type: application/xml\r\nContent-Disposition: attachment;'
                                                   b' filename="Segnatura.xml"\r\n\r\n<Segnatura>' + b"<x>" * 100_000 + b"</Segnatura>"]),
    "pec_signed_garbage": lambda: _mail("pecsig", b"--S\r\n" + _TEXT + b"\r\n--S\r\nContent-Type: application/pkcs7-signature;"
                                        b' name="smime.p7s"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment;'
                                        b' filename="smime.p7s"\r\n\r\nMIIgarbage==\r\n--S--\r\n', b"POSTA CERTIFICATA: firmato",
                                        b'multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="S"',
                                        b"X-Trasporto: posta-certificata\r\n"),
    "pec_postacert_punycode": lambda: _pec("pecpuny", [_TEXT, b'Content-Type: text/plain; charset="punycode"\r\n'
                                                        b'Content-Disposition: attachment; filename="postacert.eml"\r\n\r\n\x80']),
    "pec_anomaly_subject_only": lambda: _mail("pecanom", b"Testo.\r\n", subject=b"ANOMALIA MESSAGGIO: " * 10_000),
    "pec_prefix_redos": lambda: _mail("pecprefix", b"Testo.\r\n", subject=b"[" * 50_000 + b"POSTA CERTIFICATA"),
}


def _builders() -> dict[str, Callable[[], bytes]]:
    builders: dict[str, Callable[[], bytes]] = {
        "huge_attachment_30mb": huge_attachment,
        "header_line_1mb": header_line_1mb,
        "folded_header_1mb": folded_header_1mb,
        "subject_1m_chars": subject_1m_chars,
        "headers_20000": headers_20000,
        "same_header_20000": same_header_20000,
        "one_word_5mb": one_word_5mb,
        "repeated_word_5mb": repeated_word_5mb,
        "one_line_10mb": one_line_10mb_no_newline,
        "parts_20000": parts_20000,
        "zip_bomb": zip_bomb,
        "gzip_transfer_encoding": gzip_transfer_encoding,
        "nested_rfc822_2000": lambda: nested_rfc822(2_000),
        "nested_forwards_60": lambda: nested_forwards(60),
        "nested_forwards_100": lambda: nested_forwards(100),
        "nested_multipart_2000": lambda: nested_multipart(2_000),
        "charset_x_unknown": unknown_charset,
        "charset_utf7": utf7_charset,
        "charset_utf7_broken": broken_utf7,
        "charset_everywhere": charset_in_everything,
        "rfc2047_broken": broken_rfc2047,
        "rfc2047_50000_words": rfc2047_many_words,
        "base64_garbage": base64_garbage,
        "base64_unpadded": base64_unpadded_multipart,
        "qp_garbage": qp_garbage,
        "unknown_transfer_encoding": unknown_transfer_encoding,
        "nul_bytes": nul_bytes,
        "random_bytes_1mb": random_bytes,
        "png_as_message": png_as_message,
        "no_headers": no_headers,
        "body_without_separator": body_without_separator,
        "only_headers": only_headers,
        "only_headers_no_newline": only_headers_no_newline,
        "cr_only_line_endings": cr_only_line_endings,
        "mixed_line_endings": bare_lf_and_crlf_mix,
        "multipart_missing_boundary": missing_boundary,
        "multipart_empty_boundary": empty_boundary,
        "multipart_unterminated": unterminated_multipart,
        "content_type_10000_params": many_params,
        "empty_rfc822_parts": empty_rfc822,
        "raw_utf8_headers": raw_utf8_headers,
        "raw_latin1_headers": raw_latin1_headers,
        "raw_utf8_filename": raw_utf8_filename,
        "rfc2231_filenames": rfc2231_filenames,
    }
    builders.update(PATTERNS)
    builders.update(PEC)
    return builders


BUILDERS = _builders()
NAMES = sorted(BUILDERS)
#: Cases of several MB: kept out of uploads (the API refuses large bodies with 413 anyway).
LARGE = {"huge_attachment_30mb", "one_word_5mb", "repeated_word_5mb", "one_line_10mb", "zip_bomb",
         "gzip_transfer_encoding", "subject_1m_chars", "header_line_1mb", "folded_header_1mb", "random_bytes_1mb",
         "rfc2047_50000_words"}
SMALL = [name for name in NAMES if name not in LARGE]


def build(name: str) -> bytes:
    return BUILDERS[name]()


def cases(names: list[str] | None = None) -> Iterator[tuple[str, bytes]]:
    """``(name, bytes)`` for every generated case (or those named), built one at a time."""
    for name in names or NAMES:
        yield name, build(name)
