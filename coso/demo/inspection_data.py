"""Demo inspection data: the city inspection committee's plan for the year, one supervision of the demo cell
carried through to its conclusion, the shortcoming it found with the remedies that follow it (one overdue,
owned by the `dangvien` account's member; one reported done, waiting for the ward to verify it), and one
reprimand recorded through the members service.

Written through the services acting as SYSTEM (a handful of rows; no notifications are sent by them).
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from coso.accounts.permissions import SYSTEM
from coso.inspection import services
from coso.inspection.models import CaseKind, InspectionPlan, Remedy, RemedyStatus, RemedyUpdate
from coso.members.models import Member, MemberStatus
from coso.orgs.models import Organization

from . import city
from .commitments_data import _pdf

FILE_NAMES = {"PLAN": "ke-hoach-giam-sat.pdf", "MEETING": "bien-ban-hoi-nghi.pdf"}
STEPS = ("PLAN", "NOTICE", "SELF_REPORT", "FINDINGS", "MEETING", "CONCLUSION")


def load(*, scale: float, seed: int, today: dt.date) -> None:
    committee = Organization.objects.filter(code=city.CITY[0]).first()
    cell = Organization.objects.filter(code=city.DEMO_CELL).first()
    if committee is None or cell is None or InspectionPlan.objects.filter(organization=committee).exists():
        return
    from .loader import linked_member

    # The services refuse dates after the real today: a demo loaded "as of" a later day stops at the real one.
    today = min(today, timezone.localdate())
    year = today.year
    plan = services.plan_create(
        actor=SYSTEM, organization=committee, year=year, title=f"Chương trình kiểm tra, giám sát năm {year}",
        subjects="Đảng ủy các phường, xã; chi bộ khu vực 1 phường I; đảng viên là bí thư chi bộ.",
        content="Việc thực hiện Quy định 144 về chuẩn mực đạo đức cách mạng; chất lượng sinh hoạt chi bộ; "
        "việc thực hiện nhiệm vụ đảng viên được giao.",
        starts_on=dt.date(year, 1, 1), ends_on=dt.date(year, 12, 31),
    )  # fmt: skip
    case = services.case_create(
        actor=SYSTEM, organization=cell, plan=plan, kind=CaseKind.REGULAR_SUPERVISION, year=year,
        title="Giám sát thường xuyên chi bộ khu vực 1 về chất lượng sinh hoạt",
        content="Giám sát việc tổ chức sinh hoạt chi bộ định kỳ và việc đảng viên dự sinh hoạt.",
    )  # fmt: skip
    start = max(today - dt.timedelta(days=70), dt.date(year, 1, 1))
    notes = {
        "PLAN": "Kế hoạch giám sát số 12-KH/UBKTTU",
        "NOTICE": "Thông báo đến chi bộ và đảng viên được giám sát",
        "SELF_REPORT": "Chi bộ gửi báo cáo tự kiểm điểm",
        "FINDINGS": "Dự thảo báo cáo kết quả giám sát",
        "MEETING": "Hội nghị thông qua kết quả giám sát, có biên bản",
        "CONCLUSION": "Chi bộ sinh hoạt đều đặn nhưng nội dung còn chung chung; một số đảng viên vắng không lý "
        "do. Yêu cầu chi bộ và đảng viên liên quan khắc phục.",
    }
    for index, step in enumerate(STEPS):
        date = min(start + dt.timedelta(days=7 * index), today)
        name = FILE_NAMES.get(step)
        document = ContentFile(_pdf(notes[step]), name=name) if name else None
        services.case_record_step(
            actor=SYSTEM, case=case, step=step, date=date, note=notes[step], document=document
        )
    case.refresh_from_db()
    member = linked_member("cell_member")
    secretary = linked_member("cell_secretary")
    if member is not None:
        remedy = services.case_add_finding(
            actor=SYSTEM, case=case, text="Vắng sinh hoạt chi bộ hai kỳ liền không có lý do", manifestations=["A4"],
            remedy_title="Dự đầy đủ sinh hoạt chi bộ và báo cáo trước chi bộ",
            due_date=today - dt.timedelta(days=10), responsible=member, member=member,
        )  # fmt: skip
        RemedyUpdate.objects.create(
            remedy=remedy, date=max(today - dt.timedelta(days=20), start), text="Đã dự sinh hoạt kỳ tháng này",
            progress=50,
        )  # fmt: skip
        Remedy.objects.filter(pk=remedy.pk).update(
            status=RemedyStatus.IN_PROGRESS, own_progress=50, progress=50
        )
    if secretary is not None:
        remedy = services.case_add_finding(
            actor=SYSTEM, case=case, text="Nội dung sinh hoạt chi bộ còn chung chung, chưa bám nghị quyết",
            remedy_title="Xây dựng nội dung sinh hoạt chuyên đề theo quý",
            due_date=today + dt.timedelta(days=30), responsible=secretary, member=secretary,
        )  # fmt: skip
        update = RemedyUpdate(
            remedy=remedy, date=today, text="Đã ban hành kế hoạch sinh hoạt chuyên đề", progress=100
        )
        update.evidence.save("ke-hoach.pdf", ContentFile(_pdf("Ke hoach sinh hoat chuyen de")), save=False)
        update.evidence_name = "ke-hoach.pdf"
        update.save()
        Remedy.objects.filter(pk=remedy.pk).update(
            status=RemedyStatus.REPORTED_DONE, own_progress=100, progress=100
        )
    excluded = [m.pk for m in (member, secretary) if m is not None]
    other = (
        Member.objects.filter(organization=cell, status=MemberStatus.FULL).exclude(pk__in=excluded).order_by("pk")
        .first()
    )  # fmt: skip
    if other is not None:
        services.discipline_record(
            actor=SYSTEM, member=other, form="REPRIMAND", decision_number=f"05-QĐ/UBKTTU/{year}",
            decided_on=case.concluded_on, issuing_body="Ủy ban Kiểm tra Thành ủy Vị Thanh", case=case,
            reason="Nhiều lần vắng sinh hoạt chi bộ không lý do; không thực hiện nhiệm vụ được chi bộ phân công.",
        )  # fmt: skip
