"""`coso import members` and `coso export members`: dry run, --commit, --json, exit codes, progress, --user."""

from __future__ import annotations

import json

import pytest

from coso.cli import main
from coso.members.models import Member

from .conftest import make_csv, make_xlsx, member_row, second_row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """run_from_argv closes every connection when a command ends; the test's transaction must survive it."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "tot.xlsx"
    path.write_bytes(make_xlsx([member_row(), second_row()]))
    return path


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "loi.csv"
    path.write_bytes(make_csv([member_row(), second_row(**{"Ngày vào Đảng": "30/02/2015"})], delimiter=";"))
    return path


def run(*args) -> int:
    return main(list(args))


def test_dry_run_prints_the_report_and_writes_nothing(world, good_file, capsys):
    assert run("import", "members", str(good_file), "--into", "C1") == 0
    out = capsys.readouterr().out
    assert "2 dòng: 2 thêm mới, 0 cập nhật, 0 giữ nguyên, 0 có lỗi, 0 cảnh báo." in out
    assert "dòng 2 · Võ Thị Thu Trang (Chi bộ khu vực 1)" in out
    assert "Chạy thử: chưa ghi gì. Thêm --commit để nhập." in out
    assert not Member.objects.filter(national_id="093185004321").exists()


def test_commit_writes_and_a_second_run_changes_nothing(world, good_file, capsys):
    assert run("import", "members", str(good_file), "--into", "C1", "--commit") == 0
    assert "Đã nhập: thêm mới 2, cập nhật 0, giữ nguyên 0." in capsys.readouterr().out
    assert Member.objects.filter(national_id__in=["093185004321", "093090001111"]).count() == 2
    assert run("import", "members", str(good_file), "--into", "C1", "--commit") == 0
    assert "Đã nhập: thêm mới 0, cập nhật 0, giữ nguyên 2." in capsys.readouterr().out


def test_a_bad_row_exits_1_and_commit_writes_nothing(world, bad_file, capsys):
    count = Member.objects.count()
    assert run("import", "members", str(bad_file), "--into", "C1", "--commit") == 1
    out = capsys.readouterr().out
    assert (
        "dòng 3 · Ngày vào Đảng · “30/02/2015”: Ngày này không tồn tại; hãy ghi theo dạng dd/mm/yyyy." in out
    )
    assert "Chưa nhập dòng nào: hãy sửa các lỗi rồi chạy lại lệnh." in out
    assert Member.objects.count() == count


def test_json_report(world, bad_file, capsys):
    assert run("import", "members", str(bad_file), "--into", "C1", "--json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["committed"] is False
    assert report["counts"]["bad_rows"] == 1 and report["counts"]["creates"] == 1
    assert report["errors"] == [
        {
            "row": 3,
            "column": "Ngày vào Đảng",
            "value": "30/02/2015",
            "reason": "Ngày này không tồn tại; hãy ghi theo dạng dd/mm/yyyy.",
        }
    ]


def test_a_missing_required_column_exits_1(world, tmp_path, capsys):
    row = member_row()
    del row["Họ và tên"]
    path = tmp_path / "thieu.xlsx"
    path.write_bytes(make_xlsx([row]))
    assert run("import", "members", str(path), "--into", "C1") == 1
    assert "Lỗi tệp: Thiếu cột bắt buộc “Họ và tên”." in capsys.readouterr().out


def test_large_files_show_a_progress_line_on_stderr(world, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("coso.members.management.commands.coso_import.PROGRESS_ROWS", 1)
    path = tmp_path / "lon.csv"
    path.write_bytes(make_csv([member_row(), second_row()]))
    assert run("import", "members", str(path), "--into", "C1", "--commit") == 0
    err = capsys.readouterr().err
    assert "Đang kiểm tra: 2 / 2 dòng" in err and "Đang ghi: 2 / 2 hồ sơ" in err


def four_rows_file(tmp_path, monkeypatch):
    monkeypatch.setattr("coso.members.management.commands.coso_import.PROGRESS_ROWS", 1)
    monkeypatch.setattr("coso.members.importing.plan.PROGRESS_EVERY", 1)
    monkeypatch.setattr("coso.members.importing.pipeline.CHUNK", 1)
    rows = [
        member_row(
            **{
                "Họ và tên": f"Nguyễn Thị Số {i}",
                "Số CCCD": f"093185{i:06d}",
                "Số thẻ đảng viên": f"9500{i:04d}",
            }
        )
        for i in range(4)
    ]
    path = tmp_path / "lon.csv"
    path.write_bytes(make_csv(rows))
    return path


def test_in_a_log_the_progress_is_a_bar_line_per_tenth_of_the_way(world, tmp_path, capsys, monkeypatch):
    path = four_rows_file(tmp_path, monkeypatch)
    assert run("import", "members", str(path), "--into", "C1", "--commit") == 0
    assert capsys.readouterr().err.splitlines() == [
        "[######..................]  25% Đang kiểm tra: 1 / 4 dòng",
        "[############............]  50% Đang kiểm tra: 2 / 4 dòng",
        "[##################......]  75% Đang kiểm tra: 3 / 4 dòng",
        "[########################] 100% Đang kiểm tra: 4 / 4 dòng",
        "[########################] 100% Đang ghi: 4 / 4 hồ sơ",
    ]


def test_on_a_terminal_the_bar_is_redrawn_in_place(world, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("django.core.management.base.OutputWrapper.isatty", lambda self: True)
    path = four_rows_file(tmp_path, monkeypatch)
    assert run("import", "members", str(path), "--into", "C1", "--commit") == 0
    err = capsys.readouterr().err
    assert err.startswith("\r[######..................]  25% Đang kiểm tra: 1 / 4 dòng\r[####")
    assert "\r[########################] 100% Đang ghi: 4 / 4 hồ sơ\n" in err


def test_user_option_limits_the_import_to_the_users_scope(world, good_file, capsys):
    assert run("import", "members", str(good_file), "--into", "C2", "--user", "commune_staff") == 1
    assert "Bạn không có quyền nhập vào Đảng bộ xã Vị Thanh." in capsys.readouterr().err
    assert run("import", "members", str(good_file), "--into", "C1", "--user", "commune_staff") == 0
    assert run("import", "members", str(good_file), "--into", "C1", "--user", "nobody") == 1
    assert run("import", "members", str(good_file), "--into", "NOPE") == 1
    assert run("import", "members", "/no/such/file.xlsx", "--into", "C1") == 1


def test_export_command_writes_the_filtered_list(world, tmp_path, capsys):
    from openpyxl import load_workbook

    path = tmp_path / "members.xlsx"
    assert run("export", "members", "--org", "A", "-o", str(path)) == 0
    assert "Đã ghi 2 đảng viên vào" in capsys.readouterr().out
    names = sorted(row[0] for row in load_workbook(path).active.iter_rows(min_row=2, values_only=True))
    assert names == ["Nguyễn Thị Hoà", "Trần Văn An"]
    assert run("export", "members", "--org", "A", "--q", "an", "-o", str(path)) == 0
    assert [row[0] for row in load_workbook(path).active.iter_rows(min_row=2, values_only=True)] == [
        "Trần Văn An"
    ]
    assert run("export", "members", "--org", "D", "--user", "commune_staff", "-o", str(path)) == 1
    assert run("export", "members", "--status", "NOPE", "-o", str(path)) == 1


def test_the_text_report_names_the_first_new_members_and_counts_the_rest(
    world, tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr("coso.members.management.commands.coso_import.LIST_CREATES", 1)
    path = tmp_path / "hai.xlsx"
    path.write_bytes(make_xlsx([member_row(), second_row()]))
    assert run("import", "members", str(path), "--into", "C1") == 0
    out = capsys.readouterr().out
    assert "Võ Thị Thu Trang" in out and "Lê Văn Tám" not in out
    assert "… và 1 dòng khác (--json liệt kê đầy đủ)." in out


def test_a_row_with_an_error_is_never_also_planned_and_the_counts_add_up(world, tmp_path, capsys):
    """Row 4 repeats row 2's national ID, row 5 has an impossible date, row 6 is someone else's record outside
    the ward: each is one bad row and nothing else."""
    rows = [
        member_row(),
        second_row(),
        second_row(**{"Họ và tên": "Lê Văn Chín", "Số CCCD": "093185004321", "Số thẻ đảng viên": "93888888"}),
        member_row(
            **{"Họ và tên": "Phan Thị Mười", "Số CCCD": "093185009999", "Ngày vào Đảng": "30/02/2015"}
        ),
    ]
    rows.append(
        second_row(
            **{"Họ và tên": "Lê Văn Mười Một", "Số CCCD": "093090002222", "Số thẻ đảng viên": "93777777"}
        )
    )
    world.member_d_record.national_id = "093090002222"
    world.member_d_record.save()
    path = tmp_path / "lan-lon.xlsx"
    path.write_bytes(make_xlsx(rows))

    assert run("import", "members", str(path), "--into", "C1", "--json") == 1
    report = json.loads(capsys.readouterr().out)
    counts = report["counts"]
    bad_rows = {error["row"] for error in report["errors"]}
    planned = [plan["row"] for kind in ("creates", "updates", "unchanged") for plan in report[kind]]

    assert not bad_rows & set(planned), "a row with an error must not be planned as well"
    assert len(planned) == len(set(planned))
    assert counts["bad_rows"] == len(bad_rows) >= 2
    assert (
        counts["creates"] + counts["updates"] + counts["unchanged"] + counts["bad_rows"]
        == counts["rows"]
        == 5
    )
