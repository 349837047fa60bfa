"""XLSX export of the member list: the list's filters, the actor's scope, the import columns, the access log."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from coso.accounts.models import AccessLog
from coso.accounts.permissions import SYSTEM
from coso.members import services
from coso.members.importing.columns import COLUMNS
from coso.members.importing.exporter import export_columns, members_xlsx
from coso.members.importing.plan import plan_import
from coso.members.importing.writer import import_write
from coso.members.models import EventKind, Member
from coso.testing.factories import make_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
URL = reverse("members:export")
HEADERS = [column.header for column in COLUMNS]


def export(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return response


def sheet_rows(content: bytes) -> list[dict]:
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_export_has_the_template_columns_and_the_members_in_scope(client, world):
    response = export(client, world.commune_staff)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == HEADERS
    rows = sheet_rows(response.content)
    assert sorted(row["Họ và tên"] for row in rows) == ["Lê Văn Bình", "Nguyễn Thị Hoà", "Trần Văn An"]
    hoa = next(row for row in rows if row["Họ và tên"] == "Nguyễn Thị Hoà")
    member = world.member_a_record
    assert hoa["Số CCCD"] == member.national_id and isinstance(hoa["Số CCCD"], str)
    assert hoa["Ngày sinh"].date() == member.date_of_birth
    assert sheet["C2"].number_format == "DD/MM/YYYY"
    gender = {"M": "Nam", "F": "Nữ"}[member.gender]
    assert (hoa["Giới tính"], hoa["Mã chi bộ"], hoa["Chi bộ"]) == (gender, "A", "Chi bộ khu vực 1")
    assert hoa["Lý luận chính trị"] == "Sơ cấp" and hoa["Đi làm ăn xa"] == "Không"


def test_export_honours_the_list_filters(client, world):
    services.member_record_event(
        actor=SYSTEM, member=world.other_a_record, kind=EventKind.DEATH, occurred_on=dt.date(2026, 1, 2)
    )

    def names(**params):
        rows = sheet_rows(export(client, world.commune_staff, **params).content)
        return sorted(row["Họ và tên"] for row in rows)

    assert names(q="hoa") == ["Nguyễn Thị Hoà"]
    assert names(org=world.cell_b.pk) == ["Lê Văn Bình"]
    assert names(status="DECEASED") == ["Trần Văn An"]
    assert names() == ["Lê Văn Bình", "Nguyễn Thị Hoà"]  # current members, as the list shows by default
    assert names(status="all", working_away="yes") == []


def test_export_of_an_organization_outside_scope_is_not_found(client, world):
    client.force_login(world.commune_staff)
    assert client.get(URL, {"org": world.cell_d.pk}).status_code == 404
    assert client.get(URL, {"status": "NOPE"}).status_code == 400


def test_each_export_of_personal_data_is_written_to_the_access_log(client, world):
    export(client, world.commune_staff, q="hoa")
    (entry,) = AccessLog.objects.filter(action="member.export")
    assert entry.user == world.commune_staff
    assert entry.organization_path == world.commune.path
    assert entry.object_label == "Xuất danh sách 1 đảng viên"
    assert entry.detail == "q=hoa"


def test_without_personal_rights_the_personal_columns_are_left_out():
    columns = export_columns(personal=False)
    headers = [column.header for column in columns]
    assert not {"Ngày sinh", "Số CCCD", "Số điện thoại", "Email", "Nơi ở hiện nay"} & set(headers)
    assert "Họ và tên" in headers and "Số thẻ đảng viên" in headers


def test_rows_the_actor_may_not_see_in_full_have_blank_personal_cells(world):
    content, count = members_xlsx(
        Member.objects.select_related("organization").filter(pk=world.member_a_record.pk),
        columns=export_columns(personal=True),
        personal=lambda member: False,
    )
    (row,) = sheet_rows(content)
    assert count == 1 and row["Họ và tên"] == "Nguyễn Thị Hoà"
    assert row["Số CCCD"] is None and row["Ngày sinh"] is None and row["Số điện thoại"] is None


def test_export_then_import_round_trips_with_no_change(client, world):
    for _ in range(5):
        make_member(world.cell_a, working_away=True, theory_level="INTERMEDIATE", religion="Phật giáo")
    make_member(world.cell_b, full_member_on=None, card_number=None)
    response = export(client, world.commune_staff, status="all")
    versions = dict(Member.objects.values_list("pk", "version"))
    report = plan_import(response.content, "export.xlsx", actor=world.commune_staff, into=world.commune)
    assert report.ok, report.as_dict()["errors"]
    assert report.unknown_columns == []
    assert {plan.action for plan in report.plans} == {"unchanged"}
    assert (
        len(report.plans) == Member.objects.filter(organization__path__startswith=world.commune.path).count()
    )
    assert import_write(report, actor=world.commune_staff)["unchanged"] == len(report.plans)
    assert dict(Member.objects.values_list("pk", "version")) == versions


def test_export_costs_a_constant_number_of_queries(client, world, django_assert_max_num_queries):
    for _ in range(30):
        make_member(world.cell_a)
    client.force_login(world.commune_staff)
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    assert len(sheet_rows(response.content)) == 33


def test_the_list_export_button_follows_the_live_filters(client, world):
    client.force_login(world.commune_staff)
    page = client.get(reverse("members:list"), {"q": "hoa"}).content.decode()
    assert f'href="{URL}?q=hoa"' in page
    fragment = client.get(
        reverse("members:list"), {"q": "an"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert 'id="export-button"' in fragment and 'hx-swap-oob="true"' in fragment
    assert f'href="{URL}?q=an"' in fragment


def _cells_of(content: bytes, text: str):
    """The cells of the workbook whose value is `text`, as openpyxl read them back."""
    sheet = load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row if cell.value == text]


@pytest.mark.parametrize("typed", ['=HYPERLINK("http://evil.example","Bấm")', "+1+1", "-2+3", "@SUM(A1)"])
def test_a_value_typed_as_a_formula_is_exported_as_text(client, world, typed):
    """An occupation set to =HYPERLINK(...) through the API became a live link in the export (issue 9 §4)."""
    Member.objects.filter(pk=world.member_a_record.pk).update(occupation=typed)
    content = export(client, world.commune_staff).content
    cells = _cells_of(content, typed)
    assert len(cells) == 1  # the text is there, unchanged...
    assert cells[0].data_type == "s"  # ...and stored as a string, not a formula
    assert "<f>" not in _sheet_xml(content)


def _sheet_xml(content: bytes) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()
