"""Checking every row before anything is written: the member rules, uniqueness, cells and scope, matching for re-import."""

from __future__ import annotations

import datetime as dt

import pytest

from coso.core.exceptions import ConflictError, RuleViolation
from coso.members.importing.plan import plan_import
from coso.members.importing.writer import import_write
from coso.members.models import EventKind, Member, MemberStatus

from .conftest import make_xlsx, member_row, second_row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def check(world, rows, *, actor=None, into=None):
    return plan_import(
        make_xlsx(rows), "members.xlsx", actor=actor or world.commune_staff, into=into or world.commune
    )


def problems(report) -> list[tuple[int, str, str, str]]:
    return [(i.row, i.column, i.value, i.reason) for i in report.errors]


def the_only_error(report):
    assert len(report.errors) == 1, problems(report)
    return report.errors[0]


def no_id(**values):
    """A row without national ID and card number (so no uniqueness rule gets in the way of the rule tested)."""
    return member_row(**{"Số CCCD": None, "Số thẻ đảng viên": None, **values})


@pytest.mark.parametrize(
    ("header", "value", "reason"),
    [
        ("Ngày sinh", "31/02/1985", "Ngày này không tồn tại; hãy ghi theo dạng dd/mm/yyyy."),
        ("Ngày sinh", "12/1985", "Đây không phải là ngày; hãy ghi theo dạng dd/mm/yyyy."),
        ("Ngày vào Đảng", "16/06/2026", "Ngày không được sau ngày hôm nay."),
        ("Giới tính", "Khác", "Giới tính phải là “Nam” hoặc “Nữ”."),
        ("Lý luận chính trị", "Tiến sĩ", None),
        ("Đi làm ăn xa", "thỉnh thoảng", "Hãy ghi “Có” hoặc “Không”."),
        ("Email", "không có", "Đây không phải là địa chỉ email."),
        ("Số điện thoại", "12345", None),
        ("Họ và tên", "Trang", None),
    ],
)
def test_a_bad_cell_is_reported_with_row_column_value_and_reason(world, header, value, reason):
    row = member_row(**{header: value})
    if header == "Ngày vào Đảng":
        row.pop("Ngày chính thức")
    error = the_only_error(check(world, [row, second_row()]))
    assert (error.row, error.column, error.value) == (2, header, value)
    if reason:
        assert error.reason == reason


def test_required_fields_left_empty(world):
    report = check(world, [member_row(**{"Họ và tên": "", "Ngày vào Đảng": " "})])
    assert [(i.column, i.reason) for i in report.errors] == [
        ("Họ và tên", "Chưa nhập họ và tên."),
        ("Ngày vào Đảng", "Chưa nhập ngày vào Đảng."),
    ]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("12345", "Số CCCD phải có đúng 12 chữ số."),
        ("999185004321", "Ba chữ số đầu của số CCCD không phải là mã tỉnh."),
        ("093085004321", "Số CCCD không khớp với giới tính (chữ số thứ tư)."),
        ("093186004321", "Số CCCD không khớp với năm sinh (chữ số thứ 4 đến thứ 6)."),
    ],
)
def test_bad_national_ids(world, value, reason):
    error = the_only_error(check(world, [member_row(**{"Số CCCD": value})]))
    assert (error.column, error.value, error.reason) == ("Số CCCD", value, reason)


@pytest.mark.parametrize(
    ("born", "admitted", "ok"),
    [
        ("15/06/2000", "14/06/2018", False),  # 215 months
        ("15/06/2000", "15/06/2018", True),  # 18 years to the day
        ("01/01/1950", "01/01/2010", True),  # 60 years to the day
        ("01/01/1950", "01/02/2010", False),  # 60 years and 1 month
    ],
)
def test_age_at_admission_is_18_to_60_counted_in_months(world, born, admitted, ok):
    row = no_id(**{"Ngày sinh": born, "Ngày vào Đảng": admitted, "Ngày chính thức": None})
    report = check(world, [row])
    assert report.ok is ok, problems(report)
    if not ok:
        assert the_only_error(report).column == "Ngày vào Đảng"


def test_full_membership_earlier_than_12_months_is_an_error(world):
    error = the_only_error(check(world, [member_row(**{"Ngày chính thức": "18/05/2011"})]))
    assert error.column == "Ngày chính thức"
    assert error.reason == "Ngày chính thức không được trước khi hết 12 tháng dự bị (19/05/2011)."


def test_full_membership_later_than_12_months_is_a_warning_and_the_row_is_imported(world):
    report = check(world, [member_row(**{"Ngày chính thức": "20/07/2011"})])
    assert report.ok
    assert [(w.row, w.column) for w in report.warnings] == [(2, "Ngày chính thức")]
    assert [p.action for p in report.plans] == ["create"]


def test_national_id_and_card_number_repeated_inside_the_file(world):
    report = check(
        world,
        [
            member_row(),
            second_row(
                **{
                    "Số CCCD": "093185004321",
                    "Số thẻ đảng viên": "93123456",
                    "Giới tính": "Nữ",
                    "Ngày sinh": "01/01/1985",
                }
            ),
        ],
    )
    assert [(row, column, reason) for row, column, _v, reason in problems(report)] == [
        (3, "Số CCCD", "Số CCCD này đã có ở dòng 2."),
        (3, "Số thẻ đảng viên", "Số thẻ đảng viên này đã có ở dòng 2."),
    ]


def test_national_id_of_a_member_outside_the_actors_scope_only_says_it_is_taken(world):
    other = world.member_d_record  # commune C2: not visible to commune staff of C1
    error = the_only_error(
        check(world, [member_row(**{"Số CCCD": other.national_id, "Số thẻ đảng viên": None})])
    )
    assert (error.column, error.reason) == ("Số CCCD", "Số CCCD này đã có ở hồ sơ của đảng viên khác.")
    assert other.full_name not in error.reason


def test_national_id_of_a_member_of_another_cell_asks_for_a_transfer(world):
    other = world.member_b_record
    row = member_row(**{"Số CCCD": other.national_id, "Số thẻ đảng viên": None, "Mã chi bộ": "A"})
    error = the_only_error(check(world, [row]))
    assert error.column == "Mã chi bộ"
    assert "Chi bộ khu vực 2" in error.reason and "chuyển sinh hoạt" in error.reason


def test_card_number_of_another_member(world):
    row = member_row(
        **{
            "Họ và tên": world.other_a_record.full_name,
            "Số CCCD": world.other_a_record.national_id,
            "Số thẻ đảng viên": world.member_a_record.card_number,
        }
    )
    error = the_only_error(check(world, [row]))
    assert (error.column, error.reason) == (
        "Số thẻ đảng viên",
        "Số thẻ đảng viên này đã có ở hồ sơ của đảng viên khác.",
    )


def test_unknown_cell(world):
    error = the_only_error(check(world, [member_row(**{"Mã chi bộ": None, "Chi bộ": "Chi bộ không có"})]))
    assert (error.column, error.value) == ("Chi bộ", "Chi bộ không có")
    assert error.reason == "Không tìm thấy chi bộ có mã hoặc tên này trong phạm vi của bạn."


def test_cell_outside_the_into_subtree_is_named(world):
    error = the_only_error(check(world, [member_row(**{"Mã chi bộ": "D"})], actor=world.province_admin))
    assert error.reason == "Chi bộ “Chi bộ ấp 3” không thuộc Đảng bộ phường Vị Tân."


def test_cell_outside_the_actors_scope_is_not_found(world):
    # Commune staff of C1 cannot see cell D of commune C2: it does not exist for them.
    error = the_only_error(check(world, [member_row(**{"Mã chi bộ": "D"})]))
    assert error.reason == "Không tìm thấy chi bộ có mã hoặc tên này trong phạm vi của bạn."


def test_cell_found_by_name_without_accents_or_by_code_in_the_name_column(world):
    rows = [
        member_row(**{"Mã chi bộ": None, "Chi bộ": "chi bo khu vuc 2"}),
        second_row(**{"Mã chi bộ": None, "Chi bộ": "a"}),
    ]
    report = check(world, rows)
    assert report.ok, problems(report)
    assert [p.organization for p in report.plans] == [world.cell_b, world.cell_a]


def test_members_belong_to_cells_not_committees(world):
    error = the_only_error(check(world, [member_row(**{"Mã chi bộ": "C1"})]))
    assert error.reason == "Đảng viên sinh hoạt tại chi bộ; hãy chọn một chi bộ."


def test_importing_into_an_organization_out_of_scope_is_refused(world):
    from django.http import Http404

    with pytest.raises(Http404):
        check(world, [member_row()], into=world.commune2)


def test_nothing_is_written_when_one_row_is_bad(world):
    before = Member.objects.count()
    report = check(world, [member_row(), second_row(**{"Ngày sinh": "99/99/1990"})])
    assert not report.ok and [p.action for p in report.plans] == ["create"]
    with pytest.raises(RuleViolation):
        import_write(report, actor=world.commune_staff)
    assert Member.objects.count() == before


def test_import_writes_records_periods_events_status_and_history(world):
    report = check(world, [member_row(), second_row(**{"Ngày chính thức": None, "Số thẻ đảng viên": None})])
    assert import_write(report, actor=world.commune_staff) == {"created": 2, "updated": 0, "unchanged": 0}
    full = Member.objects.get(national_id="093185004321")
    probationary = Member.objects.get(national_id="093090001111")
    assert (full.status, probationary.status) == (MemberStatus.FULL, MemberStatus.PROBATIONARY)
    assert full.organization == world.cell_a and probationary.organization == world.cell_b
    assert full.name_folded == "vo thi thu trang" and full.name_sort
    assert [(p.organization_id, p.starts_on, p.ends_on) for p in full.periods.all()] == [
        (world.cell_a.pk, dt.date(2010, 5, 19), None)
    ]
    assert [(e.kind, e.occurred_on, e.recorded_by) for e in full.events.all()] == [
        (EventKind.ADMISSION, dt.date(2010, 5, 19), world.commune_staff),
        (EventKind.RECOGNITION, dt.date(2011, 5, 19), world.commune_staff),
    ]
    assert [(h.history_type, h.history_user) for h in full.history.all()] == [("+", world.commune_staff)]
    assert Member.objects.filter(full_name="Võ Thị Thu Trang").count() == 1


def test_importing_the_same_file_twice_creates_no_duplicates(world):
    rows = [member_row(), second_row(), no_id(**{"Họ và tên": "Đặng Thị Mai", "Ngày sinh": "01/01/1980"})]
    import_write(check(world, rows), actor=world.commune_staff)
    count = Member.objects.count()
    again = check(world, rows)
    assert again.ok
    assert [p.action for p in again.plans] == ["unchanged"] * 3
    assert import_write(again, actor=world.commune_staff) == {"created": 0, "updated": 0, "unchanged": 3}
    assert Member.objects.count() == count


def test_changed_rows_are_updates_with_old_and_new_values(world):
    member = world.other_a_record
    row = {
        "Họ và tên": member.full_name,
        "Số CCCD": member.national_id,
        "Số điện thoại": "0987654321",
        "Nghề nghiệp": "Kỹ sư",
        "Ngày sinh": member.date_of_birth,
        "Giới tính": "Nam" if member.gender == "M" else "Nữ",
        "Ngày vào Đảng": member.admitted_on,
        "Mã chi bộ": "A",
    }
    report = check(world, [row])
    assert report.ok, problems(report)
    (plan,) = report.plans
    assert plan.action == "update" and plan.member == member
    assert plan.changes == [
        {"field": "phone", "column": "Số điện thoại", "old": member.phone, "new": "0987654321"},
        {"field": "occupation", "column": "Nghề nghiệp", "old": member.occupation, "new": "Kỹ sư"},
    ]
    import_write(report, actor=world.commune_staff)
    member.refresh_from_db()
    assert (member.phone, member.occupation, member.version) == ("0987654321", "Kỹ sư", 2)
    assert member.history.first().history_user == world.commune_staff


def test_matching_falls_back_to_the_card_number(world):
    member = world.other_a_record
    row = {
        "Họ và tên": member.full_name,
        "Số thẻ đảng viên": member.card_number,
        "Tôn giáo": "Phật giáo",
        "Ngày sinh": member.date_of_birth,
        "Giới tính": "Nam" if member.gender == "M" else "Nữ",
        "Ngày vào Đảng": member.admitted_on,
        "Mã chi bộ": "A",
    }
    (plan,) = check(world, [row]).plans
    assert (plan.action, plan.member, [c["field"] for c in plan.changes]) == ("update", member, ["religion"])


def test_an_edit_made_after_the_check_stops_the_import(world):
    member = world.other_a_record
    row = {
        "Họ và tên": member.full_name,
        "Số CCCD": member.national_id,
        "Nghề nghiệp": "Kỹ sư",
        "Mã chi bộ": "A",
    }
    row |= {"Ngày sinh": member.date_of_birth, "Giới tính": "Nam" if member.gender == "M" else "Nữ"}
    row |= {"Ngày vào Đảng": member.admitted_on}
    report = check(world, [member_row(), row])
    Member.objects.filter(pk=member.pk).update(version=5)
    with pytest.raises(ConflictError):
        import_write(report, actor=world.commune_staff)
    assert not Member.objects.filter(national_id="093185004321").exists()


def test_validation_loads_existing_records_in_a_constant_number_of_queries(
    world, django_assert_max_num_queries
):
    rows = [
        member_row(**{"Họ và tên": f"Nguyễn Văn Số {i}", "Giới tính": "Nam", "Số CCCD": f"093085{i:06d}",
                      "Số thẻ đảng viên": f"9400{i:04d}"})
        for i in range(60)
    ]  # fmt: skip
    with django_assert_max_num_queries(8):
        report = check(world, rows)
    assert report.ok and len(report.plans) == 60


def test_a_card_number_of_a_member_with_another_national_id_is_not_taken_for_a_match(world):
    member = world.other_a_record
    row = member_row(**{"Số thẻ đảng viên": member.card_number})  # a new CCCD with someone else's card
    error = the_only_error(check(world, [row]))
    assert (error.column, error.value) == ("Số thẻ đảng viên", member.card_number)
    assert error.reason == "Số thẻ đảng viên này đã có ở hồ sơ của đảng viên khác."


def test_a_value_repeated_on_many_rows_is_reported_on_each_of_them(world):
    # Conversions of repeated values are remembered; their errors still belong to every row.
    away = {"Đi làm ăn xa": "thỉnh thoảng"}
    third = {"Số CCCD": "093090001112", "Số thẻ đảng viên": "93999998"}
    rows = [member_row(**{"Giới tính": "Khác"}), second_row(**{"Giới tính": "Khác"}, **away)]
    rows.append(second_row(**third, **away))
    report = check(world, rows)
    assert [(e.row, e.column, e.value) for e in report.errors] == [
        (2, "Giới tính", "Khác"),
        (3, "Giới tính", "Khác"),
        (3, "Đi làm ăn xa", "thỉnh thoảng"),
        (4, "Đi làm ăn xa", "thỉnh thoảng"),
    ]
