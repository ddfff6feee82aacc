"""The report's tables as CSV (one file, a section per table) and XLSX (a sheet per table).

The CSV is for machines and spreadsheets alike: ``;``-separated as Italian spreadsheets expect,
each section opened by a ``# name: title`` line and its header, numbers written plainly with a
point (so they read back exactly), days as ISO dates. ``read_csv`` and ``read_xlsx`` read both
back into the same tables.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from reports.model import Cell, Report, Table

SEPARATOR = ";"


def render_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=SEPARATOR, lineterminator="\r\n")
    for i, t in enumerate(report.tables()):
        if i:
            writer.writerow([])
        writer.writerow([f"# {t.name}: {t.title}"])
        writer.writerow(t.columns)
        writer.writerows([[_plain(v) for v in row] for row in t.rows])
    return out.getvalue()


def _plain(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _typed(text: str) -> Cell:
    if text == "":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    try:
        return date.fromisoformat(text) if len(text) == 10 and text[4] == "-" else text
    except ValueError:
        return text


def read_csv(text: str) -> list[Table]:
    tables: list[Table] = []
    rows = list(csv.reader(io.StringIO(text), delimiter=SEPARATOR))
    i = 0
    while i < len(rows):
        if not rows[i]:
            i += 1
            continue
        name, _, title = rows[i][0].removeprefix("# ").partition(": ")
        columns, body = tuple(rows[i + 1]), []
        i += 2
        while i < len(rows) and rows[i]:
            body.append(tuple(_typed(v) for v in rows[i]))
            i += 1
        tables.append(Table(name, title, columns, tuple(body)))
    return tables


def render_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for t in report.tables():
        sheet = book.create_sheet(t.name[:31])
        sheet.append([t.title])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append(list(t.columns))
        for c in sheet[2]:
            c.font = Font(bold=True)
        for row in t.rows:
            sheet.append(list(row))
        for row in sheet.iter_rows(min_row=3):
            for c in row:
                if isinstance(c.value, float):
                    c.number_format = "#,##0.0"
                elif isinstance(c.value, int):
                    c.number_format = "#,##0"
                elif isinstance(c.value, (date, datetime)):
                    c.number_format = "DD/MM/YYYY"
        sheet.column_dimensions["A"].width = max(14, min(60, max((len(str(r[0])) for r in t.rows), default=10) + 2))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_xlsx(data: bytes) -> list[Table]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    tables = []
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        body = tuple(tuple(v.date() if isinstance(v, datetime) else v for v in row) for row in rows[2:])
        tables.append(Table(sheet.title, str(rows[0][0]), tuple(str(c) for c in rows[1]), body))
    return tables
