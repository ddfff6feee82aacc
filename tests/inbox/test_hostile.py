"""Hostile mail straight through the parsers: every message of the corpus (stored third-party
test suites, see tests/data/hostile/corpus.py, and the generated cases) either parses or raises
ParseError / UnknownReceipt, within a time budget, and what it gives is clean text."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from inbox.mime import MAX_HEADER_CHARS, ParsedMail, ParseError, parse_bytes
from inbox.pec import PecData, UnknownReceipt, detect
from tests.data.hostile import corpus, generated

BUDGET = 5.0     # seconds per message: generous for a noisy machine, far below a super-linear case
WATCHDOG = 60    # a hang is reported as a failure, not waited for


@contextmanager
def watchdog(seconds: int = WATCHDOG) -> Iterator[None]:
    def expired(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read(data: bytes) -> tuple[ParsedMail | None, PecData | None, str]:
    """Parse and detect PEC (no signature check); the outcome's name for the messages."""
    try:
        msg, parsed = parse_bytes(data)
        return parsed, detect(msg, data, check_signature=None), "parsed"
    except ParseError:
        return None, None, "ParseError"
    except UnknownReceipt:
        return None, None, "UnknownReceipt"


def assert_clean(parsed: ParsedMail, depth: int = 0) -> None:
    """Types as declared, and no NUL in any text (PostgreSQL refuses them, in text and JSON)."""
    texts = [parsed.message_id_header, parsed.subject, parsed.sender, parsed.text, parsed.in_reply_to,
             *parsed.recipients, *parsed.references, *parsed.headers.values(), *[a.filename for a in parsed.attachments]]
    for text in texts:
        assert isinstance(text, str) and "\x00" not in text
    assert all(len(value) <= MAX_HEADER_CHARS for value in (parsed.subject, parsed.sender, *parsed.headers.values()))
    assert isinstance(parsed.html_only, bool) and all(isinstance(a.size, int) and a.size >= 0 for a in parsed.attachments)
    for inner in parsed.forwarded:
        assert_clean(inner, depth + 1)


CASES = corpus.everything()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_parses_or_refuses_within_budget(case):
    data = case.data()
    with watchdog():
        started = time.perf_counter()
        parsed, pec, outcome = read(data)
        elapsed = time.perf_counter() - started
    assert elapsed < BUDGET, f"{case.id}: {elapsed:.1f} s ({len(data):,} bytes)"
    if parsed is not None:
        assert_clean(parsed)
        if pec is not None and pec.original is not None:
            assert_clean(pec.original)


def test_the_stored_corpus_is_there_when_shared_data_is():
    """A renamed or emptied corpus folder must not silently turn this into generated cases only."""
    stored = corpus.stored()
    if not stored:
        pytest.skip("no stored hostile corpus (HOSTILE_MAIL_DIR or ../shared/data/hostile-mail)")
    sources = {case.id.split("/")[0] for case in stored}
    for root in corpus.roots():
        for source in root.iterdir():
            if source.is_dir():
                assert source.name in sources and (source / "NOTICE").is_file(), source


def parsed(name: str) -> ParsedMail:
    result, _, outcome = read(generated.build(name))
    assert result is not None, outcome
    return result


def test_raw_8bit_headers_and_names_are_read_as_written():
    mail = parsed("raw_utf8_headers")
    assert mail.sender == "Zoë <zoe@exämple.it>" and mail.subject == "Perché il lampione è spento?"
    assert parsed("raw_latin1_headers").subject == "Perché il lampione è spento?"
    assert [a.filename for a in parsed("raw_utf8_filename").attachments] == ["verbale_perché.pdf"]


def test_rfc2231_and_rfc2047_attachment_names():
    names = [a.filename for a in parsed("rfc2231_filenames").attachments]
    assert names[:2] == ["verbale perché.pdf", "verbale perché.pdf"]
    assert "verbale.pdf" in names  # RFC 2047 inside a quoted name= (Outlook)
    assert len(names) == 9


def test_nul_bytes_are_dropped_from_text_and_headers():
    mail = parsed("nul_bytes")
    assert mail.subject == "Lampione spento" and "Il lampione e' spento." in mail.text
    assert mail.headers["x-nul"] == "ab"


def test_a_charset_with_a_nul_in_its_name_falls_back_instead_of_failing():
    assert "body" in parsed("charset_everywhere").text


def test_a_megabyte_header_is_cut_and_many_encoded_words_cost_linear_time():
    started = time.perf_counter()
    mail = parsed("rfc2047_50000_words")
    assert time.perf_counter() - started < 2  # decode_header is quadratic: 10 s on the whole header
    assert mail.subject.startswith("cafècafè")  # RFC 2047: no space between adjacent words and len(mail.subject) <= MAX_HEADER_CHARS
    assert len(parsed("subject_1m_chars").subject) <= MAX_HEADER_CHARS


def test_huge_and_bomb_attachments_are_listed_not_opened():
    assert [(a.filename, a.size) for a in parsed("huge_attachment_30mb").attachments] == [("foto.jpg", 30 * 1024 * 1024)]
    [bomb] = parsed("zip_bomb").attachments
    assert bomb.filename == "verbale.zip" and bomb.size < 2_000_000


@pytest.mark.parametrize("name", ["random_bytes_1mb", "png_as_message", "no_headers", "body_without_separator"])
def test_what_is_not_a_message_is_a_parse_error(name):
    assert read(generated.build(name))[2] == "ParseError"


def test_deep_nesting_is_a_parse_error_or_bounded():
    for name in ("nested_rfc822_2000", "nested_multipart_2000"):
        assert read(generated.build(name))[2] in ("parsed", "ParseError")
    fwd = parsed("nested_forwards_100")
    depth = 0
    while fwd.forwarded:
        fwd, depth = fwd.forwarded[0], depth + 1
    assert depth == 3  # forwards are read three levels down


def test_unknown_pec_receipt_is_refused_and_hostile_daticert_is_recorded():
    assert read(generated.build("pec_unknown_receipt"))[2] == "UnknownReceipt"
    for name in ("pec_billion_laughs", "pec_external_entity", "pec_daticert_garbage", "pec_daticert_wrong_root"):
        _, pec, outcome = read(generated.build(name))
        assert outcome == "parsed" and pec is not None and pec.daticert_error, name
        assert "root:" not in str(pec.daticert)  # no external entity read from the disk
