"""Read a member file (XLSX or CSV) into a header row and numbered data rows, as the spreadsheet shows them.

Offices often put a title above the table ("DANH SÁCH ĐẢNG VIÊN ..."): the header row is the first of the top
rows where known headers appear. Row numbers are the spreadsheet's own, so the report points at the right line.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import tempfile
from collections.abc import Iterable, Iterator
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
    # (spreadsheet row number, cells) of the non-blank rows under the header, read as they are used.
    rows: Iterable[tuple[int, tuple]] = field(default_factory=list)


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
    """The header and the member rows. The rows are read as they are used (an iterator), so a large file is
    never held as a whole list of cells; a cell problem found further down raises FileProblem then."""
    if not data:
        raise FileProblem(_("The file is empty."))
    kind = file_format(name, data[:8])
    raw = _xlsx_rows(data) if kind == XLSX else _csv_rows(data)
    head = list(itertools.islice(raw, HEADER_SEARCH_ROWS))
    index = _header_index(head)
    if index is None:
        if all(_blank_row(values) for _n, values in itertools.chain(head, raw)):
            raise FileProblem(_("The file is empty."))
        raise FileProblem(
            _("No header row was found: the first rows must name the columns, e.g. “Họ và tên”, “Ngày sinh”.")
        )
    header_row, values = head[index]
    headers = ["" if is_blank(v) else str(v).strip() for v in values]
    body = (row for row in itertools.chain(head[index + 1 :], raw) if not _blank_row(row[1]))
    first = next(body, None)
    if first is None:
        raise FileProblem(_("The file has a header row but no member rows."))
    return Table(headers=headers, header_row=header_row, rows=itertools.chain([first], body))


def _blank_row(values) -> bool:
    return all(is_blank(v) for v in values)


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, tuple]]:
    # calamine (Rust) reads a 20,000-row sheet about ten times faster than openpyxl's read-only mode; cells
    # come as openpyxl gives them (dates, numbers, text) except blanks (""), and whole numbers as floats.
    # Opened from a file, not from the bytes: calamine would copy the whole file into its own buffer for as long
    # as the sheet is read (12 MB of a 100,000-row file's peak); from a path it reads the parts it needs.
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    try:
        with os.fdopen(handle, "wb") as copy:
            copy.write(data)
        workbook = CalamineWorkbook.from_path(path)
    except BaseException as exc:
        os.unlink(path)
        if isinstance(exc, CalamineError | OSError | ValueError):
            raise FileProblem(_("The file is not a valid XLSX workbook.")) from None
        raise
    try:
        rows: Iterator[tuple[int, tuple]] = iter(())
        # The first sheet with a recognisable header row (the template's instructions sheet comes second).
        for index in range(len(workbook.sheet_names)):
            # Rows come from the first one (row numbers are the spreadsheet's own), from the first used column.
            cells = enumerate(workbook.get_sheet_by_index(index).iter_rows(), 1)
            numbered = ((number, tuple(map(_whole, values))) for number, values in cells)
            head = list(itertools.islice(numbered, HEADER_SEARCH_ROWS))
            rows = itertools.chain(head, numbered)
            if _header_index(head) is not None:
                break
        yield from rows
    except (CalamineError, OSError, ValueError):
        raise FileProblem(_("The file is not a valid XLSX workbook."))
    finally:
        workbook.close()
        os.unlink(path)


def _whole(value):
    # A CCCD typed as a number is 93185004321.0 here: the int openpyxl gave, so "Excel dropped the zero" works.
    if type(value) is float and value.is_integer():
        return int(value)
    return value


def _csv_rows(data: bytes) -> Iterator[tuple[int, tuple]]:
    try:
        data.decode("utf-8-sig")  # all of it checked first: a bad byte far down is still a file problem
    except UnicodeDecodeError:
        raise FileProblem(_("The CSV file is not in UTF-8; save it as “CSV UTF-8” and try again."))
    first_line = data.split(b"\n", 1)[0].decode("utf-8-sig")
    # Vietnamese Excel writes ";" (the decimal comma takes ","); other tools write ",".
    delimiter = max((";", ",", "\t"), key=first_line.count)
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    try:
        for number, values in enumerate(csv.reader(text, delimiter=delimiter), 1):
            yield number, tuple(values)
    except csv.Error:
        raise FileProblem(_("The CSV file cannot be read."))


def _header_index(rows) -> int | None:
    for index, (_number, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        known = {column_for(v).field for v in values if not is_blank(v) and column_for(v) is not None}
        if len(known) >= 2:
            return index
    return None
