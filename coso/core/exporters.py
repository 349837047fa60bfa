"""Exporters only yield rows; these helpers turn them into XLSX (or CSV) files and HTTP responses."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A value starting with one of these is read as a formula by spreadsheet programs (OWASP "CSV injection"):
# an occupation typed as =HYPERLINK(...) must stay text in every export.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def as_text(cell):
    """Keep an openpyxl cell whose text looks like a formula as text (the value itself is unchanged)."""
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def append_row(sheet, values: Sequence) -> None:
    """`sheet.append(values)` for a normal (not write-only) sheet, with formula-like text kept as text."""
    sheet.append(list(values))
    if any(looks_like_formula(v) for v in values):
        for cell in sheet[sheet.max_row]:
            as_text(cell)


def csv_safe(value):
    """A CSV field that no spreadsheet program runs: formula-like text gets a leading apostrophe."""
    if value is None:
        return ""
    return "'" + value if looks_like_formula(value) else value


def rows_to_xlsx(headers: Sequence[str], rows: Iterable[Sequence], *, sheet_title: str = "Coso") -> bytes:
    """A workbook with one bold header row, frozen, and column widths fitted to the content."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    append_row(sheet, [str(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(h)) for h in headers]
    for row in rows:
        values = list(row)
        append_row(sheet, values)
        for i, value in enumerate(values[: len(widths)]):
            widths[i] = max(widths[i], min(len(str(value)) if value is not None else 0, 60))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width + 2
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rows_to_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with BOM so that Excel opens Vietnamese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_safe(str(h)) for h in headers])
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def file_response(content: bytes, *, filename: str, content_type: str = XLSX_CONTENT_TYPE) -> HttpResponse:
    stem, _dot, ext = filename.rpartition(".")
    safe = (slugify(stem) or "coso") + "." + ext
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response
