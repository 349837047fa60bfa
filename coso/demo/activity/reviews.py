"""Last year's finished year-end review of a generated province: one cycle opened by the province, every member
who could be rated reviewed, proposed by the cell, advised by the commune and decided.

Rules followed (`reviews.services` and `reviews.grading`): members are rated in the cell they belonged to on
the review date; exempted members and those admitted less than 6 months before it are not rated; scores lie
in the band of their grade (QĐ 366: 90, 70, 50); "excellent" stays under a fifth of those rated "good" or
better; each decided review has its four steps (self, cell with its vote, committee, decision).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from coso.members.models import MemberStatus
from coso.members.rules import add_months
from coso.reviews.models import (
    AnnualReview,
    CycleKind,
    CycleStatus,
    RatingLevel,
    RatingStep,
    ReviewCycle,
    ReviewKind,
    ReviewStatus,
)

from .roster import Roster

# Share of each grade among those rated (excellent 15% of all, under 20% of the 85% good or better).
GRADES = (("EXCELLENT", 0.15), ("GOOD", 0.70), ("COMPLETED", 0.12), ("NOT_COMPLETED", 0.03))
BANDS = {"EXCELLENT": (90, 98), "GOOD": (70, 89), "COMPLETED": (50, 69), "NOT_COMPLETED": (30, 49)}
LEVELS = (RatingLevel.SELF, RatingLevel.CELL, RatingLevel.COMMITTEE, RatingLevel.DECISION)
STRENGTHS = "Chấp hành tốt chủ trương của Đảng; tham gia sinh hoạt chi bộ đầy đủ; gương mẫu ở khu dân cư."
SHORTCOMINGS = "Có lúc nộp bài thu hoạch chậm; do chủ quan, bận việc gia đình."


class ReviewWriter:
    def __init__(self, *, rng: random.Random, as_of: dt.date, root, batch_size: int):
        self.rng = rng
        self.batch_size = batch_size
        year = as_of.year - 1
        self.review_date = dt.date(year, 12, 15)
        self.cycle = ReviewCycle.objects.create(
            organization=root,
            kind=CycleKind.YEAR,
            year=year,
            title=f"Kiểm điểm, đánh giá, xếp loại chất lượng năm {year}, {root.name}",
            review_date=self.review_date,
            self_review_due=dt.date(year, 12, 5),
            cell_due=dt.date(year, 12, 15),
            committee_due=dt.date(year, 12, 22),
            decision_due=dt.date(year, 12, 28),
            status=CycleStatus.CLOSED,
        )
        self.decided_at = timezone.make_aware(dt.datetime(year, 12, 27, 15, 0))
        self.reviews = self.steps = self.excellent = self.good_or_better = 0

    def _grade(self) -> str:
        draw, total, grade = self.rng.random(), 0.0, GRADES[-1][0]
        for value, share in GRADES:
            total += share
            if draw < total:
                grade = value
                break
        if grade == "EXCELLENT" and (self.excellent + 1) * 5 > self.good_or_better + 1:
            grade = "GOOD"  # the quota is a fifth of those rated good or better, counted as they come
        if grade in ("EXCELLENT", "GOOD"):
            self.good_or_better += 1
            self.excellent += grade == "EXCELLENT"
        return grade

    def write(self, roster: Roster) -> None:
        reviews = []
        for cell in roster.cells:
            for life, status in roster.members_on(cell.pk, self.review_date):
                if status not in (MemberStatus.FULL, MemberStatus.PROBATIONARY):
                    continue
                if not life.days or add_months(life.days[0], 6) > self.review_date:
                    continue
                grade = self._grade()
                score = Decimal(self.rng.randint(*BANDS[grade]))
                reviews.append(
                    AnnualReview(
                        cycle=self.cycle,
                        kind=ReviewKind.INDIVIDUAL,
                        member_id=life.pk,
                        organization_id=cell.pk,
                        strengths=STRENGTHS,
                        shortcomings=SHORTCOMINGS,
                        self_score=score,
                        self_grade=grade,
                        status=ReviewStatus.DECIDED,
                        submitted_at=self.decided_at - dt.timedelta(days=20),
                        grade=grade,
                        score=score,
                        decided_at=self.decided_at,
                    )
                )
        AnnualReview.objects.bulk_create(reviews, batch_size=self.batch_size)
        steps = [
            RatingStep(
                review=review,
                level=level,
                grade=review.grade,
                score=review.score,
                votes_for=9 if level == RatingLevel.CELL else None,
                votes_against=0 if level == RatingLevel.CELL else None,
            )
            for review in reviews
            for level in LEVELS
        ]
        RatingStep.objects.bulk_create(steps, batch_size=self.batch_size)
        self.reviews += len(reviews)
        self.steps += len(steps)
