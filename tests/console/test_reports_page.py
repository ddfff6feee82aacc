"""``/console/reports`` against the real server, on SQLite and PostgreSQL: the report of a period
inside the console, its four files to download, the default period, and bad periods said on the
page in Italian."""

from __future__ import annotations

import base64
import hashlib
import io
import re
from datetime import date

import pypdf

import reports
from reports import italian as it
from reports import periods
from tests.console.conftest import Console
from tests.triage.report_rows import fill, in_period

MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


def _kpi(html: str, name: str) -> str:
    found = re.search(rf"<td>{re.escape(name)}</td><td class=\"num\">([^<]*)</td>", html)
    assert found, name
    return found.group(1)


def test_the_report_of_a_period_and_its_files(bare_console: Console) -> None:
    truths = fill(bare_console.services.sessions)
    requests = in_period(truths, date(2026, 3, 1), date(2026, 4, 1))
    client, _ = bare_console.login("anna")
    reply = client.get("/console/reports", params=MARCH)
    assert reply.status_code == 200, reply.text[:500]
    html = reply.text
    assert "Report statistico di marzo 2026" in html and 'aria-current="page">Statistiche' in html
    assert _kpi(html, "Comunicazioni gestite") == it.integer(len(requests))
    assert _kpi(html, "di cui PEC") == it.integer(sum(t.channel == "pec" for t in requests))
    assert html.count("<svg") == 7 and "<body" in html and html.count("<body") == 1  # inside the console's page
    style = re.search(r"<style>(.*?)</style>", html, re.S)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"'sha256-{digest}'" in reply.headers["content-security-policy"]

    files = {}
    for fmt, media in (("pdf", "application/pdf"), ("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats"),
                       ("html", "text/html")):
        assert f"/console/reports/download/{fmt}?from=2026-03-01&amp;to=2026-03-31" in html
        got = client.get(f"/console/reports/download/{fmt}", params=MARCH)
        assert got.status_code == 200 and got.headers["content-type"].startswith(media), (fmt, got.text[:300])
        assert got.headers["content-disposition"] == f'attachment; filename="report-2026-03.{fmt}"'
        files[fmt] = got.content
    assert files["pdf"].startswith(b"%PDF-")
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(files["pdf"])).pages[:3])
    assert f"Comunicazioni gestite {it.integer(len(requests))}" in text
    kpis = dict(reports.read_csv(files["csv"].decode("utf-8-sig"))[0].rows)
    assert kpis["Comunicazioni gestite"] == len(requests)
    assert dict(reports.read_xlsx(files["xlsx"])[0].rows)["Comunicazioni gestite"] == len(requests)
    assert files["html"].startswith(b"<!DOCTYPE html>")

    part = client.get("/console/reports/download/csv", params={"from": "2026-03-10", "to": "2026-03-20"})
    assert part.headers["content-disposition"] == 'attachment; filename="report-2026-03-10_2026-03-20.csv"'


def test_the_default_period_is_last_month_in_rome(bare_console: Console) -> None:
    client, _ = bare_console.login("luca")
    html = client.get("/console/reports").text
    month = periods.default(periods.today())
    assert f'value="{month.start.isoformat()}"' in html and f'value="{month.last.isoformat()}"' in html
    assert "Report statistico di" in html


def test_bad_periods_are_said_on_the_page(bare_console: Console) -> None:
    client, _ = bare_console.login("anna")
    for params, words in (({"from": "2026-13-01", "to": "2026-03-31"}, "non è valida"),
                          ({"from": "marzo", "to": "2026-03-31"}, "AAAA-MM-GG"),
                          ({"from": "2026-03-31", "to": "2026-03-01"}, "precedente al primo"),
                          ({"from": "2024-01-01", "to": "2026-03-31"}, "al massimo 366"),
                          ({"from": "2026-03-01"}, "Indica sia"),
                          ({"from": "9999-12-31", "to": "9999-12-31"}, "fuori dai limiti")):
        reply = client.get("/console/reports", params=params)
        assert reply.status_code == 422 and words in reply.text, (params, reply.text[:300])
        assert 'role="alert"' in reply.text and "<svg" not in reply.text
        assert client.get("/console/reports/download/pdf", params=params).status_code == 422
    assert client.get("/console/reports/download/docx", params=MARCH).status_code == 404
    with bare_console.client() as anonymous:
        for path in ("/console/reports", "/console/reports/download/pdf"):
            assert anonymous.get(path, params=MARCH).status_code == 303
