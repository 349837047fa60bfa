"""Demo meetings: the last months of cell life in Vị Thanh, so every meetings page has something to show.

Most cells held their regular meeting every month (a thematic one combined each quarter), with attendance and
approved minutes; a few cells have not met this month; a few members carry attendance flags (one toward the
3-month removal rule). The demo secretary's cell (VT-P1-KV1) has this month's meeting planned (to publish, take
attendance and write the minutes in the demo) and next month's published; ward I (VT-P1) sets seasonal topics,
has one issue sent up by the cell to answer, and a published rotation plan for its secretary and deputy.

Past records are written in bulk (thousands of rows; no history rows for them, they were never edited); what a
demo user acts on goes through the services so it behaves like real data.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from coso.accounts.permissions import SYSTEM
from coso.core.exceptions import RuleViolation
from coso.meetings import services
from coso.meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Resolution,
)
from coso.members.models import CURRENT_STATUSES, Member, MemberStatus
from coso.orgs.models import CELL_KINDS, Organization, OrgStatus, PositionTitle

from . import city

MONTHS_BACK = 5
TOPICS = [
    (1, "An ninh trật tự, phòng chống cháy nổ dịp Tết Nguyên đán"),
    (2, "An ninh trật tự, phòng chống cháy nổ dịp Tết Nguyên đán"),
    (4, "Vệ sinh môi trường, chỉnh trang đô thị chào mừng 30/4 và 1/5"),
    (8, "Vệ sinh môi trường, trật tự đô thị chào mừng Quốc khánh 2/9"),
    (6, "Vận động giải phóng mặt bằng dự án khu dân cư phường I"),
    (12, "Tổng kết năm, kiểm điểm, đánh giá xếp loại đảng viên"),
]
AGENDA = [
    "Thông tin thời sự, văn bản mới của cấp trên",
    "Đánh giá kết quả thực hiện nhiệm vụ tháng",
    "Phương hướng, nhiệm vụ tháng tới; phân công đảng viên",
    "Tình hình tư tưởng đảng viên và nhân dân trên địa bàn",
]


def _month_start(today: dt.date, back: int) -> dt.date:
    """The first day of the month `back` months before today's (negative: after)."""
    index = today.year * 12 + today.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def _at(date: dt.date, hour: int = 19, minute: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date, dt.time(hour, minute)))


def load(*, scale: float, seed: int, today: dt.date) -> None:
    rng = random.Random(seed * 7 + 5)
    cells = list(
        Organization.objects.filter(kind__in=CELL_KINDS, status=OrgStatus.ACTIVE)
        .filter(path__startswith=Organization.objects.get(code=city.PROVINCE[0]).path)
        .order_by("path")
    )
    if not cells:
        return
    members: dict[int, list[tuple[int, str]]] = {}
    for pk, org_id, status in Member.objects.filter(
        organization__in=cells, status__in=CURRENT_STATUSES
    ).values_list("pk", "organization_id", "status"):
        members.setdefault(org_id, []).append((pk, status))
    demo_cell = next((c for c in cells if c.code == city.DEMO_CELL), cells[0])
    # A few cells (never the demo ward's office view being empty) have not met this month.
    not_met = {c.pk for c in rng.sample(cells, max(2, len(cells) // 8))} | {demo_cell.pk}
    flagged_members = _pick_flagged(members, demo_cell, rng)

    meetings: list[Meeting] = []
    for cell in cells:
        day = rng.randint(8, 25)
        for back in range(MONTHS_BACK, -1, -1):
            first = _month_start(today, back)
            date = first.replace(day=min(day, 28))
            if back == 0:
                if cell.pk in not_met:
                    continue
                date = first.replace(day=max(1, min(today.day - 1, day))) if today.day > 1 else first
            thematic = date.month % 3 == 2
            meetings.append(
                Meeting(
                    organization=cell,
                    kind=MeetingKind.REGULAR,
                    combined_thematic=thematic,
                    title=f"Sinh hoạt chi bộ thường kỳ tháng {date:%m/%Y}",
                    topic="Kết hợp sinh hoạt chuyên đề học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
                    if thematic
                    else "",
                    starts_at=_at(date),
                    duration_minutes=120 if thematic else 90,
                    place=cell.address or "Trụ sở chi bộ",
                    status=MeetingStatus.MINUTES_APPROVED if back > 0 else MeetingStatus.HELD,
                    published_at=_at(date - dt.timedelta(days=3), 8),
                )
            )
    Meeting.objects.bulk_create(meetings, batch_size=500)
    attendance: list[Attendance] = []
    minutes: list[Minutes] = []
    for meeting in meetings:
        date = timezone.localtime(meeting.starts_at).date()
        for pk, status in members.get(meeting.organization_id, []):
            exempted = status == MemberStatus.EXEMPT
            attendance.append(
                Attendance(
                    meeting=meeting,
                    member_id=pk,
                    meeting_date=date,
                    status=_status(rng, pk, date, today, flagged_members),
                    reason="",
                    exempted=exempted,
                    counted=status == MemberStatus.FULL,
                    recorded_at=meeting.starts_at,
                )
            )
        minutes.append(
            Minutes(
                meeting=meeting,
                number=1,
                opening="Đồng chí bí thư chi bộ khai mạc, giới thiệu khách mời và thông qua chương trình.",
                items=[
                    {"item": None, "title": t, "opinions": "Các đồng chí đảng viên thống nhất."}
                    for t in AGENDA
                ],
                conclusion="Chi bộ thống nhất các nhiệm vụ trọng tâm tháng tới.",
                status=MinutesStatus.APPROVED
                if meeting.status == MeetingStatus.MINUTES_APPROVED
                else MinutesStatus.DRAFT,
                approved_at=meeting.starts_at + dt.timedelta(days=1)
                if meeting.status == MeetingStatus.MINUTES_APPROVED
                else None,
            )
        )
    for row in attendance:
        if row.status in (AttendanceStatus.ABSENT_EXCUSED, AttendanceStatus.ABSENT_UNEXCUSED):
            row.reason = "Ốm" if row.status == AttendanceStatus.ABSENT_EXCUSED else ""
    Attendance.objects.bulk_create(attendance, batch_size=2000)
    Minutes.objects.bulk_create(minutes, batch_size=500)
    counted = {}
    for row in attendance:
        if row.counted:
            counted[row.meeting.pk] = counted.get(row.meeting.pk, 0) + 1
    Resolution.objects.bulk_create(
        [
            Resolution(
                minutes=m,
                order=1,
                text="Thông qua nghị quyết lãnh đạo thực hiện nhiệm vụ tháng tới",
                votes_for=counted.get(m.meeting.pk, 0),
                base=counted.get(m.meeting.pk, 0),
                passed=counted.get(m.meeting.pk, 0) > 0,
            )
            for m in minutes
        ],
        batch_size=500,
    )
    _demo_cell(demo_cell, today)
    _ward(Organization.objects.get(code=city.DEMO_WARD), cells, today, rng)


def _pick_flagged(members, demo_cell, rng) -> dict[int, str]:
    """A few members with flags: in the demo cell one skipping 3 months without reason, one excused 4 times in
    a row; elsewhere a handful of unexcused absences."""
    result: dict[int, str] = {}
    demo = [pk for pk, status in members.get(demo_cell.pk, []) if status == MemberStatus.FULL]
    if len(demo) >= 4:
        result[demo[-1]] = "unexcused3"
        result[demo[-2]] = "excused4"
    others = [
        pk
        for cell, rows in members.items()
        if cell != demo_cell.pk
        for pk, s in rows
        if s == MemberStatus.FULL
    ]
    for pk in rng.sample(others, min(len(others), 6)):
        result[pk] = "unexcused1"
    return result


def _status(rng, pk: int, date: dt.date, today: dt.date, flagged: dict[int, str]) -> str:
    kind = flagged.get(pk)
    months_ago = (today.year - date.year) * 12 + today.month - date.month
    if kind == "unexcused3" and months_ago in (1, 2, 4) and date.year == today.year:
        return AttendanceStatus.ABSENT_UNEXCUSED
    if kind == "excused4" and 1 <= months_ago <= 4:
        return AttendanceStatus.ABSENT_EXCUSED
    if kind == "unexcused1" and months_ago == 1:
        return AttendanceStatus.ABSENT_UNEXCUSED
    roll = rng.random()
    if roll < 0.86:
        return AttendanceStatus.PRESENT
    if roll < 0.91:
        return AttendanceStatus.LATE
    if roll < 0.93:
        return AttendanceStatus.LEFT_EARLY
    return AttendanceStatus.ABSENT_EXCUSED


def _demo_cell(cell: Organization, today: dt.date) -> None:
    """This month's meeting planned (the demo secretary publishes it), next month's published."""
    current = list(
        Member.objects.filter(organization=cell, status__in=CURRENT_STATUSES).order_by("name_sort")
    )
    secretary = Member.objects.filter(
        positions__committee__organization=cell,
        positions__title=PositionTitle.SECRETARY,
        positions__ends_on__isnull=True,
    ).first() or (current[0] if current else None)
    taker = next((m for m in current if m != secretary), None)
    this_day = min(today + dt.timedelta(days=2), _month_start(today, -1) - dt.timedelta(days=1))
    this_month = services.meeting_schedule(
        actor=SYSTEM,
        organization=cell,
        starts_at=_at(this_day),
        place=cell.address or "Nhà văn hóa khu vực 1",
        chair=secretary,
        minute_taker=taker,
        agenda=AGENDA,
        topic="Vận động nhân dân tham gia giữ gìn vệ sinh môi trường, trật tự đô thị",
    )
    services.document_add(
        actor=SYSTEM,
        meeting=this_month,
        title="Dự thảo nghị quyết chi bộ tháng",
        link="https://dangcongsan.vn/",
    )
    next_first = _month_start(today, -1)
    next_meeting = services.meeting_schedule(
        actor=SYSTEM,
        organization=cell,
        starts_at=_at(next_first.replace(day=15)),
        place=cell.address or "Nhà văn hóa khu vực 1",
        chair=secretary,
        minute_taker=taker,
        agenda=AGENDA[:3],
    )
    services.guest_add(
        actor=SYSTEM, meeting=next_meeting, name="Đảng ủy viên phụ trách chi bộ", role="Đảng ủy phường I"
    )
    services.meeting_publish(actor=SYSTEM, meeting=next_meeting)
    last_held = (
        Meeting.objects.filter(organization=cell, status=MeetingStatus.MINUTES_APPROVED)
        .order_by("-starts_at")
        .first()
    )
    if last_held is not None:
        services.escalation_raise(
            actor=SYSTEM,
            meeting=last_held,
            text="Tuyến hẻm 12 đường Trần Hưng Đạo ngập nước khi mưa lớn; đề nghị Đảng ủy chỉ đạo UBND phường khảo sát, nạo vét cống.",
        )


def _ward(ward: Organization, cells: list[Organization], today: dt.date, rng) -> None:
    for month, topic in TOPICS:
        services.seasonal_topic_save(actor=SYSTEM, organization=ward, month=month, topic=topic)
    ward_cells = [c for c in cells if c.path.startswith(ward.path + ".")]
    next_first = _month_start(today, -1)
    existing = set(
        Meeting.objects.filter(organization__in=ward_cells, starts_at__gte=_at(next_first, 0, 0)).values_list(
            "organization_id", flat=True
        )
    )
    for i, cell in enumerate(ward_cells):
        if cell.pk not in existing:
            services.meeting_schedule(
                actor=SYSTEM,
                organization=cell,
                starts_at=_at(next_first.replace(day=5 + (i * 3) % 23)),
                place=cell.address or "Trụ sở chi bộ",
            )
    leaders = list(
        Member.objects.filter(
            positions__committee__organization=ward,
            positions__title__in=(PositionTitle.SECRETARY, PositionTitle.DEPUTY_SECRETARY),
            positions__ends_on__isnull=True,
        ).distinct()[:2]
    )
    if not leaders:
        leaders = list(Member.objects.filter(positions__committee__organization=ward).distinct()[:2])
    if not leaders:
        return
    try:
        plan, _proposal = services.rotation_plan_create(
            actor=SYSTEM,
            organization=ward,
            leaders=leaders,
            starts_on=_month_start(today, 1),
            ends_on=_month_start(today, -2) - dt.timedelta(days=1),
            title="Lịch dự sinh hoạt chi bộ luân phiên của Bí thư, Phó Bí thư Đảng ủy phường I",
        )
    except RuleViolation:  # an infeasible demo period is skipped rather than breaking the demo
        return
    services.rotation_plan_publish(actor=SYSTEM, plan=plan)
    done = []
    for visit in plan.visits.select_related("meeting", "leader"):
        if visit.meeting.is_held and rng.random() < 0.8:
            done.append(
                Attendance(
                    meeting=visit.meeting,
                    member=visit.leader,
                    meeting_date=timezone.localtime(visit.meeting.starts_at).date(),
                    status=AttendanceStatus.PRESENT,
                    is_guest=visit.leader.organization_id != visit.meeting.organization_id,
                    counted=False,
                    recorded_at=visit.meeting.starts_at,
                )
            )
    Attendance.objects.bulk_create(done, ignore_conflicts=True)
