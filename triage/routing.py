"""Routing rules and service-level deadlines.

Deadlines follow the contact center's hours (default Monday to Friday 08:30-17:30, Italian
public holidays from the ``holidays`` package); rules marked ``around_the_clock`` (emergencies)
count every hour of every day.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays as holidays_lib

CONDITIONS = ("type", "urgency", "mailbox", "domain")


@dataclass(frozen=True)
class Hours:
    timezone: str = "Europe/Rome"
    open: time = time(8, 30)
    close: time = time(17, 30)
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    country: str | None = "IT"
    _closed: dict = field(default_factory=dict, compare=False, repr=False)

    def is_working_day(self, day: date) -> bool:
        if day.weekday() not in self.weekdays:
            return False
        if self.country is None:
            return True
        if day.year not in self._closed:
            self._closed[day.year] = holidays_lib.country_holidays(self.country, years=day.year)
        return day not in self._closed[day.year]

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """``start`` plus ``hours`` of working time, in the contact center's time zone."""
        tz = ZoneInfo(self.timezone)
        current = start.astimezone(tz)
        remaining = timedelta(hours=hours)
        while True:
            day = current.date()
            opening = datetime.combine(day, self.open, tz)
            closing = datetime.combine(day, self.close, tz)
            if not self.is_working_day(day) or current >= closing:
                current = datetime.combine(day + timedelta(days=1), self.open, tz)
                continue
            current = max(current, opening)
            if current + remaining <= closing:
                return current + remaining
            remaining -= closing - current
            current = datetime.combine(day + timedelta(days=1), self.open, tz)


@dataclass(frozen=True)
class Rule:
    name: str
    destination: str
    sla_hours: float
    around_the_clock: bool = False
    when: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def matches(self, facts: dict[str, str | None]) -> bool:
        return all(facts.get(key) in allowed for key, allowed in self.when.items())


@dataclass(frozen=True)
class Decision:
    rule: str
    destination: str
    deadline: datetime


class RulesError(ValueError):
    """The routing rules file is wrong; the message says where."""


@dataclass(frozen=True)
class Router:
    rules: tuple[Rule, ...]
    hours: Hours

    @classmethod
    def load(cls, path: Path) -> Router:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise RulesError(f"routing rules {path}: {exc}") from exc
        h = data.get("hours", {})
        hours = Hours(timezone=h.get("timezone", "Europe/Rome"), open=time.fromisoformat(h.get("open", "08:30")),
                      close=time.fromisoformat(h.get("close", "17:30")), weekdays=tuple(h.get("weekdays", (0, 1, 2, 3, 4))),
                      country=h.get("holidays", "IT") or None)
        rules = []
        for i, raw in enumerate(data.get("rule", []), start=1):
            unknown = set(raw.get("when", {})) - set(CONDITIONS)
            if unknown or "destination" not in raw or "sla_hours" not in raw:
                raise RulesError(f"routing rules {path}, rule {i} ({raw.get('name', '?')}): needs destination and "
                                 f"sla_hours; conditions are {', '.join(CONDITIONS)}, found {sorted(unknown)}")
            when = {k: tuple(v if isinstance(v, list) else [v]) for k, v in raw.get("when", {}).items()}
            rules.append(Rule(raw.get("name", f"rule-{i}"), raw["destination"], float(raw["sla_hours"]),
                              bool(raw.get("around_the_clock", False)), when))
        if not rules or rules[-1].when:
            raise RulesError(f"routing rules {path}: the last rule must have no conditions (the default)")
        return cls(tuple(rules), hours)

    def decide(self, received: datetime, **facts: str | None) -> Decision:
        if received.tzinfo is None:  # a naive time is UTC, as the store writes it
            received = received.replace(tzinfo=timezone.utc)
        rule = next(r for r in self.rules if r.matches(facts))
        if rule.around_the_clock:
            deadline = received + timedelta(hours=rule.sla_hours)
        else:
            deadline = self.hours.add_working_hours(received, rule.sla_hours)
        return Decision(rule.name, rule.destination, deadline)
