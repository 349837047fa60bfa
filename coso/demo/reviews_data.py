"""Demo year-end review: ward I's committee runs this year's cycle for its first two area cells.

Every step appears: members still writing (the `dangvien` account has not begun, so the walk can write one),
self-reviews waiting for the cell (the `bithu` account proposes), the cell's proposals with their votes waiting
for the ward's office (`phuong1`), the committee's proposals waiting for the decision of the city's leader
(`lanhdao`), decided ratings within the quota, and a member disciplined this year capped at "not completed".
The collective review of the first cell is submitted.

Written directly (the services would need each member's own account), with the rating steps the services write.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from coso.members.models import CURRENT_STATUSES, EventKind, Member, MemberEvent
from coso.orgs.models import Organization
from coso.reviews.grading import Grade, not_rated_reason
from coso.reviews.models import (
    AnnualReview,
    CycleKind,
    RatingLevel,
    RatingStep,
    ReviewCycle,
    ReviewKind,
    ReviewStatus,
)

from . import city
from .loader import DEMO_MEMBER_NAME

STRENGTHS = (
    "Chấp hành nghiêm chủ trương, đường lối của Đảng; tham gia sinh hoạt chi bộ đầy đủ; gương mẫu trong "
    "các phong trào ở khu dân cư."
)
SHORTCOMINGS = "Có lúc nộp bài thu hoạch chậm; chưa mạnh dạn phê bình. Nguyên nhân chủ yếu là do chủ quan, bận việc gia đình."
CELL_TEXTS = (
    "Chi bộ duy trì sinh hoạt đều đặn, nội dung sát tình hình khu dân cư; vận động nhân dân xóa nhà tạm.",
    "Chất lượng sinh hoạt chuyên đề chưa đều; công tác phát triển đảng viên chưa đạt chỉ tiêu.",
)


def _score(rng: random.Random, grade: str) -> Decimal:
    low, high = {"EXCELLENT": (90, 96), "GOOD": (72, 88), "COMPLETED": (55, 68), "NOT_COMPLETED": (35, 48)}[
        grade
    ]
    return Decimal(rng.randint(low, high))


def load(*, scale: float, seed: int, today: dt.date) -> None:
    ward = Organization.objects.filter(code=city.DEMO_WARD).first()
    if ward is None or ReviewCycle.objects.filter(organization=ward).exists():
        return
    rng = random.Random(seed + 11)
    year = today.year
    cycle = ReviewCycle.objects.create(
        organization=ward,
        kind=CycleKind.YEAR,
        year=year,
        title=f"Kiểm điểm, đánh giá, xếp loại chất lượng năm {year}, {ward.name}",
        review_date=dt.date(year, 12, 15),
        self_review_due=dt.date(year, 12, 10),
        cell_due=dt.date(year, 12, 15),
        committee_due=dt.date(year, 12, 22),
        decision_due=dt.date(year, 12, 28),
    )
    cells = list(
        Organization.objects.filter(parent=ward, code__in=[city.DEMO_CELL, "VT-P1-KV2"]).order_by("code")
    )
    now = timezone.now()
    for index, cell in enumerate(cells):
        members = [
            member
            for member in Member.objects.filter(organization=cell, status__in=CURRENT_STATUSES).order_by(
                "name_sort", "pk"
            )
            if not not_rated_reason(
                status=member.status, admitted_on=member.admitted_on, on=cycle.review_date
            )
            and member.full_name != DEMO_MEMBER_NAME
        ]
        # Cell KV1: every step under way; cell KV2: decided, within the quota (1 excellent of at least 5 good).
        plan = (
            ["DRAFT", "SUBMITTED", "SUBMITTED", "PROPOSED", "PROPOSED", "ADVISED", "ADVISED", "DISCIPLINED"]
            if index == 0
            else ["DECIDED_EXCELLENT", *["DECIDED_GOOD"] * 5, "DECIDED_COMPLETED", "SUBMITTED"]
        )
        for member, state in zip(members, plan, strict=False):
            _review(cycle, cell, member, state, rng, now)
        if index == 0:
            AnnualReview.objects.create(
                cycle=cycle,
                kind=ReviewKind.COLLECTIVE,
                organization=cell,
                strengths=CELL_TEXTS[0],
                shortcomings=CELL_TEXTS[1],
                self_score=Decimal(84),
                self_grade=Grade.GOOD,
                status=ReviewStatus.SUBMITTED,
                submitted_at=now,
                grade=Grade.GOOD,
                score=Decimal(84),
            )


def _review(cycle, cell, member, state, rng, now) -> None:
    grade = {
        "DECIDED_EXCELLENT": "EXCELLENT",
        "DECIDED_COMPLETED": "COMPLETED",
        "DISCIPLINED": "NOT_COMPLETED",
    }.get(state, "GOOD")
    if state == "DISCIPLINED":
        MemberEvent.objects.create(
            member=member,
            kind=EventKind.DISCIPLINE,
            occurred_on=dt.date(cycle.year, 6, 12),
            discipline_form="REPRIMAND",
            decision_number=f"12-QĐ/ĐU ({cycle.year})",
            issuing_body="Đảng ủy phường I",
        )
    score = _score(rng, grade)
    status = {
        "DRAFT": ReviewStatus.DRAFT,
        "SUBMITTED": ReviewStatus.SUBMITTED,
        "PROPOSED": ReviewStatus.PROPOSED,
        "ADVISED": ReviewStatus.ADVISED,
        "DISCIPLINED": ReviewStatus.SUBMITTED,
    }.get(state, ReviewStatus.DECIDED)
    review = AnnualReview.objects.create(
        cycle=cycle,
        kind=ReviewKind.INDIVIDUAL,
        member=member,
        organization=cell,
        strengths=STRENGTHS,
        shortcomings=SHORTCOMINGS if state != "DRAFT" else "",
        responsibility="Bản thân chịu trách nhiệm về những hạn chế nêu trên." if state != "DRAFT" else "",
        self_score=score,
        self_grade=grade if state != "DRAFT" else "",
        status=status,
        submitted_at=None if state == "DRAFT" else now,
        grade="" if state == "DRAFT" else grade,
        score=None if state == "DRAFT" else score,
        decided_at=now if status == ReviewStatus.DECIDED else None,
    )
    if state == "DRAFT":
        return
    levels = [RatingLevel.SELF]
    levels += {
        ReviewStatus.PROPOSED: [RatingLevel.CELL],
        ReviewStatus.ADVISED: [RatingLevel.CELL, RatingLevel.COMMITTEE],
        ReviewStatus.DECIDED: [RatingLevel.CELL, RatingLevel.COMMITTEE, RatingLevel.DECISION],
    }.get(status, [])
    voters = 9
    for level in levels:
        RatingStep.objects.create(
            review=review,
            level=level,
            grade=grade,
            score=score,
            votes_for=voters if level == RatingLevel.CELL else None,
            votes_against=0 if level == RatingLevel.CELL else None,
            reason="Thống nhất với đề xuất."
            if level in (RatingLevel.COMMITTEE, RatingLevel.DECISION)
            else "",
        )
