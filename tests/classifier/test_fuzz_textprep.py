"""Property tests of the text preparation (classifier/textprep.py): any string in, strings out,
no exception, linear time. Random text is drawn from the characters mail is made of (Italian
letters and accents, apostrophes, quote markers, URLs, digits, HTML) as well as from all of
Unicode. Fixed budget and seed; ``bench/fuzz.py`` runs the same properties for longer."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings, strategies as st

from classifier.textprep import Parts, fold_accents, html_to_text, mask, normalise, restore_accents, split_message

FUZZ = settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))

PIECES = ["a", "e'", "è", "perche'", "-", "@", ".", "/", ":", "http://", "www.", ".it/", "1", "12", "333 ", "+39", "\n", " ",
          "\t", "\r\n", "> ", "Il giorno ", " ha scritto:", "Da: x", "Inviato: y", "-----Messaggio originale-----",
          "Cordiali saluti", "Inviato da iPhone", "ai sensi del", "GDPR", "<p>", "<br>", "</div>", "<div ", "&nbsp;",
          "&#1234;", "<", ">", "&", "TK-2026-", "via Roma ", "\u0301", "\u00a0", "\u200b", "𝐅𝐔𝐎𝐂𝐎", "ℌ", "İ", "ß", "\x00"]
MAILISH = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
ANY = st.text(max_size=300)
TEXT = st.one_of(MAILISH, ANY, st.tuples(MAILISH, ANY).map("".join))


@FUZZ
@given(TEXT)
def test_html_and_split_give_strings(text):
    plain = html_to_text(text)
    assert isinstance(plain, str)
    parts = split_message(plain)
    assert isinstance(parts, Parts) and all(isinstance(getattr(parts, f), str) for f in ("new", "quoted", "signature",
                                                                                         "disclaimer"))


@FUZZ
@given(TEXT)
def test_normalise_is_lowercase_single_spaced_and_stable(text):
    out = normalise(text)
    assert isinstance(out, str) and out == out.strip() and "  " not in out
    assert not any(c.isspace() and c != " " for c in out)
    assert out == out.lower()  # the safety cues are case-sensitive


@FUZZ
@given(TEXT)
def test_mask_accents_and_folding_give_strings(text):
    for function in (mask, restore_accents, fold_accents):
        assert isinstance(function(text), str)
    assert all(len(token) < 40 for token in mask(text).split())  # what spaCy reads: its tokenizer is quadratic in a token's length


def _seconds(function, text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - started)
    return best


FUNCTIONS = {"html_to_text": html_to_text, "split_message": split_message, "normalise": normalise, "mask": mask}


UNITS = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join)
NAMES = st.sampled_from(sorted(FUNCTIONS))


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(unit=UNITS, name=NAMES)
def test_time_grows_linearly(unit, name):
    """A unit repeated to 20,000 and then 40,000 characters: doubling must not quadruple the time
    (loosely: 3x and 50 ms of slack, for a noisy machine)."""
    function = FUNCTIONS[name]
    repeat = max(1, 20_000 // len(unit))
    small, large = _seconds(function, unit * repeat), _seconds(function, unit * 2 * repeat)
    assert large < 3 * small + 0.05, (unit, small, large)
