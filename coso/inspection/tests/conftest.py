"""Fixtures of the inspection tests: an inspection account on commune C1, remedies and cases in each state."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coso.accounts.models import Role
from coso.inspection.models import (
    CaseKind,
    CaseStepRecord,
    InspectionCase,
    InspectionPlan,
    Remedy,
    RemedyStatus,
    RemedyUpdate,
    Shortcoming,
    ShortcomingSource,
)
from coso.testing.factories import make_user

_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def inspector(world):
    """The commune's inspection committee."""
    return make_user("inspector", role=Role.INSPECTION, organization=world.commune)


def pdf_file(name: str = "bien-ban.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


def make_shortcoming(organization, *, member=None, case=None, year=2026) -> Shortcoming:
    return Shortcoming.objects.create(
        organization=organization,
        member=member,
        case=case,
        text=f"Hạn chế số {next(_serial)}",
        source=ShortcomingSource.INSPECTION if case else ShortcomingSource.SELF_REVIEW,
        year=year,
    )


def make_remedy(organization, *, responsible=None, status=RemedyStatus.OPEN, **fields) -> Remedy:
    shortcoming = fields.pop("shortcoming", None) or make_shortcoming(organization, member=responsible)
    data = dict(
        organization=organization,
        shortcoming=shortcoming,
        responsible=responsible,
        title=f"Biện pháp số {next(_serial)}",
        due_date=dt.date(2026, 12, 31),
        year=2026,
        status=status,
    )
    data.update(fields)
    remedy = Remedy.objects.create(**data)
    if status == RemedyStatus.REPORTED_DONE:
        add_evidence(remedy)
    return remedy


def add_evidence(remedy: Remedy) -> RemedyUpdate:
    return RemedyUpdate.objects.create(
        remedy=remedy,
        date=dt.date(2026, 6, 1),
        text="Đã khắc phục",
        progress=100,
        evidence=pdf_file(),
        evidence_name="bien-ban.pdf",
    )


def make_plan(organization, year=2026) -> InspectionPlan:
    return InspectionPlan.objects.create(
        organization=organization,
        year=year,
        title=f"Kế hoạch kiểm tra, giám sát năm {year}",
        subjects="Chi bộ khu vực 1",
        content="Việc thực hiện nghị quyết",
        starts_on=dt.date(year, 3, 1),
        ends_on=dt.date(year, 11, 30),
    )


def make_case(organization, *, steps=(), member=None, kind=CaseKind.REGULAR_SUPERVISION) -> InspectionCase:
    case = InspectionCase.objects.create(
        organization=organization, member=member, kind=kind, title=f"Giám sát số {next(_serial)}", year=2026
    )
    for index, step in enumerate(steps):
        CaseStepRecord.objects.create(
            case=case, step=step, date=dt.date(2026, 3, 1 + index), note="Kết luận" if step == "CONCLUSION" else "",
            document=pdf_file() if index == 0 else "",
        )  # fmt: skip
        case.step = step
    if steps and steps[-1] == "CONCLUSION":
        case.conclusion = "Kết luận"
        case.concluded_on = dt.date(2026, 3, len(steps))
    case.save()
    return case


ALL_STEPS = ("PLAN", "NOTICE", "SELF_REPORT", "FINDINGS", "MEETING", "CONCLUSION")
