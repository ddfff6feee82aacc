"""The charts: every spec valid for Vega-Lite (the report builds them unvalidated, for speed),
and drawn once per content: the same data again comes from the cache, changed data is drawn anew."""

from __future__ import annotations

import dataclasses

import pytest

import reports
from reports import charts
from tests.reports.conftest import NOW, settings_for
from tests.triage.report_rows import fill
from triage.db import open_store


@pytest.fixture
def report(tmp_path):
    url = f"sqlite:///{tmp_path / 'smista.db'}"
    sessions = open_store(url)
    fill(sessions)
    return reports.build(sessions, reports.month_period(2026, 3), settings_for(url), now=NOW)


def test_every_chart_spec_validates(report):
    for name, chart in charts.specs(report).items():
        assert chart.to_dict(validate=True)["$schema"].startswith("https://vega.github.io/schema/vega-lite/"), name


def test_charts_are_drawn_once_per_content(report, monkeypatch):
    charts.clear_cache()
    drawn: list[dict] = []
    real = charts.vlc.vegalite_to_svg

    def counting(spec, **kwargs):  # noqa: ANN001, ANN003, ANN202
        drawn.append(spec)
        return real(spec, **kwargs)

    monkeypatch.setattr(charts.vlc, "vegalite_to_svg", counting)
    first = charts.all_charts(report)
    assert len(drawn) == 7 and all(v.startswith("<svg") for v in first.values())
    assert charts.all_charts(report) == first and len(drawn) == 7            # the same content: from the cache
    html = reports.render_html(report)
    assert len(drawn) == 7 and all(svg in html for svg in first.values())   # the page reuses them too
    later = dataclasses.replace(report, generated_at=report.generated_at.replace(hour=23), contract="altro")
    assert charts.all_charts(later) == first and len(drawn) == 7             # made later, same figures
    emptier = dataclasses.replace(report, backlog=report.backlog[:5])          # the figures changed: drawn anew
    again = charts.all_charts(emptier)
    assert len(drawn) == 14 and again["arretrato"] != first["arretrato"]
    monkeypatch.setattr(charts, "CACHE_SIZE", 1)  # the oldest report's charts are dropped first
    charts.clear_cache()
    for r in (report, emptier, report):
        charts.all_charts(r)
    assert len(charts._drawn) == 1 and len(drawn) == 14 + 21
