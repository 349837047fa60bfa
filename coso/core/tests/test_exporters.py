"""The shared XLSX/CSV writers keep text that looks like a formula as text (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from coso.core.exporters import rows_to_csv, rows_to_xlsx

DANGEROUS = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-1+2", "@SUM(1)", "\t=1"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_xlsx_keeps_a_formula_like_value_as_text(value):
    content = rows_to_xlsx(["Tên", "Nghề nghiệp"], [["Nguyễn Văn A", value], ["Trần B", "Nông dân"]])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["B2"].value == value and sheet["B2"].data_type == "s"
    assert sheet["B3"].value == "Nông dân"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("value", DANGEROUS)
def test_csv_prefixes_a_formula_like_value_with_an_apostrophe(value):
    content = rows_to_csv(["Tên", "Nghề nghiệp"], [["Nguyễn Văn A", value], ["Trần B", 12]])
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[1] == ["Nguyễn Văn A", "'" + value]
    assert rows[2] == ["Trần B", "12"]  # numbers and plain text are left alone
