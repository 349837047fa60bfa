"""Review test data written directly: a commune cycle and reviews at a given step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from coso.reviews.models import (
    AnnualReview,
    CycleKind,
    RatingLevel,
    RatingStep,
    ReviewCycle,
    ReviewKind,
    ReviewStatus,
)

LEVELS = {
    ReviewStatus.DRAFT: [],
    ReviewStatus.SUBMITTED: [RatingLevel.SELF],
    ReviewStatus.PROPOSED: [RatingLevel.SELF, RatingLevel.CELL],
    ReviewStatus.ADVISED: [RatingLevel.SELF, RatingLevel.CELL, RatingLevel.COMMITTEE],
    ReviewStatus.DECIDED: [RatingLevel.SELF, RatingLevel.CELL, RatingLevel.COMMITTEE, RatingLevel.DECISION],
}


def make_cycle(organization, *, year: int = 2026) -> ReviewCycle:
    cycle, _created = ReviewCycle.objects.get_or_create(
        organization=organization,
        kind=CycleKind.YEAR,
        year=year,
        defaults={
            "title": f"Kiểm điểm năm {year}",
            "review_date": dt.date(year, 12, 10),
            "self_review_due": dt.date(year, 12, 5),
            "cell_due": dt.date(year, 12, 10),
            "committee_due": dt.date(year, 12, 15),
            "decision_due": dt.date(year, 12, 20),
        },
    )
    return cycle


def make_review(cycle, member, *, status=ReviewStatus.DRAFT, grade="GOOD", score=80) -> AnnualReview:
    done = status != ReviewStatus.DRAFT
    review = AnnualReview.objects.create(
        cycle=cycle,
        kind=ReviewKind.INDIVIDUAL,
        member=member,
        organization=member.organization,
        strengths="Gương mẫu" if done else "",
        shortcomings="Còn chậm" if done else "",
        self_grade=grade if done else "",
        self_score=Decimal(score) if done else None,
        status=status,
        submitted_at=timezone.now() if done else None,
        grade=grade if done else "",
        score=Decimal(score) if done else None,
        decided_at=timezone.now() if status == ReviewStatus.DECIDED else None,
    )
    for level in LEVELS[status]:
        RatingStep.objects.create(
            review=review,
            level=level,
            grade=grade,
            score=Decimal(score),
            votes_for=5 if level == RatingLevel.CELL else None,
            votes_against=0 if level == RatingLevel.CELL else None,
        )
    return review
