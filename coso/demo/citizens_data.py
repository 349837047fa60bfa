"""Demo data of the citizens app for Vị Thanh: categories and routing rules, this month's reception days of the
ward heads (one ward short of its two days), dialogues, and about fifty feedback items in every state, a few
overdue (one complaint overdue and escalated), answers with a photo as evidence, and ratings.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw

from coso.accounts.permissions import SYSTEM
from coso.citizens import services
from coso.citizens.models import (
    Category,
    Dialogue,
    EvidenceRequired,
    Feedback,
    FeedbackKind,
    FeedbackUpdate,
    ReceptionDay,
    RoutingRule,
)
from coso.core import workdays
from coso.members.models import Member
from coso.orgs.models import Organization, OrgKind

CATEGORIES = [
    # code, name, default kind, working days, evidence, hide reporter, public
    ("duong-den", "Đường sá, đèn chiếu sáng", FeedbackKind.REPORT, 10, EvidenceRequired.PHOTO, True, True),
    ("ve-sinh", "Vệ sinh môi trường, rác thải", FeedbackKind.REPORT, 5, EvidenceRequired.PHOTO, True, True),
    ("trat-tu", "An ninh trật tự", FeedbackKind.REPORT, 5, EvidenceRequired.NONE, True, False),
    (
        "dat-dai",
        "Đất đai, giải phóng mặt bằng",
        FeedbackKind.COMPLAINT,
        10,
        EvidenceRequired.DOCUMENT,
        True,
        True,
    ),
    (
        "chinh-sach",
        "Chính sách xã hội",
        FeedbackKind.PETITION,
        10,
        EvidenceRequired.PHOTO_OR_DOCUMENT,
        True,
        True,
    ),
    ("thu-tuc", "Thủ tục hành chính", FeedbackKind.PETITION, 10, EvidenceRequired.NONE, False, True),
]

REPORTS = [
    ("duong-den", "Đèn đường hẻm {n} tắt nhiều đêm, đi lại rất tối."),
    ("duong-den", "Ổ gà lớn trên {street}, xe máy dễ té ngã."),
    ("ve-sinh", "Rác tồn đọng đầu hẻm {n} hơn một tuần chưa thu gom."),
    ("ve-sinh", "Cống thoát nước trên {street} bị nghẹt, mưa là ngập."),
    ("trat-tu", "Nhóm thanh niên tụ tập gây ồn ào khuya ở hẻm {n}."),
    ("chinh-sach", "Đề nghị xem xét hỗ trợ hộ cận nghèo ở hẻm {n}."),
    ("thu-tuc", "Đề nghị rút ngắn thời gian cấp giấy xác nhận cư trú."),
    ("dat-dai", "Khiếu nại về mức bồi thường khi mở rộng {street}."),
]
STREETS = [
    "đường Trần Hưng Đạo",
    "đường Nguyễn Công Trứ",
    "đường 30 Tháng 4",
    "đường Lê Lợi",
    "đường Hòa Bình",
]
NAMES = ["Nguyễn Văn Tư", "Trần Thị Lan", "Lê Văn Hùng", "Phạm Thị Hồng", "Võ Minh Tâm", "Huỳnh Thị Mai"]
ANSWERS = [
    "Đã phối hợp với Công ty Điện lực thay bóng đèn, kiểm tra lại ngày {date}.",
    "Đã tổ chức thu gom, vận động các hộ để rác đúng giờ quy định.",
    "Đã làm việc với tổ dân phố, công an khu vực tăng cường tuần tra.",
    "Đã xem xét, lập hồ sơ đề nghị hỗ trợ theo quy định.",
]


def _photo(seed: int) -> SimpleUploadedFile:
    """A small generated photo (evidence of the work done)."""
    image = Image.new("RGB", (320, 200), (40 + seed * 37 % 180, 120, 90))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 120, 300, 180), fill=(90, 90, 90))
    draw.ellipse((240, 20, 290, 70), fill=(250, 220, 80))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return SimpleUploadedFile(f"minh-chung-{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _pdf(seed: int) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(f"van-ban-{seed}.pdf", body, content_type="application/pdf")


def _at(day: dt.date, hour: int = 8) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _working_days(first: dt.date, last: dt.date) -> list[dt.date]:
    days, day = [], first
    while day <= last:
        if workdays.is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _heads(orgs: list[Organization], on: dt.date) -> dict[int, Member]:
    from coso.orgs.models import Position, PositionTitle

    seats = (
        Position.objects.filter(
            committee__organization__in=orgs, title=PositionTitle.SECRETARY, starts_on__lte=on
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .select_related("member", "committee")
    )
    return {seat.committee.organization_id: seat.member for seat in seats}


def _reception_days(wards: list[Organization], today: dt.date) -> None:
    heads = _heads(wards, today)
    first = today.replace(day=1)
    month_days = _working_days(first, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1))
    early = [d for d in month_days if d <= today] or month_days[:1]
    for index, ward in enumerate(wards):
        head = heads.get(ward.pk)
        if head is None:
            continue
        dates = [early[0], early[-1] if len(early) > 1 else month_days[len(month_days) // 2]]
        # The second ward has held only one of its two days this month: the calendar flags it.
        if index == 1:
            dates = dates[:1]
        for number, day in enumerate(dates):
            ReceptionDay.objects.create(
                organization=ward,
                head=head,
                date=day,
                status="HELD" if day <= today else "PLANNED",
                kind="REGULAR",
                place=f"Trụ sở Đảng ủy {ward.name.removeprefix('Đảng bộ ').lower()}",
                received_by="Chủ tịch UBND, Chủ tịch UBMTTQ",
                citizens_count=4 + number * 3 if day <= today else 0,
                matters="Đèn đường, rác thải, hỗ trợ hộ cận nghèo." if day <= today else "",
            )
        # Last month, both days held everywhere.
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        for day in _working_days(previous, first - dt.timedelta(days=1))[2:13:9]:
            ReceptionDay.objects.create(
                organization=ward,
                head=head,
                date=day,
                status="HELD",
                place="Trụ sở Đảng ủy",
                citizens_count=5,
            )


def _dialogues(ward: Organization, cells: list[Organization], today: dt.date) -> list[Dialogue]:
    result = [
        services.dialogue_save(
            actor=SYSTEM,
            organization=ward,
            data={
                "kind": "CITIZENS",
                "topic": "Đối thoại với Nhân dân về chỉnh trang đô thị",
                "date": today - dt.timedelta(days=20),
                "place": "Hội trường khu vực 1",
                "status": "HELD",
                "participants_count": 85,
                "questions": "Tiến độ nâng cấp đường 30 Tháng 4; đèn chiếu sáng các hẻm.",
                "answers": "Đường hoàn thành trong quý; đèn hẻm lắp trong tháng.",
                "follow_ups": "Kiểm tra đèn các hẻm 3, 5, 7.",
            },
        ),
        services.dialogue_save(
            actor=SYSTEM,
            organization=ward,
            data={
                "kind": "MEMBERS",
                "topic": "Đối thoại với cán bộ, đảng viên 6 tháng",
                "date": today + dt.timedelta(days=10),
                "place": "Trụ sở Đảng ủy",
                "status": "PLANNED",
            },
        ),
        services.dialogue_save(
            actor=SYSTEM,
            organization=ward,
            data={
                "kind": "FORUM",
                "topic": "Diễn đàn “Lắng nghe dân nói” tháng này",
                "date": today - dt.timedelta(days=8),
                "place": "Nhà văn hóa khu vực 2",
                "status": "HELD",
                "participants_count": 40,
            },
        ),
    ]
    if cells:
        result.append(
            services.dialogue_save(
                actor=SYSTEM,
                organization=cells[0],
                data={
                    "kind": "DOOR_TO_DOOR",
                    "topic": "Đi từng ngõ, rõ từng nhà: hẻm 5 và hẻm 7",
                    "date": today - dt.timedelta(days=5),
                    "status": "HELD",
                    "participants_count": 23,
                },
            )
        )
    services.dialogue_invite_members(actor=SYSTEM, dialogue=result[1])
    return result


def _shift_steps(item: Feedback, received: dt.datetime, rng: random.Random, *, late: bool = False) -> None:
    """Place the workflow steps after the receipt (they ran now), so the figures read like real work."""
    cursor = received
    fields = {}
    for update in FeedbackUpdate.objects.filter(feedback=item).order_by("id"):
        if update.kind != "RECEIVED":
            cursor += dt.timedelta(hours=rng.randint(4, 60 if not late else 400))
        FeedbackUpdate.objects.filter(pk=update.pk).update(at=cursor)
        if update.kind == "ASSIGNED":
            fields["assigned_at"] = cursor
        if update.kind == "ANSWERED":
            fields["answered_at"] = cursor
        if update.kind in ("RATED", "CLOSED", "REJECTED", "TRANSFERRED"):
            fields["closed_at"] = cursor
        if update.kind == "RATED":
            fields["rated_at"] = cursor
    if fields:
        Feedback.objects.filter(pk=item.pk).update(**fields)


def load(*, scale: float, seed: int, today: dt.date) -> None:
    if Category.objects.exists():
        return
    rng = random.Random(seed + 7)
    categories = {}
    for order, (code, name, kind, days, evidence, hide, public) in enumerate(CATEGORIES):
        categories[code] = Category.objects.create(
            code=code, name=name, default_kind=kind, deadline_working_days=days, evidence_required=evidence,
            hide_reporter=hide, public=public, order=order,
        )  # fmt: skip
    wards = list(
        Organization.objects.filter(code__startswith="VT-P", kind=OrgKind.GRASSROOTS_COMMITTEE).order_by(
            "code"
        )
    )
    if not wards:
        return
    cells_of = {
        ward.pk: list(
            Organization.objects.filter(parent=ward, code__contains="-KV").order_by("code")
        )
        for ward in wards
    }  # fmt: skip
    for ward in wards:
        RoutingRule.objects.create(area=ward, responsible=ward, note="Mặc định: Đảng ủy phường xử lý")
        for cell in cells_of[ward.pk]:
            for code in ("duong-den", "ve-sinh"):
                RoutingRule.objects.create(category=categories[code], area=cell, responsible=cell)
    _reception_days(wards, today)
    p1 = wards[0]
    dialogues = _dialogues(p1, cells_of[p1.pk], today)

    total = max(12, round(50 * min(scale, 1.0)))
    groups = [
        ["closed_rated"] * 14, ["answered"] * 7, ["in_progress"] * 6, ["assigned"] * 6, ["received"] * 6,
        ["overdue"] * 3, ["reopened"] * 2, ["rejected"] * 2, ["transferred"] * 2, ["closed_stale"] * 2,
    ]  # fmt: skip
    # Round-robin, so that even a small demo has every state.
    plan = [state for row in itertools.zip_longest(*groups) for state in row if state][:total]
    plan[0] = "complaint_escalated"
    channels = [
        "WEB",
        "WEB",
        "WEB",
        "PHONE",
        "WALK_IN",
        "RECEPTION",
        "DIALOGUE",
        "FORUM",
        "DOOR_TO_DOOR",
        "LETTER",
    ]
    for n, state in enumerate(plan):
        ward = wards[n % min(len(wards), 3)]
        cells = cells_of[ward.pk] or [ward]
        area = cells[n % len(cells)]
        code, text = REPORTS[n % len(REPORTS)]
        if state == "complaint_escalated":
            code, text = "dat-dai", REPORTS[-1][1]
        category = categories[code]
        days_ago = {"received": rng.randint(0, 3), "overdue": rng.randint(25, 40)}.get(
            state, rng.randint(3, 80)
        )
        if state == "complaint_escalated":
            days_ago = 75
        received = _at(today - dt.timedelta(days=days_ago), rng.randint(7, 16))
        channel = channels[n % len(channels)]
        contact = n % 3 != 0
        item = services.feedback_create(
            actor=None if channel == "WEB" else SYSTEM,
            category=category,
            area=area,
            title="",
            description=text.format(n=rng.randint(1, 30), street=rng.choice(STREETS)),
            channel=channel,
            reporter_name=rng.choice(NAMES) if contact else "",
            reporter_phone=f"09{rng.randint(10000000, 99999999)}" if contact else "",
            consent=contact,
            dialogue=dialogues[0] if channel == "DIALOGUE" else dialogues[2] if channel == "FORUM" else None,
            received_at=received,
            files=[_photo(n)] if n % 4 == 0 else [],
        )
        if state == "received":
            continue
        target = services.route(category=category, area=area) or ward
        if state == "rejected":
            services.feedback_reject(
                actor=SYSTEM, feedback=item, reason="Nội dung trùng với phản ánh đã giải quyết."
            )
            _shift_steps(item, received, rng)
            continue
        item = services.feedback_assign(actor=SYSTEM, feedback=item, organization=target)
        if state == "complaint_escalated":
            accepted = received + dt.timedelta(days=5)
            Feedback.objects.filter(pk=item.pk).update(
                assigned_at=accepted, deadline_at=services.deadline_for(item, start=accepted)
            )
            _shift_steps(item, received, rng)
            continue
        if state == "transferred":
            services.feedback_transfer(
                actor=SYSTEM,
                feedback=item,
                authority="UBND thành phố Vị Thanh",
                reason="Thuộc thẩm quyền chính quyền.",
            )
            _shift_steps(item, received, rng)
            continue
        if state in ("assigned", "overdue"):
            _shift_steps(item, received, rng)
            continue
        item = services.feedback_start(actor=SYSTEM, feedback=item)
        if state == "in_progress":
            _shift_steps(item, received, rng)
            continue
        evidence = {
            EvidenceRequired.PHOTO: [_photo(n + 100)],
            EvidenceRequired.DOCUMENT: [_pdf(n)],
            EvidenceRequired.PHOTO_OR_DOCUMENT: [_photo(n + 100)],
        }.get(category.evidence_required, [])
        answer = ANSWERS[n % len(ANSWERS)].format(date=(today - dt.timedelta(days=2)).strftime("%d/%m/%Y"))
        item = services.feedback_answer(actor=SYSTEM, feedback=item, answer=answer, files=evidence)
        if state == "closed_rated":
            services.feedback_rate(feedback=item, rating=rng.choice([5, 5, 4, 4, 3, 2]), comment="")
        elif state == "closed_stale":
            services.feedback_close(actor=SYSTEM, feedback=item, reason="Quá 14 ngày không đánh giá.")
        elif state == "reopened":
            services.feedback_rate(feedback=item, rating=1, comment="Vẫn chưa khắc phục.")
            services.feedback_reopen(feedback=item, text="Tình trạng tái diễn sau vài ngày.")
        _shift_steps(item, received, rng, late=n % 5 == 0)
    # The overdue complaint goes up to the city: the escalation job as cron would run it.
    services.feedback_escalate_overdue()
