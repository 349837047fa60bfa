"""Read a member file (XLSX or CSV) into a header row and numbered data rows, as the spreadsheet shows them.

Offices often put a title above the table ("DANH SÁCH ĐẢNG VIÊN ..."): the header row is the first of the top
rows where known headers appear. Row numbers are the spreadsheet's own, so the report points at the right line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from .columns import column_for, is_blank

# How far down a title block may push the header row.
HEADER_SEARCH_ROWS = 15
XLSX, CSV = "xlsx", "csv"


class FileProblem(Exception):
    """The file as a whole cannot be read; the message is the reason shown to the user."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass
class Table:
    headers: list[str]
    header_row: int
    rows: list[tuple[int, tuple]] = field(default_factory=list)


def file_format(name: str, head: bytes) -> str:
    """XLSX or CSV from the name and the first bytes; anything else is refused."""
    lower = (name or "").lower()
    if lower.endswith(".xlsx") or lower.endswith(".xlsm"):
        if not head.startswith(b"PK"):
            raise FileProblem(_("The file is not a valid XLSX workbook."))
        return XLSX
    if lower.endswith(".csv") or lower.endswith(".txt"):
        if b"\x00" in head:
            raise FileProblem(_("The file is not a CSV text file."))
        return CSV
    if lower.endswith(".xls"):
        raise FileProblem(_("Old Excel files (.xls) cannot be read; save the file as .xlsx and try again."))
    raise FileProblem(_("Only XLSX and CSV files can be imported."))


def read_table(data: bytes, name: str) -> Table:
    if not data:
        raise FileProblem(_("The file is empty."))
    kind = file_format(name, data[:8])
    raw_rows = _xlsx_rows(data) if kind == XLSX else _csv_rows(data)
    header_row, headers = _find_header(raw_rows)
    rows = [
        (number, values) for number, values in raw_rows[header_row:] if not all(is_blank(v) for v in values)
    ]
    if not rows:
        raise FileProblem(_("The file has a header row but no member rows."))
    return Table(headers=headers, header_row=header_row, rows=rows)


def _xlsx_rows(data: bytes) -> list[tuple[int, tuple]]:
    # calamine (Rust) reads a 20,000-row sheet about ten times faster than openpyxl's read-only mode; cells
    # come as openpyxl gives them (dates, numbers, text) except blanks (""), and whole numbers as floats.
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, OSError, ValueError):
        raise FileProblem(_("The file is not a valid XLSX workbook."))
    rows: list[tuple[int, tuple]] = []
    try:
        # The first sheet with a recognisable header row (the template's instructions sheet comes second).
        for index in range(len(workbook.sheet_names)):
            sheet = workbook.get_sheet_by_index(index)
            # From A1 even when the sheet's first rows are empty, so numbers are the spreadsheet's own.
            cells = sheet.to_python(skip_empty_area=False)
            rows = [(number, tuple(map(_whole, values))) for number, values in enumerate(cells, 1)]
            del cells
            if _header_index(rows) is not None:
                return rows
        return rows
    except (CalamineError, OSError, ValueError):
        raise FileProblem(_("The file is not a valid XLSX workbook."))
    finally:
        workbook.close()


def _whole(value):
    # A CCCD typed as a number is 93185004321.0 here: the int openpyxl gave, so "Excel dropped the zero" works.
    if type(value) is float and value.is_integer():
        return int(value)
    return value


def _csv_rows(data: bytes) -> list[tuple[int, tuple]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(_("The CSV file is not in UTF-8; save it as “CSV UTF-8” and try again."))
    first_line = text.split("\n", 1)[0]
    # Vietnamese Excel writes ";" (the decimal comma takes ","); other tools write ",".
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for number, values in enumerate(reader, 1):
            rows.append((number, tuple(values)))
    except csv.Error:
        raise FileProblem(_("The CSV file cannot be read."))
    return rows


def _header_index(rows) -> int | None:
    for index, (_number, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        known = {column_for(v).field for v in values if not is_blank(v) and column_for(v) is not None}
        if len(known) >= 2:
            return index
    return None


def _find_header(rows) -> tuple[int, list[str]]:
    if not rows or all(all(is_blank(v) for v in values) for _n, values in rows):
        raise FileProblem(_("The file is empty."))
    index = _header_index(rows)
    if index is None:
        raise FileProblem(
            _("No header row was found: the first rows must name the columns, e.g. “Họ và tên”, “Ngày sinh”.")
        )
    number, values = rows[index]
    return number, ["" if is_blank(v) else str(v).strip() for v in values]
