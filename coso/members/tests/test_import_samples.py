"""The sample files in docs/samples: the clean one imports into ward I of the demo, the messy one lists every problem."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from coso.accounts.permissions import SYSTEM
from coso.members.importing import samples
from coso.members.importing.plan import plan_import
from coso.orgs.models import OrgKind
from coso.testing.factories import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
DOCS = Path(__file__).resolve().parents[3] / "docs" / "samples"


@pytest.fixture
def ward(world):
    ward = make_org(
        name="Đảng bộ phường I", kind=OrgKind.GRASSROOTS_COMMITTEE, parent=world.province, code="VT-P1"
    )
    make_org(name="Chi bộ khu vực 1", parent=ward, code="VT-P1-KV1")
    make_org(name="Chi bộ khu vực 2", parent=ward, code="VT-P1-KV2")
    make_org(name="Chi bộ Trường Tiểu học Trần Quốc Toản", parent=ward, code="VT-P1-TH")
    return ward


def test_the_clean_sample_imports_without_a_remark(ward):
    report = plan_import(samples.clean_xlsx(), "members-clean.xlsx", actor=SYSTEM, into=ward)
    assert report.ok and not report.warnings and not report.unknown_columns, report.as_dict()
    assert [plan.action for plan in report.plans] == ["create"] * len(samples.PEOPLE)


def test_the_messy_sample_lists_each_kind_of_problem(ward):
    report = plan_import(samples.messy_xlsx(), "members-messy.xlsx", actor=SYSTEM, into=ward)
    assert not report.ok
    assert report.unknown_columns == ["Sở thích"]
    errors = {(issue.row, issue.column) for issue in report.errors}
    assert errors == {
        (6, "Ngày tháng năm sinh"),
        (7, "Ngày kết nạp"),
        (8, "Ngày chính thức"),
        (9, "CCCD"),
        (10, "CCCD"),
        (11, "Chi bộ"),
        (13, "Ngày kết nạp"),
        (13, "Số ĐT"),
    }
    assert {(w.row, w.column) for w in report.warnings} == {(5, "CCCD"), (12, "Ngày chính thức")}
    assert [(plan.row, plan.values["full_name"]) for plan in report.plans][:1] == [(5, "Nguyễn Thị Mỹ Duyên")]


@pytest.mark.parametrize("name", ["members-clean.xlsx", "members-messy.xlsx"])
def test_the_committed_samples_are_what_the_script_writes(name):
    """Regenerate with `python -m coso.members.importing.samples docs/samples`."""
    fresh = {"members-clean.xlsx": samples.clean_xlsx, "members-messy.xlsx": samples.messy_xlsx}[name]()

    def cells(content: bytes):
        return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))

    assert cells((DOCS / name).read_bytes()) == cells(fresh)
