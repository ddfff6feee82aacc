"""Periods as people write them, and the files' names."""

from __future__ import annotations

from datetime import date

import pytest

from reports import files, periods
from triage.statistics import Period


def test_a_period_includes_both_days() -> None:
    p = periods.parse("2026-03-01", "2026-03-31")
    assert p == Period(date(2026, 3, 1), date(2026, 4, 1)) and p.last == date(2026, 3, 31)
    assert periods.parse(" 2026-02-28 ", "2026-02-28").days() == [date(2026, 2, 28)]
    assert periods.parse("2024-01-01", "2024-12-31").last == date(2024, 12, 31)  # a leap year is 366 days


@pytest.mark.parametrize("first, last, words", [
    ("2026-02-30", "2026-03-01", "non è valida"), ("", "2026-03-01", "Indica sia"), (None, None, "Indica sia"),
    ("2026-03-02", "2026-03-01", "precedente"), ("2025-01-01", "2026-01-02", "367 giorni"),
    ("0001-01-01", "0001-01-01", "fuori"),
])
def test_bad_periods_say_why(first: str | None, last: str | None, words: str) -> None:
    with pytest.raises(periods.BadPeriod, match=words):
        periods.parse(first, last)


def test_default_and_file_names() -> None:
    assert periods.default(date(2026, 1, 15)) == Period(date(2025, 12, 1), date(2026, 1, 1))
    assert files.filename(periods.parse("2026-02-01", "2026-02-28"), "pdf") == "report-2026-02.pdf"
    assert files.filename(periods.parse("2026-02-01", "2026-02-27"), "csv") == "report-2026-02-01_2026-02-27.csv"
    with pytest.raises(ValueError, match="expected one of"):
        files.render(None, "docx")  # type: ignore[arg-type]
