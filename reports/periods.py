"""The period of a report as people give it: a first and a last day, both included.

``parse`` turns the two fields of a form (or two command-line options) into a
:class:`~triage.statistics.Period`, or a :class:`BadPeriod` whose message, in Italian, says what
is wrong, so that the console shows it on the page instead of failing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from reports.model import last_month
from triage.statistics import Period

#: The longest period a report covers: a year, leap day included. Longer ones would still be
#: computed, but a page that takes a minute to draw is a page nobody waits for.
MAX_DAYS = 366


class BadPeriod(ValueError):
    """The days given do not make a period a report can cover; the message is for the operator."""


def today(zone: str = "Europe/Rome") -> date:
    """The contact center's today, which the default period and the future are measured from."""
    return datetime.now(ZoneInfo(zone)).date()


def default(on: date) -> Period:
    """The last full calendar month before ``on``."""
    return last_month(on)


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise BadPeriod(f"La data «{value.strip()[:20]}» nel campo «{field}» non è valida: "
                        "scrivila come AAAA-MM-GG, per esempio 2026-03-01.") from None


def parse(first: str | None, last: str | None, max_days: int = MAX_DAYS) -> Period:
    """The period from ``first`` to ``last`` (ISO days, both included)."""
    if not (first or "").strip() or not (last or "").strip():
        raise BadPeriod("Indica sia il primo sia l'ultimo giorno del periodo.")
    start, end = _day(first or "", "dal"), _day(last or "", "al")
    if end < start:
        raise BadPeriod(f"L'ultimo giorno ({end:%d/%m/%Y}) è precedente al primo ({start:%d/%m/%Y}).")
    days = (end - start).days + 1
    if days > max_days:
        raise BadPeriod(f"Il periodo copre {days} giorni: un report ne copre al massimo {max_days}. "
                        "Scegli un periodo più breve.")
    try:
        period = Period(start, end + timedelta(days=1))
        period.bounds()
    except OverflowError:  # 9999-12-31, or 0001-01-01 before UTC: days no report holds
        raise BadPeriod("Le date sono fuori dai limiti del calendario che un report può coprire.") from None
    return period
