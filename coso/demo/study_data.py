"""Demo study data: the library of current Party documents, a city campaign a month old and a ward campaign
just launched, with sessions, learning reports and follow-through plans.

The city committee (HG-VT) launched the study of Nghị quyết 57-NQ/TW a month ago: most cells held their session
(attendance taken), most members submitted their learning report, some late, some reviewed. Ward I (VT-P1)
launched Chỉ thị 50-CT/TW this week: the demo cell's session is planned (for `bithu` to publish) and `dangvien`
has a report to write and a plan to make. Past records are written in bulk; what demo users act on goes through
the services.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from coso.accounts.permissions import SYSTEM
from coso.meetings.models import Attendance, AttendanceStatus, Meeting, MeetingKind, MeetingStatus
from coso.members.models import Member, MemberStatus
from coso.orgs.models import CELL_KINDS, Organization, OrgStatus
from coso.study import services
from coso.study.models import (
    Document,
    DocumentKind,
    FollowThroughPlan,
    Grade,
    LearningReport,
    PlanCommitment,
    PlanStatus,
    ReportStatus,
    StudySession,
)

from . import city

# (kind, number, title, issuing body, date issued, summary, replaced by number)
LIBRARY = [
    (DocumentKind.RESOLUTION, "04-NQ/TW", "Nghị quyết Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng khóa XII về "
     "tăng cường xây dựng, chỉnh đốn Đảng; ngăn chặn, đẩy lùi sự suy thoái về tư tưởng chính trị, đạo đức, lối sống, "
     "những biểu hiện \"tự diễn biến\", \"tự chuyển hóa\" trong nội bộ", "Ban Chấp hành Trung ương", dt.date(2016, 10, 30),
     "Nêu 27 biểu hiện suy thoái về tư tưởng chính trị, đạo đức, lối sống, \"tự diễn biến\", \"tự chuyển hóa\".", ""),
    (DocumentKind.CONCLUSION, "21-KL/TW", "Kết luận Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng khóa XIII về đẩy "
     "mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị", "Ban Chấp hành Trung ương", dt.date(2021, 10, 25),
     "Tiếp tục Nghị quyết 04-NQ/TW; bổ sung nhóm nhiệm vụ xây dựng đội ngũ cán bộ.", ""),
    (DocumentKind.REGULATION, "24-QĐ/TW", "Quy định thi hành Điều lệ Đảng", "Ban Chấp hành Trung ương",
     dt.date(2021, 7, 30), "Hướng dẫn thi hành các điều của Điều lệ Đảng.", "232-QĐ/TW"),
    (DocumentKind.REGULATION, "232-QĐ/TW", "Quy định thi hành Điều lệ Đảng", "Ban Chấp hành Trung ương",
     dt.date(2025, 1, 20), "Thay thế Quy định 24-QĐ/TW: tuổi kết nạp tính theo tháng, người giới thiệu, đảng viên dự bị.",
     ""),
    (DocumentKind.REGULATION, "124-QĐ/TW", "Quy định về kiểm điểm và đánh giá, xếp loại chất lượng hằng năm đối với tập "
     "thể, cá nhân trong hệ thống chính trị", "Bộ Chính trị", dt.date(2023, 10, 4), "", "366-QĐ/TW"),
    (DocumentKind.REGULATION, "366-QĐ/TW", "Quy định về kiểm điểm, đánh giá, xếp loại chất lượng đối với tập thể, cá nhân "
     "trong hệ thống chính trị", "Bộ Chính trị", dt.date(2025, 8, 30),
     "Thay thế Quy định 124-QĐ/TW; đánh giá bằng điểm theo các tiêu chí, có tỷ lệ xếp loại.", ""),
    (DocumentKind.REGULATION, "22-QĐ/TW", "Quy định về công tác kiểm tra, giám sát và kỷ luật của Đảng",
     "Ban Chấp hành Trung ương", dt.date(2021, 7, 28), "", "296-QĐ/TW"),
    (DocumentKind.REGULATION, "296-QĐ/TW", "Quy định về công tác kiểm tra, giám sát và kỷ luật của Đảng",
     "Ban Chấp hành Trung ương", dt.date(2025, 5, 30), "Thay thế Quy định 22-QĐ/TW.", ""),
    (DocumentKind.GUIDANCE, "12-HD/BTCTW", "Hướng dẫn một số vấn đề về nâng cao chất lượng sinh hoạt chi bộ",
     "Ban Tổ chức Trung ương", dt.date(2018, 5, 18), "Sinh hoạt thường kỳ ít nhất 90 phút; chuyên đề mỗi quý.", ""),
    (DocumentKind.RESOLUTION, "57-NQ/TW", "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và "
     "chuyển đổi số quốc gia", "Bộ Chính trị", dt.date(2024, 12, 22),
     "Khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số là đột phá quan trọng hàng đầu, động lực chính để phát "
     "triển nhanh lực lượng sản xuất hiện đại.", ""),
    (DocumentKind.DIRECTIVE, "50-CT/TW", "Chỉ thị về nâng cao chất lượng sinh hoạt chi bộ trong giai đoạn mới",
     "Ban Bí thư", dt.date(2025, 7, 23), "Đổi mới nội dung, hình thức sinh hoạt chi bộ; chuẩn bị chu đáo, tài liệu gửi "
     "trước trên Sổ tay đảng viên điện tử.", ""),
    (DocumentKind.GUIDANCE, "42-HD/BTCTW", "Hướng dẫn nâng cao chất lượng sinh hoạt chi bộ", "Ban Tổ chức Trung ương",
     dt.date(2025, 10, 28), "Nội dung sinh hoạt theo loại hình chi bộ; thông báo cho cấp ủy viên cấp trên theo dõi "
     "chi bộ; tài liệu gửi trước ít nhất 1 ngày.", ""),
    (DocumentKind.CONCLUSION, "215-KL/TW", "Kết luận về việc tiếp tục thực hiện Quy định 11-QĐi/TW về trách nhiệm của "
     "người đứng đầu cấp ủy trong việc tiếp dân, đối thoại trực tiếp với dân", "Bộ Chính trị", dt.date(2025, 11, 1),
     "Người đứng đầu cấp ủy tiếp dân, đối thoại trực tiếp với dân và xử lý phản ánh, kiến nghị.", ""),
    (DocumentKind.REGULATION, "01-QĐ/TW", "Quy định về chế độ đảng phí", "Bộ Chính trị", dt.date(2026, 2, 3),
     "Mức đóng đảng phí theo tiền lương, lương hưu và lương tối thiểu vùng; miễn, giảm.", ""),
]  # fmt: skip

CITY_PLAN = (
    DocumentKind.PLAN,
    "135-KH/TU",
    "Kế hoạch học tập, quán triệt và triển khai thực hiện Nghị quyết 57-NQ/TW trong Đảng bộ thành phố",
    "Thành ủy Vị Thanh",
)

COMMITMENTS = [
    ("Học tập và làm theo tấm gương đạo đức, phong cách Hồ Chí Minh về tiết kiệm, giản dị",
     "Không tổ chức tiệc tùng lãng phí; tiết kiệm 10% chi tiêu gia đình"),
    ("Gương mẫu tham gia công việc của khu vực, vận động nhân dân", "Tham gia đủ các buổi ra quân vệ sinh môi trường"),
    ("Đọc và học tập các tác phẩm về Bác", "Đọc 4 cuốn sách trong năm, viết cảm nhận"),
    ("Sử dụng Sổ tay đảng viên điện tử, tham gia chuyển đổi số", "Cài đặt, sử dụng thường xuyên; hướng dẫn 2 hộ dân"),
]  # fmt: skip

REPORT_TEXTS = [
    "Qua học tập Nghị quyết, bản thân nhận thức rõ khoa học, công nghệ và chuyển đổi số là đột phá quan trọng hàng "
    "đầu. Tôi sẽ tích cực sử dụng dịch vụ công trực tuyến và hướng dẫn bà con trong khu vực cùng thực hiện.",
    "Điều tâm đắc nhất là quan điểm lấy người dân làm trung tâm của chuyển đổi số. Bản thân cam kết học tập kỹ năng "
    "số, gương mẫu thực hiện thanh toán không dùng tiền mặt.",
    "Tôi liên hệ với công việc ở khu vực: vận động hộ gia đình tham gia các nền tảng số, góp ý xây dựng khu phố văn minh.",
]


def _at(day: dt.date, hour: int = 19, minute: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def load(*, scale: float, seed: int, today: dt.date) -> None:
    rng = random.Random(seed * 13 + 6)
    province = Organization.objects.filter(code=city.PROVINCE[0]).first()
    city_org = Organization.objects.filter(code=city.CITY[0]).first()
    if province is None or city_org is None:
        return
    docs = _library(province, city_org, today)
    if "57-NQ/TW" not in docs:
        return
    start = today - dt.timedelta(days=32)
    campaign = services.campaign_launch(
        actor=SYSTEM,
        organization=city_org,
        title="Học tập, quán triệt Nghị quyết 57-NQ/TW của Bộ Chính trị",
        description="Các chi bộ tổ chức học tập trước thời hạn; mỗi đảng viên viết bài thu hoạch, liên hệ bản thân.",
        documents=[docs["57-NQ/TW"], docs[CITY_PLAN[1]]],
        starts_on=start,
        deadline=today - dt.timedelta(days=7),
        report_due_on=today - dt.timedelta(days=3),
        notify_units=False,
    )
    _city_campaign(campaign, city_org, rng, today)
    ward = Organization.objects.filter(code="VT-P1").first()
    if ward is not None and "50-CT/TW" in docs:
        _ward_campaign(ward, docs, today)
    _plans(rng, today)


def _library(province: Organization, city_org: Organization, today: dt.date) -> dict[str, Document]:
    docs: dict[str, Document] = {}
    for kind, number, title, body, issued_on, summary, _replaced in LIBRARY:
        if issued_on > today:
            continue
        docs[number] = services.document_create(
            actor=SYSTEM,
            organization=province,
            data={
                "kind": kind,
                "number": number,
                "title": title,
                "issuing_body": body,
                "issued_on": issued_on,
                "summary": summary,
            },
        )
    for _kind, number, _title, _body, _issued, _summary, replaced in LIBRARY:
        if replaced and number in docs and replaced in docs:
            services.document_replace(actor=SYSTEM, document=docs[number], replaced_by=docs[replaced])
    kind, number, title, body = CITY_PLAN
    docs[number] = services.document_create(
        actor=SYSTEM,
        organization=city_org,
        data={
            "kind": kind,
            "number": number,
            "title": title,
            "issuing_body": body,
            "issued_on": today - dt.timedelta(days=35),
            "summary": "Tổ chức học tập đến từng chi bộ; đảng viên viết bài thu hoạch; báo cáo kết quả về Thành ủy.",
        },
    )
    return docs


def _city_campaign(campaign, city_org: Organization, rng: random.Random, today: dt.date) -> None:
    cells = list(
        Organization.objects.filter(kind__in=CELL_KINDS, status=OrgStatus.ACTIVE)
        .filter(path__startswith=city_org.path + ".")
        .order_by("path")
    )
    members_by_cell: dict[int, list[Member]] = {}
    for member in Member.objects.filter(
        organization__in=cells, status__in=[MemberStatus.FULL, MemberStatus.PROBATIONARY, MemberStatus.EXEMPT]
    ).select_related("organization"):
        members_by_cell.setdefault(member.organization_id, []).append(member)
    demo_member = Member.objects.filter(organization__code=city.DEMO_CELL, user__username="dangvien").first()
    # Most cells held their session; a few have not (the campaign page shows them).
    held_cells = [c for c in cells if c.code == city.DEMO_CELL or rng.random() < 0.85]
    meetings = []
    for cell in held_cells:
        day = campaign.starts_on + dt.timedelta(days=rng.randint(5, 22))
        meetings.append(
            Meeting(
                organization=cell,
                kind=MeetingKind.STUDY,
                title=f"Học tập: {campaign.title}"[:255],
                topic=campaign.title,
                starts_at=_at(day),
                duration_minutes=120,
                place="Hội trường " + cell.name,
                status=MeetingStatus.HELD,
                published_at=_at(day - dt.timedelta(days=3), 8, 0),
            )
        )
    Meeting.objects.bulk_create(meetings, batch_size=500)
    StudySession.objects.bulk_create(
        [StudySession(campaign=campaign, meeting=m, organization=m.organization) for m in meetings],
        batch_size=500,
    )
    attendance = []
    studied: set[int] = set()
    for meeting in meetings:
        day = timezone.localdate(meeting.starts_at)
        for member in members_by_cell.get(meeting.organization_id, []):
            exempt = member.status == MemberStatus.EXEMPT
            roll = rng.random()
            if exempt:
                status = AttendanceStatus.ABSENT_EXCUSED if roll < 0.7 else AttendanceStatus.PRESENT
            elif roll < 0.82:
                status = AttendanceStatus.PRESENT
            elif roll < 0.88:
                status = AttendanceStatus.LATE
            elif roll < 0.91:
                status = AttendanceStatus.LEFT_EARLY
            elif roll < 0.98:
                status = AttendanceStatus.ABSENT_EXCUSED
            else:
                status = AttendanceStatus.ABSENT_UNEXCUSED
            if demo_member is not None and member.pk == demo_member.pk:
                status = AttendanceStatus.PRESENT
            if (
                status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY)
                and not exempt
            ):
                studied.add(member.pk)
            attendance.append(
                Attendance(
                    meeting=meeting,
                    member=member,
                    meeting_date=day,
                    status=status,
                    reason="Ốm" if status == AttendanceStatus.ABSENT_EXCUSED else "",
                    exempted=exempt,
                    counted=not exempt and member.status == MemberStatus.FULL,
                    recorded_at=meeting.starts_at,
                )
            )
    Attendance.objects.bulk_create(attendance, batch_size=2000)
    _reports(campaign, members_by_cell, studied, demo_member, rng, today)


def _reports(
    campaign, members_by_cell, studied: set[int], demo_member, rng: random.Random, today: dt.date
) -> None:
    writers = [
        m
        for members in members_by_cell.values()
        for m in members
        if m.pk in studied
        and (demo_member is None or m.pk != demo_member.pk)
        and (m.organization.code == city.DEMO_CELL or rng.random() < 0.8)
    ]
    reviewers = services.reviewers_for(writers, on=today)
    demo_cell_pending = 0
    rows = []
    for member in writers:
        organization, reviewer = reviewers[member.pk]
        offset = rng.randint(8, 33)
        submitted = _at(campaign.starts_on + dt.timedelta(days=offset), rng.randint(7, 21), 0)
        if timezone.localdate(submitted) > today:
            submitted = _at(today, 7, 0)
        late = timezone.localdate(submitted) > campaign.report_due_on
        status, grade, comment, reviewed_at = ReportStatus.SUBMITTED, "", "", None
        in_demo_cell = member.organization.code == city.DEMO_CELL
        roll = rng.random()
        # The demo secretary keeps a few reports of the cell to review.
        if in_demo_cell and organization.pk == member.organization_id and demo_cell_pending < 3:
            demo_cell_pending += 1
        elif roll < 0.45:
            status, grade, comment = (
                ReportStatus.REVIEWED,
                rng.choice([Grade.GOOD, Grade.PASS, Grade.PASS]),
                "Đạt yêu cầu.",
            )
            reviewed_at = submitted + dt.timedelta(days=2)
        elif roll < 0.5:
            status, grade, comment = ReportStatus.RETURNED, Grade.REDO, "Bổ sung phần liên hệ bản thân."
            reviewed_at = submitted + dt.timedelta(days=2)
        rows.append(
            LearningReport(
                campaign=campaign,
                member=member,
                status=status,
                body=rng.choice(REPORT_TEXTS),
                due_on=campaign.report_due_on,
                submitted_at=submitted,
                late=late,
                reviewer_organization=organization,
                reviewer=reviewer,
                reviewed_at=reviewed_at if reviewed_at and reviewed_at <= timezone.now() else None,
                grade=grade,
                comment=comment,
            )
        )
    LearningReport.objects.bulk_create(rows, batch_size=1000)


def _ward_campaign(ward: Organization, docs: dict[str, Document], today: dt.date) -> None:
    campaign = services.campaign_launch(
        actor=SYSTEM,
        organization=ward,
        title="Quán triệt Chỉ thị 50-CT/TW và Hướng dẫn 42-HD/BTCTW về sinh hoạt chi bộ",
        documents=[d for n, d in docs.items() if n in ("50-CT/TW", "42-HD/BTCTW")],
        starts_on=today - dt.timedelta(days=4),
        deadline=today + dt.timedelta(days=20),
        report_due_on=today + dt.timedelta(days=30),
        notify_units=False,
    )
    cell = Organization.objects.filter(code=city.DEMO_CELL).first()
    if cell is not None:
        services.study_session_schedule(
            actor=SYSTEM,
            campaign=campaign,
            organization=cell,
            starts_at=_at(today + dt.timedelta(days=4)),
            place="Nhà văn hóa khu vực 1",
            duration_minutes=120,
        )


def _plans(rng: random.Random, today: dt.date) -> None:
    """Plans of the demo cell for this year: the heads first, most members after; `dangvien` has none yet."""
    cell = Organization.objects.filter(code=city.DEMO_CELL).first()
    if cell is None:
        return
    members = list(
        Member.objects.filter(organization=cell, status__in=[MemberStatus.FULL, MemberStatus.PROBATIONARY])
        .exclude(user__username="dangvien")
        .order_by("pk")
    )
    year = today.year
    heads = {h.pk for h in services.plan_heads(Member(pk=0), cell, on=today)}
    plans = []
    for member in members:
        is_head = member.pk in heads
        if not is_head and rng.random() < 0.2:
            continue
        submitted = _at(dt.date(year, 1, 15 if is_head else rng.randint(20, 28)), 9, 0)
        if submitted > timezone.now():
            submitted = timezone.now()
        plans.append(
            FollowThroughPlan(
                member=member,
                year=year,
                organization=cell,
                status=PlanStatus.SUBMITTED,
                submitted_at=submitted,
            )
        )
    FollowThroughPlan.objects.bulk_create(plans)
    commitments = []
    for plan in plans:
        for position, (text, target) in enumerate(rng.sample(COMMITMENTS, 3)):
            commitments.append(
                PlanCommitment(
                    plan=plan,
                    position=position,
                    text=text,
                    target=target,
                    deadline=dt.date(year, rng.choice([6, 9, 12]), 30),
                )
            )
    PlanCommitment.objects.bulk_create(commitments)
