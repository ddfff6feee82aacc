"""What a report holds: the database's aggregates for one period, and the tables made from them.

``build`` is the one place that reads the store (through :mod:`triage.statistics`); everything
else here is pure, so the HTML, the PDF, the CSV and the XLSX are the same tables drawn four ways.
Counts per type, urgency, channel, mailbox and domain, and their trends per day, week and month,
are sums over the daily cube the database grouped, a few thousand rows at most for a month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import TypeVar

from classifier.labels import TYPES, URGENCIES
from reports import italian as it
from triage import rollups
from triage import statistics as st
from triage.db import Sessions
from triage.figures import figures
from triage.settings import Settings

DIMENSIONS = ("type", "urgency", "channel", "mailbox", "domain")
DIMENSION_IT = {"type": "tipo", "urgency": "urgenza", "channel": "canale", "mailbox": "casella", "domain": "servizio"}
GRAINS = ("day", "week", "month")
GRAIN_IT = {"day": "giorno", "week": "settimana", "month": "mese"}
Cell = str | int | float | date | None
T = TypeVar("T")


@dataclass(frozen=True)
class Table:
    """One table of the report: ``name`` is its CSV section and XLSX sheet, ``title`` its Italian heading."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Report:
    period: st.Period
    contract: str
    generated_at: datetime
    volumes: tuple[st.VolumeRow, ...]
    heat: tuple[st.HeatCell, ...]
    sla: tuple[st.SlaRow, ...]
    routing: st.Delays
    oncall: st.Delays
    backlog: tuple[st.BacklogDay, ...]
    model: st.ModelFigures
    pec: st.PecFigures

    @property
    def title(self) -> str:
        p = self.period
        last = p.end - timedelta(days=1)
        if p.start.day == 1 and p.end == month_period(p.start.year, p.start.month).end:
            return f"Report statistico di {it.month(p.start)}"
        return f"Report statistico dal {it.day(p.start)} al {it.day(last)}"

    @property
    def total(self) -> int:
        return sum(v.count for v in self.volumes)

    def by(self, dimension: str) -> dict[str | None, int]:
        """Messages per value of one dimension, largest first."""
        counts: dict[str | None, int] = defaultdict(int)
        for v in self.volumes:
            counts[getattr(v, dimension)] += v.count
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))))

    def trend(self, dimension: str, grain: str) -> dict[date, dict[str | None, int]]:
        """Messages per bucket (its first day) and value of ``dimension``, every bucket of the period present."""
        out: dict[date, dict[str | None, int]] = {bucket(d, grain): defaultdict(int) for d in self.period.days()}
        for v in self.volumes:
            out[bucket(v.day, grain)][getattr(v, dimension)] += v.count
        return {k: dict(vals) for k, vals in sorted(out.items())}

    def heat_matrix(self) -> list[list[int]]:
        """Arrivals as 7 rows (Monday first) of 24 hours."""
        grid = [[0] * 24 for _ in range(7)]
        for c in self.heat:
            grid[c.weekday][c.hour] += c.count
        return grid

    def kpis(self) -> list[tuple[str, Cell]]:
        sla_met = sum(r.met for r in self.sla)
        sla_due = sum(r.met + r.missed + r.open_overdue for r in self.sla)
        emergencies = self.by("urgency").get("emergency", 0)
        return [
            ("Comunicazioni gestite", self.total),
            ("di cui PEC", self.by("channel").get("pec", 0)),
            ("Emergenze", emergencies),
            ("Scadenze rispettate (%)", _share(sla_met, sla_due)),
            ("Scadenze mancate", sum(r.missed + r.open_overdue for r in self.sla)),
            ("Tempo medio di instradamento (minuti)", _minutes(self.routing.mean_seconds)),
            ("Tempo medio di consegna al reperibile (minuti)", _minutes(self.oncall.mean_seconds)),
            ("Arretrato a fine periodo", self.backlog[-1].open_at_end if self.backlog else 0),
            ("Inviate a revisione (%)", _share(self.model.to_review, self.model.classified)),
            ("Corrette dagli operatori (%)", _share(self.model.corrected, self.model.classified)),
            ("PEC con firma non verificata", self.pec.signature_failed),
        ]

    def tables(self) -> list[Table]:
        return [self._kpi_table(), *[self._share_table(d) for d in DIMENSIONS], self._domain_table(), self._trend_table(),
                self._heat_table(), self._sla_table(), self._delay_table(), self._backlog_table(), self._model_table(),
                self._confusion_table("type"), self._confusion_table("urgency"), self._pec_table()]

    def _kpi_table(self) -> Table:
        return Table("indicatori", "Indicatori principali", ("Indicatore", "Valore"), tuple(self.kpis()))

    def _share_table(self, dimension: str) -> Table:
        rows = tuple((it.label(dimension, k), n, _share(n, self.total)) for k, n in self.by(dimension).items())
        name = DIMENSION_IT[dimension]
        return Table(f"per_{name}", f"Comunicazioni per {name}", (name.capitalize(), "Messaggi", "Quota (%)"), rows)

    def _domain_table(self) -> Table:
        cells: dict[str | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for v in self.volumes:
            row = cells[v.domain]
            row["n"] += v.count
            row[f"u:{v.urgency}"] += v.count
            row[f"t:{v.type}"] += v.count
        rows = tuple((it.label("domain", d), c["n"], c["t:intervention"], c["t:complaint"], c["u:emergency"], c["u:high"])
                     for d, c in sorted(cells.items(), key=lambda kv: -kv[1]["n"]))
        return Table("servizi", "Sintesi per servizio", ("Servizio", "Messaggi", "Richieste di intervento", "Reclami",
                                                         "Emergenze", "Urgenza alta"), rows)

    def _trend_table(self) -> Table:
        rows = [(GRAIN_IT[g], start, DIMENSION_IT[d], it.label(d, value), n)
                for g in GRAINS for d in DIMENSIONS for start, values in self.trend(d, g).items()
                for value, n in sorted(values.items(), key=lambda kv: str(kv[0]))]
        return Table("andamento", "Andamento per giorno, settimana e mese",
                     ("Periodo", "Dal", "Dimensione", "Valore", "Messaggi"), tuple(rows))

    def _heat_table(self) -> Table:
        return Table("orari", "Arrivi per giorno della settimana e ora (ora locale)", ("Giorno", *[f"{h:02d}" for h in range(24)]),
                     tuple((it.WEEKDAYS[i], *row) for i, row in enumerate(self.heat_matrix())))

    def _sla_table(self) -> Table:
        order = {u: i for i, u in enumerate(URGENCIES)}
        rows = tuple((r.destination, it.label("urgency", r.urgency), r.met, r.missed, r.open_overdue, r.open_in_time, r.total,
                      _share(r.met, r.met + r.missed + r.open_overdue))
                     for r in sorted(self.sla, key=lambda r: (r.destination, order.get(r.urgency or "", 9))))
        return Table("livelli_servizio", "Livelli di servizio per squadra e urgenza",
                     ("Squadra", "Urgenza", "Rispettate", "Mancate", "Aperte oltre la scadenza", "Aperte nei termini",
                      "Totale", "Rispettate (%)"), rows)

    def _delay_table(self) -> Table:
        edges = [it.minutes(s) for s in st.DELAY_BUCKETS]
        heads = [f"fino a {e}" for e in edges] + [f"oltre {edges[-1]}"]
        rows = tuple((name, d.count, _minutes(d.mean_seconds), _minutes(d.max_seconds), *d.buckets, d.pending, d.failed)
                     for name, d in (("Dall'arrivo all'instradamento", self.routing),
                                     ("Dall'arrivo alla consegna al reperibile (emergenze)", self.oncall)))
        return Table("tempi", "Tempi di gestione", ("Misura", "Messaggi", "Medio (min)", "Massimo (min)", *heads,
                                                    "In attesa", "Falliti"), rows)

    def _backlog_table(self) -> Table:
        return Table("arretrato", "Arretrato giornaliero", ("Giorno", "Arrivati", "Risolti", "Aperti a fine giornata"),
                     tuple((b.day, b.arrived, b.resolved, b.open_at_end) for b in self.backlog))

    def _model_table(self) -> Table:
        m = self.model
        return Table("modello", "Il modello al lavoro", ("Misura", "Valore"), (
            ("Classificati dal modello", m.classified), ("Inviati a revisione", m.to_review),
            ("Inviati a revisione (%)", _share(m.to_review, m.classified)), ("Corretti dagli operatori", m.corrected),
            ("Corretti dagli operatori (%)", _share(m.corrected, m.classified)),
            ("Etichetta finale uguale a quella del modello, tipo (%)", _share(_diagonal(m.type_confusion), m.classified)),
            ("Etichetta finale uguale a quella del modello, urgenza (%)", _share(_diagonal(m.urgency_confusion), m.classified))))

    def _confusion_table(self, head: str) -> Table:
        labels = TYPES if head == "type" else URGENCIES
        matrix = self.model.type_confusion if head == "type" else self.model.urgency_confusion
        name = DIMENSION_IT[head]
        return Table(f"confusione_{name}", f"Matrice di confusione, {name}: modello (righe) ed etichetta finale (colonne)",
                     ("Modello \\ finale", *[it.label(head, x) for x in labels]),
                     tuple((it.label(head, a), *[matrix.get((a, b), 0) for b in labels]) for a in labels))

    def _pec_table(self) -> Table:
        p = self.pec
        rows: list[tuple[Cell, ...]] = [(f"Ricevute: {it.label('receipt', k) if k else 'tipo non indicato'}", n)
                                        for k, n in sorted(p.receipts.items())]
        rows += [("Ricevute in totale", sum(p.receipts.values())), ("Anomalie", p.anomalies), ("Messaggi firmati", p.signed),
                 ("Firma non verificata", p.signature_failed), ("Firma non verificabile", p.signature_unchecked)]
        return Table("pec", "PEC: ricevute, anomalie e firme", ("Voce", "Valore"), tuple(rows))


def bucket(d: date, grain: str) -> date:
    if grain == "week":
        return d - timedelta(days=d.weekday())
    if grain == "month":
        return d.replace(day=1)
    return d


def _share(part: int, whole: int) -> float | None:
    return None if not whole else round(100.0 * part / whole, 1)


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60.0, 1)


def _diagonal(matrix: dict[tuple[str, str], int]) -> int:
    return sum(n for (a, b), n in matrix.items() if a == b)


def build(sessions: Sessions, period: st.Period, settings: Settings, now: datetime | None = None) -> Report:
    """The report of ``period``: its figures summed from the daily rollup, brought up to date first."""
    domains = {m.name: m.domain for m in settings.mailboxes if m.domain}
    f = figures(sessions, period, domains)
    # sorted: the rollup and the database's GROUP BY give rows in no set order, and the charts'
    # cache is keyed by the report's content
    return Report(period=period, contract=settings.contract_name, generated_at=now or datetime.now(timezone.utc),
                  volumes=_sorted(f.volumes), heat=_sorted(f.heat), sla=_sorted(f.sla), routing=f.routing, oncall=f.oncall,
                  backlog=tuple(f.backlog), model=f.model, pec=f.pec)


def prepare(sessions: Sessions, settings: Settings, today: date) -> None:
    """What the first report would otherwise wait for, done when the console starts: the
    rollup brought up to date (built whole after an upgrade: about 20 s at a million messages),
    the charts' engine started (0.9 s), and the charts of the console's default report, last
    month, drawn into their cache (0.4 s; a closed month's figures seldom change, and when they
    do the report has another content key and is drawn anew)."""
    from reports.charts import all_charts, warm_up  # charts imports this module
    warm_up()
    rollups.refresh(sessions)
    all_charts(build(sessions, last_month(today), settings))


def _sorted(rows: Sequence[T]) -> tuple[T, ...]:
    return tuple(sorted(rows, key=repr))


def month_period(year: int, month: int) -> st.Period:
    start = date(year, month, 1)
    return st.Period(start, date(year + month // 12, month % 12 + 1, 1))


def last_month(today: date) -> st.Period:
    first = today.replace(day=1)
    previous = first - timedelta(days=1)
    return month_period(previous.year, previous.month)
