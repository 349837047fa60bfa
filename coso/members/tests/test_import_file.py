"""Reading member files: formats, encodings, separators, headers as offices write them, and file-level errors."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from coso.members.importing.plan import plan_import

from .conftest import HEADERS, make_csv, make_xlsx, member_row, second_row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def check(world, data: bytes, name: str = "members.xlsx", *, actor=None, into=None):
    return plan_import(data, name, actor=actor or world.commune_staff, into=into or world.commune)


def test_a_clean_xlsx_plans_one_create_per_row(world):
    report = check(world, make_xlsx([member_row()]))
    assert report.ok, report.as_dict()
    assert [(p.row, p.action, p.values["full_name"]) for p in report.plans] == [
        (2, "create", "Võ Thị Thu Trang")
    ]


def test_title_rows_above_the_header_keep_spreadsheet_row_numbers(world):
    report = check(world, make_xlsx([member_row(), second_row(**{"Ngày sinh": "1985"})], title_rows=3))
    assert [issue.row for issue in report.errors] == [6]
    assert report.errors[0].column == "Ngày sinh"
    assert report.errors[0].value == "1985"


@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_in_utf8_with_or_without_bom_and_either_separator(world, bom, delimiter):
    data = make_csv([member_row(**{"Nơi ở hiện nay": "Số 1, khu vực 2"})], delimiter=delimiter, bom=bom)
    report = check(world, data, "members.csv")
    assert report.ok, report.as_dict()
    plan = report.plans[0]
    assert plan.values["full_name"] == "Võ Thị Thu Trang"
    assert plan.values["current_address"] == "Số 1, khu vực 2"
    assert plan.values["date_of_birth"] == dt.date(1985, 3, 12)


def test_headers_match_without_regard_to_case_accents_spacing_and_synonyms(world):
    row = member_row()
    renamed = {
        "Họ và tên": "HO VA TEN",
        "Giới tính": "giới  tính",
        "Ngày sinh": "Ngay sinh",
        "Số CCCD": "Căn cước công dân",
        "Ngày vào Đảng": "Ngày kết nạp",
        "Ngày chính thức": "ngay chinh thuc",
        "Số thẻ đảng viên": "Số thẻ",
        "Mã chi bộ": "MA CHI BO",
    }
    data = make_xlsx([{renamed.get(k, k): v for k, v in row.items()}])
    report = check(world, data)
    assert report.ok, report.as_dict()
    assert report.plans[0].values["national_id"] == "093185004321"
    assert report.plans[0].values["admitted_on"] == dt.date(2010, 5, 19)


def test_nfd_headers_and_names_are_read_as_nfc(world):
    row = {unicodedata.normalize("NFD", k): unicodedata.normalize("NFD", v) for k, v in member_row().items()}
    report = check(world, make_csv([row]), "members.csv")
    assert report.ok, report.as_dict()
    name = report.plans[0].values["full_name"]
    assert name == "Võ Thị Thu Trang" and unicodedata.is_normalized("NFC", name)


def test_excel_date_cells_and_serial_numbers_are_dates(world):
    row = member_row(
        **{
            "Ngày sinh": dt.datetime(1985, 3, 12),
            "Ngày vào Đảng": dt.date(2010, 5, 19),
            "Ngày chính thức": 40682,
        }
    )
    report = check(world, make_xlsx([row]))
    assert report.ok, report.as_dict()
    values = report.plans[0].values
    assert values["date_of_birth"] == dt.date(1985, 3, 12)
    assert values["admitted_on"] == dt.date(2010, 5, 19)
    assert values["full_member_on"] == dt.date(2011, 5, 19)


@pytest.mark.parametrize("text", ["12/03/1985", "12/3/1985", "12-03-1985", "12.03.1985", "1985-03-12"])
def test_date_text_forms_offices_use(world, text):
    report = check(world, make_xlsx([member_row(**{"Ngày sinh": text})]))
    assert report.ok, report.as_dict()
    assert report.plans[0].values["date_of_birth"] == dt.date(1985, 3, 12)


def test_numbers_excel_stripped_of_their_leading_zero_are_restored_with_a_warning(world):
    row = member_row(**{"Số CCCD": 93185004321, "Số điện thoại": 912345678, "Số thẻ đảng viên": 93123456})
    report = check(world, make_xlsx([row]))
    assert report.ok, report.as_dict()
    values = report.plans[0].values
    assert (values["national_id"], values["phone"], values["card_number"]) == (
        "093185004321",
        "0912345678",
        "93123456",
    )
    assert {issue.column for issue in report.warnings} == {"Số CCCD", "Số điện thoại"}


def test_missing_required_column_is_a_file_error_and_no_row_is_checked(world):
    row = member_row()
    del row["Ngày vào Đảng"]
    report = check(world, make_xlsx([row]))
    assert not report.ok
    assert report.file_errors == ["Thiếu cột bắt buộc “Ngày vào Đảng”."]
    assert report.plans == [] and report.errors == []


def test_the_cell_column_is_required_unless_importing_into_a_cell(world):
    row = member_row()
    del row["Mã chi bộ"]
    assert "Thiếu cột bắt buộc “Chi bộ”." in check(world, make_xlsx([row])).file_errors
    report = check(world, make_xlsx([row]), into=world.cell_a)
    assert report.ok, report.as_dict()
    assert report.plans[0].organization == world.cell_a


def test_unknown_columns_are_reported_and_left_out_row_numbers_are_not(world):
    row = {"STT": 1, **member_row(), "Sở thích": "Bóng đá"}
    report = check(world, make_xlsx([row]))
    assert report.ok
    assert report.unknown_columns == ["Sở thích"]


def test_a_column_given_twice_is_a_file_error(world):
    headers = [*member_row().keys(), "CCCD"]
    data = make_xlsx([member_row()], headers=headers)
    report = check(world, data)
    assert any("Số CCCD" in error for error in report.file_errors)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "members.xlsx", "Tệp trống."),
        (b"this is not a zip", "members.xlsx", "Tệp không phải là bảng tính XLSX hợp lệ."),
        (b"PK\x03\x04broken", "members.xlsx", "Tệp không phải là bảng tính XLSX hợp lệ."),
        (b"%PDF-1.4", "members.pdf", "Chỉ nhập được tệp XLSX và CSV."),
        (b"\xd0\xcf\x11\xe0", "members.xls", None),
        (b"H\xf4 v\xe0 t\xean;Ng\xe0y sinh\n", "members.csv", None),
        (
            "Họ và tên,Ngày sinh\n".encode(),
            "members.csv",
            "Tệp có dòng tiêu đề nhưng không có dòng đảng viên nào.",
        ),
        ("Tên,Tuổi\nA,1\n".encode(), "members.csv", None),
        (b"\n\n;;\n", "members.csv", "Tệp trống."),
    ],
    ids=["empty", "not-zip", "broken-zip", "pdf", "xls", "not-utf8", "header-only", "no-header", "blank"],
)
def test_unreadable_files_are_file_errors(world, data, name, message):
    report = check(world, data, name)
    assert not report.ok and report.plans == []
    assert len(report.file_errors) == 1
    if message:
        assert report.file_errors == [message]


def test_every_template_column_is_recognised(world):
    report = check(world, make_xlsx([member_row()], headers=HEADERS))
    assert report.unknown_columns == []
    assert report.columns == HEADERS


def test_an_xlsx_file_is_read_from_a_temporary_copy_that_is_always_removed(tmp_path, monkeypatch):
    """calamine reads the workbook from a file (not a copy of the bytes in memory): the copy goes once the rows
    are read, and also when the file is not a workbook."""
    import tempfile

    from coso.members.importing import reader
    from coso.members.importing.reader import FileProblem, read_table

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    opened = []
    real = reader.CalamineWorkbook.from_path

    def from_path(path):
        opened.append(path)
        return real(path)

    monkeypatch.setattr(
        reader, "CalamineWorkbook", type("Workbook", (), {"from_path": staticmethod(from_path)})
    )
    table = read_table(make_xlsx([member_row(), second_row()]), "members.xlsx")
    assert len(list(table.rows)) == 2
    assert len(opened) == 1 and opened[0].startswith(str(tmp_path))
    with pytest.raises(FileProblem):
        list(read_table(b"PK\x03\x04 not a workbook", "broken.xlsx").rows)
    assert list(tmp_path.iterdir()) == []
