"""Sample member files for the documentation: a clean one and a messy one, for ward I of the demo (VT-P1).

`python -m coso.members.importing.samples docs/samples` writes docs/samples/members-clean.xlsx and
members-messy.xlsx. The messy file shows what offices' files look like (a title above the table, headers in
capitals or without accents, a CCCD Excel turned into a number) and one row for each kind of mistake the
import report explains; `coso import members docs/samples/members-messy.xlsx --into VT-P1` lists them all.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import unicodedata
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

INTO = "VT-P1"
CELLS = ("VT-P1-KV1", "VT-P1-KV2", "VT-P1-TH")
# (full name, gender, birth, admitted, full membership or None, cell code, serial)
PEOPLE = [
    ("Nguyễn Văn Hùng", "M", dt.date(1968, 4, 2), dt.date(1995, 9, 2), dt.date(1996, 9, 2), 0, 410),
    ("Trần Thị Ngọc Lan", "F", dt.date(1979, 11, 20), dt.date(2004, 5, 19), dt.date(2005, 5, 19), 0, 411),
    ("Lê Hoàng Phúc", "M", dt.date(1990, 1, 15), dt.date(2016, 2, 3), dt.date(2017, 2, 3), 0, 412),
    ("Phạm Thị Thu Hà", "F", dt.date(1985, 7, 7), dt.date(2010, 12, 22), dt.date(2011, 12, 22), 1, 413),
    ("Huỳnh Minh Tâm", "M", dt.date(1975, 3, 30), dt.date(2001, 3, 26), dt.date(2002, 3, 26), 1, 414),
    ("Võ Thị Kim Ngân", "F", dt.date(1998, 8, 8), dt.date(2024, 6, 1), None, 1, 415),
    ("Đặng Quốc Bảo", "M", dt.date(1982, 12, 12), dt.date(2008, 7, 27), dt.date(2009, 7, 27), 2, 416),
    ("Bùi Thị Hoà", "F", dt.date(1993, 5, 5), dt.date(2019, 10, 14), dt.date(2020, 10, 14), 2, 417),
]
THEORY = ["Trung cấp", "Sơ cấp", "Sơ cấp", "Trung cấp", "Cao cấp", "", "Sơ cấp", "Sơ cấp"]


def national_id(gender: str, born: dt.date, serial: int) -> str:
    century_digit = (born.year // 100 - 19) * 2 + (1 if gender == "F" else 0)
    return f"093{century_digit}{born.year % 100:02d}{serial:06d}"


def clean_rows() -> list[dict]:
    rows = []
    for i, (name, gender, born, admitted, full_on, cell, serial) in enumerate(PEOPLE):
        rows.append(
            {
                "Họ và tên": name,
                "Giới tính": "Nam" if gender == "M" else "Nữ",
                "Ngày sinh": born,
                "Dân tộc": "Kinh",
                "Tôn giáo": "Phật giáo" if i % 3 == 0 else "Không",
                "Quê quán": "Xã Vị Thuỷ, Hậu Giang",
                "Nơi ở hiện nay": f"Số {10 + i}, đường Trần Hưng Đạo, phường I, Vị Thanh",
                "Số CCCD": national_id(gender, born, serial),
                "Số điện thoại": f"09180{serial:05d}",
                "Trình độ giáo dục phổ thông": "12/12",
                "Chuyên môn nghiệp vụ": "Đại học" if i % 2 else "Trung cấp",
                "Lý luận chính trị": THEORY[i],
                "Nghề nghiệp": "Cán bộ" if i % 2 else "Giáo viên",
                "Số thẻ đảng viên": f"93{serial:06d}" if full_on else "",
                "Ngày vào Đảng": admitted,
                "Ngày chính thức": full_on,
                "Đi làm ăn xa": "Không",
                "Mã chi bộ": CELLS[cell],
            }
        )
    return rows


def messy_rows() -> tuple[list[str], list[list]]:
    """Headers as offices write them and rows with one problem each (row numbers are for a 3-line title)."""
    headers = [
        "STT",
        "HỌ VÀ TÊN",
        "Gioi tinh",
        "Ngày tháng năm sinh",
        "CCCD",
        "Ngày kết nạp",
        "Ngày chính thức",
        "Số thẻ",
        "Chi bộ",
        "Số ĐT",
        "Sở thích",
    ]
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Mỹ Duyên")
    rows = [
        # Clean, but its name came in NFD and Excel turned its CCCD into a number (the 0 is restored).
        [1, nfd, "nữ", "03/02/1991", 93191000501, "03-02-2016", "03/02/2017", "93000501", "Chi bộ khu vực 1", ""],
        # Not a date.
        [2, "Trương Văn Tài", "Nam", "31/02/1988", "093088000502", "15/05/2014", "15/05/2015", "", "Chi bộ khu vực 1", ""],
        # Admitted at 17 years 11 months.
        [3, "Lý Thị Mai", "Nữ", "10/06/2006", "093306000503", "09/05/2024", "", "", "Chi bộ khu vực 2", ""],
        # Recognised before the 12-month probation ended.
        [4, "Phan Văn Lợi", "Nam", "01/01/1990", "093090000504", "01/06/2020", "01/03/2021", "", "Chi bộ khu vực 2", ""],
        # The CCCD of row 5 again.
        [5, "Mai Thị Hạnh", "Nữ", "12/12/1991", "093191000501", "12/12/2018", "12/12/2019", "", "Chi bộ khu vực 1", ""],
        # A CCCD that does not match the gender.
        [6, "Đỗ Văn Nam", "Nam", "20/10/1980", "093180000506", "20/10/2005", "20/10/2006", "", "Chi bộ khu vực 1", ""],
        # A cell that does not exist.
        [7, "Ngô Thị Thảo", "Nữ", "05/05/1985", "093185000507", "05/05/2012", "05/05/2013", "", "Chi bộ khu vực 9", ""],
        # A full-membership date later than due: a warning only.
        [8, "Hồ Văn Khánh", "Nam", "08/08/1983", "093083000508", "08/08/2009", "15/10/2010", "", "VT-P1-TH", ""],
        # A phone number that is not Vietnamese and an admission in the future.
        [9, "Cao Thị Yến", "Nữ", "09/09/1999", "093199000509", "01/01/2099", "", "", "Chi bộ khu vực 2", "12345"],
    ]  # fmt: skip
    return headers, [[*row, "đọc sách" if i == 0 else None] for i, row in enumerate(rows)]


def _workbook(headers: list[str], rows: list[list], *, title: bool) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Đảng viên"
    if title:
        sheet.append(["ĐẢNG BỘ PHƯỜNG I"])
        sheet.append(["DANH SÁCH ĐẢNG VIÊN (bổ sung quý II)"])
        sheet.append([])
    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def clean_xlsx() -> bytes:
    from .columns import COLUMNS  # models: imported once Django is set up (see __main__)

    headers = [column.header for column in COLUMNS if column.field != "organization_name"]
    headers = [h for h in headers if h != "Email"]
    return _workbook(headers, [[row.get(h) for h in headers] for row in clean_rows()], title=False)


def messy_xlsx() -> bytes:
    headers, rows = messy_rows()
    return _workbook(headers, rows, title=True)


def write_samples(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in (("members-clean.xlsx", clean_xlsx()), ("members-messy.xlsx", messy_xlsx())):
        path = directory / name
        path.write_bytes(content)
        written.append(path)
    return written


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coso.settings")
    django.setup()
    for path in write_samples(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/samples")):
        print(path)
