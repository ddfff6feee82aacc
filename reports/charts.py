"""The report's charts: Vega-Lite specs built with altair, drawn to SVG on the server by vl-convert.

Why this pair and not plotly: installed, altair with vl-convert-python takes 106 MB and plotly with
the kaleido that still ships its own browser (0.2.1) 297 MB; kaleido 1.x would download a browser
at run time, which smista may not do. vl-convert draws in-process (Deno and the Vega libraries
are inside its wheel), so no CDN and no network: external data URLs are refused here besides.
Axis dates and numbers use the Italian d3 locales.

Drawing is most of the time an HTML report takes (``bench/report.py``, profiled: about 30 ms of
vl-convert per chart, a fixed 13 ms of it per call, and as much again in altair's JSON-schema
validation of the specs), so: specs are built without validation (they are code, and
``tests/reports/test_charts.py`` validates every one), and a report's drawn charts are kept by
the sha256 of the report's content (its aggregates and period). The charts are a pure function
of that content, so a cached drawing is exactly what would be drawn again: a closed month viewed
twice, or viewed and then downloaded as a PDF, is drawn once, while a period whose figures
changed has another key and is drawn anew. Tried and left: drawing in threads (15% less, as
vl-convert draws on one JavaScript worker) and one vconcat call for all seven (a third less,
but its SVG cannot be cut back into seven without knowing each chart's bounds).
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from collections import OrderedDict
from datetime import datetime, timezone

import altair as alt
import vl_convert as vlc

from classifier.labels import TYPES, URGENCIES
from reports import italian as it
from reports.model import Report

WIDTH = 620
PALETTE = ["#1f4e79", "#2e86c1", "#48c9b0", "#f5b041", "#dc7633", "#a569bd", "#7f8c8d"]


def svg(chart: alt.TopLevelMixin) -> str:
    spec = chart.to_dict(validate=False)
    return vlc.vegalite_to_svg(spec, format_locale="it-IT", time_format_locale="it-IT", allowed_base_urls=[])


#: Reports whose charts are kept (seven SVGs of about 20 KB each per report).
CACHE_SIZE = 32
_drawn: OrderedDict[str, dict[str, str]] = OrderedDict()
_lock = threading.Lock()


def content_key(report: Report) -> str:
    """The sha256 of everything a report holds but the time it was made and the contract's name,
    which no chart shows: two reports with the same key draw the same charts."""
    same = dataclasses.replace(report, generated_at=datetime.min.replace(tzinfo=timezone.utc), contract="")
    return hashlib.sha256(repr(same).encode()).hexdigest()


def warm_up() -> None:
    """Start vl-convert's JavaScript engine: its first drawing takes about 0.9 s more than the next."""
    vlc.vegalite_to_svg({"mark": "point", "data": {"values": [{"x": 1}]},
                         "encoding": {"x": {"field": "x", "type": "quantitative"}}}, allowed_base_urls=[])


def clear_cache() -> None:
    """Forget every drawn chart (``bench/report.py`` times the drawing itself)."""
    with _lock:
        _drawn.clear()


def _grain(report: Report) -> str:
    days = (report.period.end - report.period.start).days
    return "day" if days <= 62 else "week" if days <= 400 else "month"


def arrivals(report: Report, dimension: str = "type") -> alt.Chart:
    """Messages per day (week, month on longer periods), stacked by ``dimension``."""
    grain = _grain(report)
    values = [{"giorno": start.isoformat(), "valore": it.label(dimension, k), "messaggi": n}
              for start, counts in report.trend(dimension, grain).items() for k, n in counts.items()]
    order = [it.label(dimension, x) for x in (TYPES if dimension == "type" else URGENCIES if dimension == "urgency" else ())]
    unit = {"day": "yearmonthdate", "week": "yearmonthdate", "month": "yearmonth"}[grain]
    return (alt.Chart(alt.Data(values=values)).mark_bar()
            .encode(x=alt.X(f"{unit}(giorno):T", title=None, axis=alt.Axis(format="%d %b" if grain != "month" else "%b %Y")),
                    y=alt.Y("sum(messaggi):Q", title="messaggi"),
                    color=alt.Color("valore:N", title=None, sort=order or None, scale=alt.Scale(range=PALETTE)))
            .properties(width=WIDTH, height=220))


def heatmap(report: Report) -> alt.Chart:
    values = [{"giorno": it.WEEKDAYS[d], "ora": h, "messaggi": n}
              for d, row in enumerate(report.heat_matrix()) for h, n in enumerate(row)]
    return (alt.Chart(alt.Data(values=values)).mark_rect()
            .encode(x=alt.X("ora:O", title="ora (Europe/Rome)"), y=alt.Y("giorno:O", sort=list(it.WEEKDAYS), title=None),
                    color=alt.Color("messaggi:Q", scale=alt.Scale(scheme="blues"), title="arrivi"))
            .properties(width=WIDTH - 60, height=170))


def service_levels(report: Report) -> alt.Chart:
    teams: dict[str, dict[str, int]] = {}
    for r in report.sla:
        t = teams.setdefault(r.destination, {"rispettate": 0, "mancate": 0, "aperte oltre la scadenza": 0,
                                             "aperte nei termini": 0})
        t["rispettate"] += r.met
        t["mancate"] += r.missed
        t["aperte oltre la scadenza"] += r.open_overdue
        t["aperte nei termini"] += r.open_in_time
    values = [{"squadra": team, "esito": k, "messaggi": n} for team, c in teams.items() for k, n in c.items()]
    order = ["rispettate", "aperte nei termini", "aperte oltre la scadenza", "mancate"]
    return (alt.Chart(alt.Data(values=values)).mark_bar()
            .encode(y=alt.Y("squadra:N", title=None), x=alt.X("sum(messaggi):Q", title="messaggi", stack="normalize",
                                                              axis=alt.Axis(format="%")),
                    color=alt.Color("esito:N", sort=order, title=None,
                                    scale=alt.Scale(domain=order, range=["#27ae60", "#85c1e9", "#f5b041", "#c0392b"])),
                    order=alt.Order("ordine:Q"))
            .transform_calculate(ordine=f"indexof({order!r}, datum.esito)")
            .properties(width=WIDTH - 160, height=max(60, 26 * len(teams))))


def backlog(report: Report) -> alt.Chart:
    values = [{"giorno": b.day.isoformat(), "aperti": b.open_at_end} for b in report.backlog]
    return (alt.Chart(alt.Data(values=values)).mark_line(point=len(values) <= 62)
            .encode(x=alt.X("yearmonthdate(giorno):T", title=None, axis=alt.Axis(format="%d %b")),
                    y=alt.Y("aperti:Q", title="richieste aperte"))
            .properties(width=WIDTH, height=160))


def confusion(report: Report) -> alt.Chart:
    matrix = report.model.type_confusion
    values = [{"modello": it.label("type", a), "finale": it.label("type", b), "messaggi": matrix.get((a, b), 0)}
              for a in TYPES for b in TYPES]
    order = [it.label("type", t) for t in TYPES]
    base = alt.Chart(alt.Data(values=values)).encode(x=alt.X("finale:N", sort=order, title="etichetta finale"),
                                                     y=alt.Y("modello:N", sort=order, title="modello"))
    cells = base.mark_rect().encode(color=alt.Color("messaggi:Q", scale=alt.Scale(scheme="greens", type="symlog"), legend=None))
    text = (base.mark_text(fontSize=10).encode(text=alt.Text("messaggi:Q", format=",d"))
            .transform_filter("datum.messaggi > 0"))
    return (cells + text).properties(width=330, height=200)


def domains(report: Report) -> alt.Chart:
    values = [{"servizio": it.label("domain", k), "messaggi": n} for k, n in report.by("domain").items()]
    return (alt.Chart(alt.Data(values=values)).mark_bar(color=PALETTE[1])
            .encode(y=alt.Y("servizio:N", sort="-x", title=None), x=alt.X("messaggi:Q", title="messaggi"))
            .properties(width=WIDTH - 160, height=max(40, 22 * len(values))))


def specs(report: Report) -> dict[str, alt.TopLevelMixin]:
    """Every chart of the report, by name (the templates place them)."""
    return {"per_tipo": arrivals(report, "type"), "per_canale": arrivals(report, "channel"), "orari": heatmap(report),
            "livelli": service_levels(report), "arretrato": backlog(report), "confusione": confusion(report),
            "servizi": domains(report)}


def all_charts(report: Report) -> dict[str, str]:
    """Every chart of the report as SVG, by name; drawn once per content (``content_key``)."""
    key = content_key(report)
    with _lock:
        if key in _drawn:
            _drawn.move_to_end(key)
            return dict(_drawn[key])
    drawn = {name: svg(chart) for name, chart in specs(report).items()}
    with _lock:
        _drawn[key] = drawn
        while len(_drawn) > CACHE_SIZE:
            _drawn.popitem(last=False)
    return dict(drawn)
