"""The renderers: a self-contained Italian HTML page, a real PDF, CSV and XLSX that read back."""

from __future__ import annotations

import io
import re

import pypdf

import reports
from reports import italian as it


def test_html_is_italian_and_self_contained(march):
    report, _ = march
    html = reports.render_html(report)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="it">' in html
    for heading in ("Report statistico di marzo 2026", "Indicatori principali", "Livelli di servizio", "Arretrato",
                    "Il modello al lavoro", "Orari di arrivo", "Contratto CONSIP FM4 lotto 7"):
        assert heading in html, heading
    assert html.count("<svg") == 7
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "nothing may be fetched"
    assert "<script" not in html
    assert f"<td class=\"num\">{it.integer(report.total)}</td>" in html
    fragment = reports.render_html(report, standalone=False)
    assert fragment.lstrip().startswith("<style>") and "<body" not in fragment


def test_pdf_is_a_valid_pdf_with_the_italian_headings(march):
    report, _ = march
    data = reports.render_pdf(report)
    assert data.startswith(b"%PDF-")
    pdf = pypdf.PdfReader(io.BytesIO(data))
    assert len(pdf.pages) >= 4
    cover = pdf.pages[0].extract_text()
    assert "Report statistico di marzo 2026" in cover
    assert "dal 1 marzo 2026 al 31 marzo 2026" in cover and "Contratto CONSIP FM4 lotto 7" in cover
    text = " ".join(p.extract_text() for p in pdf.pages)
    for heading in ("Indicatori principali", "Volumi delle comunicazioni", "Sintesi per servizio", "Livelli di servizio",
                    "Tempi di gestione", "Arretrato giornaliero", "Il modello al lavoro", "Matrice di confusione",
                    "PEC: ricevute, anomalie e firme", "pagina 1 di"):
        assert heading in text, heading
    assert "illuminazione pubblica" in text and "manutenzione edifici" in text
    assert f"Comunicazioni gestite {it.integer(report.total)}" in text


def test_csv_and_xlsx_read_back_to_the_same_tables(march):
    report, _ = march
    tables = report.tables()
    assert reports.read_csv(reports.render_csv(report)) == tables
    assert reports.read_xlsx(reports.render_xlsx(report)) == tables
    assert {t.name for t in tables} >= {"indicatori", "per_tipo", "per_urgenza", "per_canale", "per_casella", "per_servizio",
                                        "servizi", "andamento", "orari", "livelli_servizio", "tempi", "arretrato", "modello",
                                        "confusione_tipo", "confusione_urgenza", "pec"}


def test_italian_formats():
    assert it.integer(1234567) == "1.234.567"
    assert it.decimal(1234.56, 1) == "1.234,6"
    assert it.percent(1, 8) == "12,5%"
    assert it.month(__import__("datetime").date(2026, 8, 1)) == "agosto 2026"
