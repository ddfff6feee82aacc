"""What the message page shows of the text: the explaining words marked, escaped, and the
quoted history apart (pure functions)."""

from __future__ import annotations

from console.text import highlight, shown, stems
from tests.triage.helpers import mail


def test_explaining_lemmas_mark_the_inflected_words_as_written() -> None:
    marks = stems({"type": ["centrale termico", "xnum"], "urgency": ["odore gas"], "rules": ["fuoco"]})
    assert "xnum" not in marks and "fuoco" not in marks  # placeholders and rule texts are not words of the text
    html = str(highlight("Forte ODORE di gas nella Centrale Termica <b>12</b>", marks))
    assert "<mark>ODORE</mark>" in html and "<mark>gas</mark>" in html
    assert "<mark>Centrale</mark> <mark>Termica</mark>" in html  # termico -> termic-: the feminine too
    assert "&lt;b&gt;12&lt;/b&gt;" in html and "<mark>Forte</mark>" not in html  # escaped; unexplained words left alone


def test_the_new_text_is_apart_from_the_quoted_history() -> None:
    raw = mail(1, "Sollecito", "Ancora nessuno è passato.\n\nIl giorno 20/11/2026 Ufficio ha scritto:\n> Presa in carico.")
    parts = shown(raw, None)
    assert parts.subject == "Sollecito" and parts.new == "Ancora nessuno è passato." and "Presa in carico" in parts.quoted
    broken = shown(b"\x00\x01 not a message", "oggetto salvato")  # a message stored as failed: its stored subject
    assert (broken.subject, broken.new) == ("oggetto salvato", "") and "non si può leggere" in broken.error
