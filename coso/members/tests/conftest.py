"""Fixtures and file builders for the member import/export tests."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import Workbook

from coso.members.importing.columns import COLUMNS

TODAY = dt.date(2026, 6, 15)
HEADERS = [column.header for column in COLUMNS]


@pytest.fixture
def import_media(settings, tmp_path):
    """Uploaded files go to a temporary MEDIA_ROOT; tasks run at once (immediate backend)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return settings.MEDIA_ROOT


@pytest.fixture
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False):
        yield TODAY


def member_row(**values) -> dict:
    """A valid row (header → value) for a new female member of cell A; override by header."""
    row = {
        "Họ và tên": "Võ Thị Thu Trang",
        "Giới tính": "Nữ",
        "Ngày sinh": "12/03/1985",
        "Dân tộc": "Kinh",
        "Số CCCD": "093185004321",
        "Số điện thoại": "0912345678",
        "Lý luận chính trị": "Sơ cấp",
        "Số thẻ đảng viên": "93123456",
        "Ngày vào Đảng": "19/05/2010",
        "Ngày chính thức": "19/05/2011",
        "Mã chi bộ": "A",
    }
    row.update(values)
    return {key: value for key, value in row.items() if value is not None}


def second_row(**values) -> dict:
    """Another valid new member (male, cell B), distinct from `member_row`."""
    row = {
        "Họ và tên": "Lê Văn Tám",
        "Giới tính": "Nam",
        "Ngày sinh": "02/09/1990",
        "Số CCCD": "093090001111",
        "Số thẻ đảng viên": "93999999",
        "Ngày vào Đảng": "03/02/2015",
        "Ngày chính thức": "03/02/2016",
        "Mã chi bộ": "B",
    }
    row.update(values)
    return {key: value for key, value in row.items() if value is not None}


def _table(rows: list[dict], headers: list[str] | None) -> tuple[list[str], list[list]]:
    if headers is None:
        headers = []
        for row in rows:
            headers += [h for h in row if h not in headers]
    return headers, [[row.get(h) for h in headers] for row in rows]


def make_xlsx(rows: list[dict], headers: list[str] | None = None, *, title_rows: int = 0) -> bytes:
    headers, body = _table(rows, headers)
    workbook = Workbook()
    sheet = workbook.active
    for i in range(title_rows):
        sheet.append(["DANH SÁCH ĐẢNG VIÊN" if i == 0 else None])
    sheet.append(headers)
    for values in body:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_csv(
    rows: list[dict], headers: list[str] | None = None, *, delimiter: str = ",", bom: bool = True
) -> bytes:
    headers, body = _table(rows, headers)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    for values in body:
        writer.writerow(["" if v is None else v for v in values])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")
