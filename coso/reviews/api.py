"""JSON API of the review cycle (django-ninja), mounted by coso.api.api under /api/v1/reviews/.

Cycles, their reviews (the same filters as the page: q, org, status, grade, kind), one review with its steps,
the self-review (PATCH with the version read, then submit), a rating step and an objection. Errors come as a
code and a message, as everywhere in the API; a rating above what the facts allow names its reasons.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from coso.accounts import permissions
from coso.core.exceptions import CosoError
from coso.core.patching import sent_fields
from coso.orgs import selectors as org_selectors

from . import selectors, services
from .forms import ReviewFilterForm
from .grading import Grade
from .models import AnnualReview, RatingLevel, ReviewCycle
from .policies import regulation_on

PREFIX = "/reviews/"
router = Router(tags=["reviews"])
MAX_PAGE_SIZE = 100


class OrgRef(Schema):
    id: int
    code: str
    name: str


class MemberRef(Schema):
    id: int
    full_name: str


class CycleOut(Schema):
    id: int
    organization: OrgRef
    kind: str
    kind_label: str
    year: int
    quarter: int | None
    title: str
    regulation: str = Field(description="the grading regulation in force on the review date")
    review_date: dt.date
    self_review_due: dt.date
    cell_due: dt.date
    committee_due: dt.date
    decision_due: dt.date
    status: str


class QuotaOut(Schema):
    good_or_better: int
    excellent: int
    allowed: int


class SummaryOut(Schema):
    members: int = Field(description="current members of the caller's part of the cycle's subtree")
    begun: int = Field(description="individual reviews begun")
    not_started: int
    by_status: dict[str, int]
    by_grade: dict[str, int] = Field(description="decided ratings of individuals")
    quota: QuotaOut


class CycleDetailOut(CycleOut):
    summary: SummaryOut


class CyclePage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[CycleOut]


class CycleIn(Schema):
    organization: int
    kind: str = "YEAR"
    year: int
    quarter: int | None = None
    title: str = ""
    review_date: dt.date
    self_review_due: dt.date
    cell_due: dt.date
    committee_due: dt.date
    decision_due: dt.date


class StepOut(Schema):
    level: str
    level_label: str
    grade: str
    score: Decimal | None
    votes_for: int | None
    votes_against: int | None
    reason: str
    by: str
    at: dt.datetime


class ReviewOut(Schema):
    id: int
    cycle: int
    kind: str
    member: MemberRef | None
    organization: OrgRef
    status: str
    status_label: str
    grade: str
    grade_label: str
    score: Decimal | None
    version: int


class ReviewDetailOut(ReviewOut):
    strengths: str
    shortcomings: str
    responsibility: str
    prompt_answers: str
    earlier_shortcomings_fixed: str
    plan_result: str
    manifestations: list[str]
    self_score: Decimal | None
    self_grade: str
    steps: list[StepOut]


class ReviewPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[ReviewOut]


class StartIn(Schema):
    organization: int | None = Field(None, description="for a collective review; omit for your own review")


class SelfReviewIn(Schema):
    version: int
    strengths: str | None = None
    shortcomings: str | None = None
    responsibility: str | None = None
    prompt_answers: str | None = None
    earlier_shortcomings_fixed: str | None = None
    plan_result: str | None = None
    manifestations: list[str] | None = None
    self_score: Decimal | None = None
    self_grade: str | None = None


class VersionIn(Schema):
    version: int


class RatingIn(Schema):
    level: str = Field(description="CELL, COMMITTEE or DECISION")
    grade: str
    score: Decimal | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    reason: str = ""
    version: int


class ObjectionIn(Schema):
    reason: str


def _org(org) -> dict:
    return {"id": org.pk, "code": org.code, "name": org.name}


def _cycle_out(cycle: ReviewCycle) -> dict:
    regulation = regulation_on(cycle.review_date)
    return {
        "id": cycle.pk,
        "organization": _org(cycle.organization),
        "kind": cycle.kind,
        "kind_label": str(cycle.get_kind_display()),
        "year": cycle.year,
        "quarter": cycle.quarter,
        "title": cycle.title,
        "regulation": regulation.source if regulation else "",
        "review_date": cycle.review_date,
        "self_review_due": cycle.self_review_due,
        "cell_due": cycle.cell_due,
        "committee_due": cycle.committee_due,
        "decision_due": cycle.decision_due,
        "status": cycle.status,
    }


def _review_out(review: AnnualReview) -> dict:
    return {
        "id": review.pk,
        "cycle": review.cycle_id,
        "kind": review.kind,
        "member": {"id": review.member_id, "full_name": review.member.full_name}
        if review.member_id
        else None,
        "organization": _org(review.organization),
        "status": review.status,
        "status_label": str(review.get_status_display()),
        "grade": review.grade,
        "grade_label": str(Grade(review.grade).label) if review.grade else "",
        "score": review.score,
        "version": review.version,
    }


def _review_detail(request, pk: int) -> dict:
    review = selectors.access_review(request.user, pk)
    steps = [
        {
            "level": step.level,
            "level_label": str(RatingLevel(step.level).label),
            "grade": step.grade,
            "score": step.score,
            "votes_for": step.votes_for,
            "votes_against": step.votes_against,
            "reason": step.reason,
            "by": str(step.actor) if step.actor_id else "",
            "at": step.created_at,
        }
        for step in selectors.review_steps(review)
    ]
    fields = (
        "strengths",
        "shortcomings",
        "responsibility",
        "prompt_answers",
        "earlier_shortcomings_fixed",
        "plan_result",
    )
    return {
        **_review_out(review),
        **{name: getattr(review, name) for name in fields},
        "manifestations": review.manifestations,
        "self_score": review.self_score,
        "self_grade": review.self_grade,
        "steps": steps,
    }


def _pages(page: int, page_size: int) -> None:
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise CosoError(
            _("Please correct the errors."),
            fields={"page_size" if page >= 1 else "page": [_("The value is out of range.")]},
            code="invalid",
        )


@router.get("/cycles", response=CyclePage, url_name="review_cycle_list", summary="List review cycles")
def review_cycle_list(request: HttpRequest, page: int = 1, page_size: int = 25):
    if not permissions.has_any(request.user, "reviews.view"):
        raise PermissionDenied
    _pages(page, page_size)
    paginator = Paginator(selectors.cycle_list(actor=request.user), page_size)
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": page_size,
        "pages": paginator.num_pages,
        "results": [_cycle_out(cycle) for cycle in current.object_list],
    }


@router.post(
    "/cycles", response={201: CycleDetailOut}, url_name="review_cycle_open", summary="Open a review cycle"
)
def review_cycle_open(request: HttpRequest, payload: CycleIn):
    organization = org_selectors.access_organization(
        request.user, payload.organization, perm="reviews.manage"
    )
    cycle = services.review_cycle_open(
        actor=request.user,
        organization=organization,
        kind=payload.kind,
        year=payload.year,
        quarter=payload.quarter,
        title=payload.title,
        review_date=payload.review_date,
        self_review_due=payload.self_review_due,
        cell_due=payload.cell_due,
        committee_due=payload.committee_due,
        decision_due=payload.decision_due,
    )
    return 201, _cycle_detail(request, cycle.pk)


def _cycle_detail(request, pk: int) -> dict:
    cycle = selectors.access_cycle(request.user, pk)
    summary = selectors.cycle_summary(actor=request.user, cycle=cycle)
    quota = summary.quota
    return {
        **_cycle_out(cycle),
        "summary": {
            "members": summary.members,
            "begun": summary.individual,
            "not_started": summary.not_started,
            "by_status": summary.by_status,
            "by_grade": summary.by_grade,
            "quota": {
                "good_or_better": quota.good_or_better,
                "excellent": quota.excellent,
                "allowed": quota.allowed,
            },
        },
    }


@router.get(
    "/cycles/{int:cycle_id}",
    response=CycleDetailOut,
    url_name="review_cycle_detail",
    summary="A review cycle",
)
def review_cycle_detail(request: HttpRequest, cycle_id: int):
    return _cycle_detail(request, cycle_id)


@router.get(
    "/cycles/{int:cycle_id}/reviews", response=ReviewPage, url_name="review_list", summary="A cycle's reviews"
)
def review_list(request: HttpRequest, cycle_id: int, page: int = 1, page_size: int = 25):
    """Query parameters as on the page: q, org, status, grade, kind."""
    cycle = selectors.access_cycle(request.user, cycle_id)
    form = ReviewFilterForm(request.GET, actor=request.user, cycle=cycle)
    if not form.is_valid():
        raise CosoError(_("Please correct the errors."), fields=form.errors, code="invalid")
    _pages(page, page_size)
    paginator = Paginator(
        selectors.review_list(actor=request.user, cycle=cycle, filters=form.filters()), page_size
    )
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": page_size,
        "pages": paginator.num_pages,
        "results": [_review_out(review) for review in current.object_list],
    }


@router.post(
    "/cycles/{int:cycle_id}/reviews",
    response={201: ReviewDetailOut},
    url_name="review_start",
    summary="Begin your own review, or an organization's collective review",
)
def review_start(request: HttpRequest, cycle_id: int, payload: StartIn):
    cycle = selectors.access_cycle(request.user, cycle_id)
    if payload.organization:
        organization = org_selectors.access_organization(
            request.user, payload.organization, perm="reviews.propose"
        )
        review = services.review_start(actor=request.user, cycle=cycle, organization=organization)
    else:
        if not getattr(request.user, "member_id", None):
            raise PermissionDenied
        review = services.review_start(actor=request.user, cycle=cycle, member=request.user.member)
    return 201, _review_detail(request, review.pk)


@router.get(
    "/{int:review_id}", response=ReviewDetailOut, url_name="review_detail", summary="A review with its steps"
)
def review_detail(request: HttpRequest, review_id: int):
    return _review_detail(request, review_id)


@router.patch(
    "/{int:review_id}", response=ReviewDetailOut, url_name="review_update", summary="Save the self-review"
)
def review_update(request: HttpRequest, review_id: int, payload: SelfReviewIn):
    """Send only the fields to change, plus the `version` you read. Drafts only."""
    review = selectors.access_review(request.user, review_id)
    data = sent_fields(request, payload)
    data.pop("version", None)
    services.review_save_self(actor=request.user, review=review, data=data, expected_version=payload.version)
    return _review_detail(request, review_id)


@router.post(
    "/{int:review_id}/submit",
    response=ReviewDetailOut,
    url_name="review_submit",
    summary="Submit the self-review",
)
def review_submit(request: HttpRequest, review_id: int, payload: VersionIn):
    review = selectors.access_review(request.user, review_id)
    services.review_submit(actor=request.user, review=review, expected_version=payload.version)
    return _review_detail(request, review_id)


@router.post(
    "/{int:review_id}/ratings",
    response=ReviewDetailOut,
    url_name="review_rate",
    summary="The cell's proposal (with its vote), the committee's proposal or the decision",
)
def review_rate(request: HttpRequest, review_id: int, payload: RatingIn):
    review = selectors.access_review(request.user, review_id)
    if payload.level not in (RatingLevel.CELL, RatingLevel.COMMITTEE, RatingLevel.DECISION):
        message = _("Unknown step.")
        raise CosoError(message, fields={"level": [message]}, code="invalid")
    services.review_rate(
        actor=request.user,
        review=review,
        level=payload.level,
        grade_value=payload.grade,
        score=payload.score,
        votes_for=payload.votes_for,
        votes_against=payload.votes_against,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _review_detail(request, review_id)


@router.post(
    "/{int:review_id}/objection",
    response=ReviewDetailOut,
    url_name="review_object",
    summary="Object to the decided rating",
)
def review_object(request: HttpRequest, review_id: int, payload: ObjectionIn):
    review = selectors.access_review(request.user, review_id)
    services.review_object(actor=request.user, review=review, reason=payload.reason)
    return _review_detail(request, review_id)
