"""Any table of the performance pages as CSV or Excel: ``?format=csv|xlsx``.

Names in these tables are typed by people (partners among them), so every text cell
goes through ``escape_formula``: a team called ``=HYPERLINK(...)`` stays text when a
colleague opens the file in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse, HttpResponseBadRequest

from concord.safetext import escape_formula, is_formula, strip_control

FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class TableData:
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def _cell(value: Any) -> Any:
    """A CSV cell: numbers rounded, text stripped of control characters and quoted if it looks like a formula."""
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, str):
        return escape_formula(strip_control(value))
    return value


def _xlsx_row(sheet, values: list[Any]) -> list:
    """An Excel row: formula-looking text is stored as text with Excel's quote prefix, never as a formula.

    openpyxl stores any string starting with ``=`` as a formula; Excel shows a stored
    string as it is, and the quote prefix keeps it text if someone edits the cell.
    """
    from openpyxl.cell import Cell

    cells = []
    for value in values:
        if isinstance(value, str):
            value = strip_control(value)  # openpyxl refuses them (IllegalCharacterError)
        cell = Cell(sheet, value=round(value, 4) if isinstance(value, float) else value)
        if isinstance(value, str) and is_formula(value):
            cell.data_type = "s"
            cell.quotePrefix = True
        cells.append(cell)
    return cells


def to_csv(table: TableData) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_cell(c) for c in table.columns])
    for row in table.rows:
        writer.writerow(["" if v is None else _cell(v) for v in row])
    return buffer.getvalue()


def to_xlsx(table: TableData) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(table.title)
    sheet.append(_xlsx_row(sheet, table.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(_xlsx_row(sheet, row))
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    """Excel's rules for a sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in strip_control(title)).strip("' ")
    return cleaned[:31] or "Sheet"


def requested_format(request) -> str | None:
    fmt = request.GET.get("format", "").lower()
    return fmt if fmt else None


def respond(fmt: str, table: TableData, filename: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(to_csv(table), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(to_xlsx(table), content_type=XLSX)
    else:
        return HttpResponseBadRequest(f"Unknown format {fmt!r}: use csv or xlsx.")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
