"""Checking and writing in one pass (pipeline.import_file): rows are checked in a second thread while the ones
already checked are written, and a bad row anywhere, even after rows were written, keeps nothing."""

from __future__ import annotations

import pytest
from django.utils import translation

from coso.core.exceptions import RuleViolation
from coso.members.importing import pipeline
from coso.members.importing.plan import plan_import
from coso.members.models import Member, MemberEvent, MembershipPeriod

from .conftest import make_csv, member_row, second_row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture(autouse=True)
def _small_chunks(monkeypatch):
    # One row per hand-over and one waiting: the first rows are written before the last ones are checked.
    monkeypatch.setattr(pipeline, "CHUNK", 1)
    monkeypatch.setattr(pipeline, "AHEAD", 1)


def many(count: int, **last) -> list[dict]:
    rows = [
        member_row(
            **{
                "Họ và tên": f"Nguyễn Thị Số {i}",
                "Số CCCD": f"093185{i:06d}",
                "Số thẻ đảng viên": f"9500{i:04d}",
            }
        )
        for i in range(count)
    ]
    rows[-1].update(last)
    return rows


def stored() -> tuple[int, int, int, int]:
    return (
        Member.objects.count(),
        MembershipPeriod.objects.count(),
        MemberEvent.objects.count(),
        Member.history.count(),
    )


def run(world, rows, **options):
    return pipeline.import_file(
        make_csv(rows), "members.csv", actor=world.commune_staff, into=world.commune, overlap=True, **options
    )


def test_a_clean_file_is_written_and_reported_as_plan_import_reports_it(world):
    rows = [*many(3), second_row()]
    expected = plan_import(make_csv(rows), "members.csv", actor=world.commune_staff, into=world.commune)
    seen = []
    report, result = run(world, rows, checking=lambda done, total: seen.append((done, total)))
    assert result == {"created": 4, "updated": 0, "unchanged": 0}
    assert report.as_dict() == expected.as_dict()
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert Member.objects.filter(full_name__startswith="Nguyễn Thị Số").count() == 3


def test_a_bad_last_row_keeps_nothing_of_the_rows_written_before_it(world, monkeypatch):
    before = stored()
    written = []
    real = pipeline.write_creates

    def counting(creates, *, actor, **kwargs):
        written.extend(plan.row for plan in creates)
        real(creates, actor=actor, **kwargs)

    monkeypatch.setattr(pipeline, "write_creates", counting)
    # Found by the row checks (not while reading the cells): the last row repeats the first one's CCCD.
    report, result = run(world, many(5, **{"Số CCCD": "093185000000"}))
    assert written[:2] == [2, 3]
    assert result is None and not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(6, "Số CCCD")]
    assert stored() == before


def test_updates_are_written_after_the_new_records(world):
    run(world, many(2))
    report, result = run(world, many(2) + [second_row()], checking=None)
    assert result == {"created": 1, "updated": 0, "unchanged": 2}
    changed = many(2)
    changed[0]["Số điện thoại"] = "0987654321"
    report, result = run(world, changed)
    assert result == {"created": 0, "updated": 1, "unchanged": 1}
    assert Member.objects.get(national_id="093185000000").phone == "0987654321"


def test_the_checking_thread_writes_the_report_in_the_callers_language(world):
    with translation.override("en"):
        report, _result = run(world, many(2, **{"Giới tính": "Khác"}))
    assert report.errors[0].reason == "The gender must be “Nam” or “Nữ”."


def test_a_national_id_saved_meanwhile_is_a_conflict_and_nothing_is_kept(world, monkeypatch):
    before = stored()
    real = pipeline.write_creates

    def write_after_someone_else(creates, *, actor, **kwargs):
        if creates[0].row == 3:
            # Another office saves the third row's CCCD after this import checked the file.
            Member.objects.filter(pk=world.member_b_record.pk).update(national_id="093185000002")
        real(creates, actor=actor, **kwargs)

    monkeypatch.setattr(pipeline, "write_creates", write_after_someone_else)
    with pytest.raises(RuleViolation) as error:
        run(world, many(4))
    assert error.value.code == "conflict"
    national_id = Member.objects.get(pk=world.member_b_record.pk).national_id
    assert stored() == before and national_id != "093185000002"
