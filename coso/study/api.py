"""JSON API routes of the study app (django-ninja), mounted by coso.api.api under PREFIX.

Documents and campaigns reach the subtree of the organization that published them; learning reports and plans
are read by their author and by the roles that handle members' records. Writes go through the services, so the
same rules (transitions, reviewer, heads first) apply as on the pages.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from coso.accounts import permissions
from coso.core.exceptions import RuleViolation
from coso.core.patching import refuse_unwritable, sent_fields
from coso.members.models import Member

from . import selectors, services
from .models import (
    CampaignStatus,
    Document,
    DocumentKind,
    FollowThroughPlan,
    LearningReport,
    ReportStatus,
    StudyCampaign,
)

PREFIX = "/study/"
router = Router(tags=["study"])
MAX_PAGE_SIZE = 100


class OrgRef(Schema):
    id: int
    code: str
    name: str


class DocumentOut(Schema):
    id: int
    kind: str
    number: str
    title: str
    issuing_body: str
    issued_on: dt.date
    summary: str
    in_force: bool
    replaced_by_id: int | None
    replaced_on: dt.date | None
    file_url: str
    organization: OrgRef
    bookmarked: bool = False


class DocumentDetailOut(DocumentOut):
    replaces: list[int]
    replaced_by_chain: list[int]


class DocumentPage(Schema):
    count: int
    page: int
    pages: int
    results: list[DocumentOut]


def _document_out(document: Document, *, bookmarked: bool | None = None) -> dict:
    return {
        "id": document.pk,
        "kind": document.kind,
        "number": document.number,
        "title": document.title,
        "issuing_body": document.issuing_body,
        "issued_on": document.issued_on,
        "summary": document.summary,
        "in_force": document.in_force,
        "replaced_by_id": document.replaced_by_id,
        "replaced_on": document.replaced_on,
        "file_url": document.file.url if document.file else "",
        "organization": _org(document.organization),
        "bookmarked": bool(getattr(document, "is_bookmarked", False) if bookmarked is None else bookmarked),
    }


def _org(org) -> dict:
    return {"id": org.pk, "code": org.code, "name": org.name}


def _page(qs, page: int, page_size: int):
    paginator = Paginator(qs, max(1, min(page_size, MAX_PAGE_SIZE)))
    current = paginator.get_page(page)
    return paginator, current


@router.get("/documents/", response=DocumentPage, url_name="study_document_list")
def study_document_list(
    request: HttpRequest,
    q: str = "",
    kind: str = "",
    validity: str = "",
    bookmarked: bool = False,
    page: int = 1,
    page_size: int = 25,
):
    """Search the library: words match number, title, issuing body and summary without diacritics."""
    if not permissions.has_any(request.user, "study.view"):
        raise PermissionDenied
    filters = selectors.DocumentFilters(
        q=q, kind=kind if kind in DocumentKind.values else "", validity=validity, bookmarked=bookmarked
    )
    paginator, current = _page(selectors.document_list(actor=request.user, filters=filters), page, page_size)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "results": [_document_out(d) for d in current.object_list],
    }


@router.get("/documents/{pk}/", response=DocumentDetailOut, url_name="study_document_detail")
def study_document_detail(request: HttpRequest, pk: int):
    document = selectors.access_document(request.user, pk)
    older, newer = selectors.document_chain(document)
    return {
        **_document_out(document, bookmarked=selectors.is_bookmarked(request.user, document)),
        "replaces": [d.pk for d in older],
        "replaced_by_chain": [d.pk for d in newer],
    }


class BookmarkOut(Schema):
    bookmarked: bool


@router.post("/documents/{pk}/bookmark/", response=BookmarkOut, url_name="study_document_bookmark")
def study_document_bookmark(request: HttpRequest, pk: int):
    """Toggle the caller's bookmark on the document."""
    document = selectors.access_document(request.user, pk)
    return {"bookmarked": services.bookmark_toggle(actor=request.user, document=document)}


# --- campaigns -----------------------------------------------------------------------------------------------
class CampaignOut(Schema):
    id: int
    title: str
    description: str
    organization: OrgRef
    status: str
    starts_on: dt.date
    deadline: dt.date
    report_due_on: dt.date
    document_ids: list[int]
    version: int


def _campaign_out(campaign: StudyCampaign, document_ids: list[int]) -> dict:
    return {
        "id": campaign.pk,
        "title": campaign.title,
        "description": campaign.description,
        "organization": _org(campaign.organization),
        "status": campaign.status,
        "starts_on": campaign.starts_on,
        "deadline": campaign.deadline,
        "report_due_on": campaign.report_due_on,
        "document_ids": document_ids,
        "version": campaign.version,
    }


@router.get("/campaigns/", response=list[CampaignOut], url_name="campaign_list")
def campaign_list(request: HttpRequest, status: str = "", limit: int = 50):
    if not permissions.has_any(request.user, "study.view"):
        raise PermissionDenied
    campaigns = list(
        selectors.campaign_list(actor=request.user, status=status if status in CampaignStatus.values else "")[
            : max(1, min(limit, MAX_PAGE_SIZE))
        ]
    )
    through = StudyCampaign.documents.through.objects.filter(studycampaign__in=campaigns).values_list(
        "studycampaign_id", "document_id"
    )
    docs: dict[int, list[int]] = {}
    for campaign_id, document_id in through:
        docs.setdefault(campaign_id, []).append(document_id)
    return [_campaign_out(c, sorted(docs.get(c.pk, []))) for c in campaigns]


@router.get("/campaigns/{pk}/", response=CampaignOut, url_name="campaign_detail")
def campaign_detail(request: HttpRequest, pk: int):
    campaign = selectors.access_campaign(request.user, pk)
    return _campaign_out(campaign, sorted(campaign.documents.values_list("pk", flat=True)))


class ProgressRowOut(Schema):
    organization: OrgRef
    depth: int
    is_cell: bool
    required: int
    exempted: int
    studied: int
    not_studied: int
    sessions_held: int
    sessions_planned: int
    attendance_rate: float | None
    submitted: int
    reviewed: int
    returned: int
    late: int
    not_submitted: int


def _progress_row(row: selectors.ProgressRow) -> dict:
    return {
        "organization": _org(row.organization),
        "depth": row.depth,
        "is_cell": row.is_cell,
        "attendance_rate": row.attendance_rate,
        "not_studied": row.not_studied,
        "not_submitted": row.not_submitted,
        **{name: getattr(row, name) for name in PROGRESS_FIELDS},
    }


PROGRESS_FIELDS = (
    "required",
    "exempted",
    "studied",
    "sessions_held",
    "sessions_planned",
    "submitted",
    "reviewed",
    "returned",
    "late",
)


@router.get("/campaigns/{pk}/progress/", response=list[ProgressRowOut], url_name="campaign_progress")
def campaign_progress(request: HttpRequest, pk: int, org: int | None = None, levels: int = 1):
    """Per organization (within the caller's scope): sessions, attendance, members not yet studied, reports.

    `org` (id, default the campaign's organization) and the `levels` below it (0 to 3, default 1) choose the
    rows, as on the page: a province campaign is read level by level. Every row's figures are those of its
    whole subtree."""
    campaign = selectors.access_campaign(request.user, pk)
    if not 0 <= levels <= MAX_PROGRESS_LEVELS:
        message = _("The value is out of range.")
        raise RuleViolation(message, fields={"levels": [message]})
    under, _trail = selectors.progress_level(request.user, campaign, org)
    progress = selectors.campaign_progress(actor=request.user, campaign=campaign, under=under, levels=levels)
    return [_progress_row(row) for row in progress.rows]


MAX_PROGRESS_LEVELS = 3


# --- learning reports ----------------------------------------------------------------------------------------
class ReportOut(Schema):
    id: int
    campaign_id: int
    member_id: int
    member_name: str
    status: str
    body: str
    file_url: str
    due_on: dt.date
    submitted_at: dt.datetime | None
    late: bool
    reviewer_organization: OrgRef
    reviewer_name: str
    grade: str
    comment: str
    version: int


def _report_out(report: LearningReport) -> dict:
    return {
        "id": report.pk,
        "campaign_id": report.campaign_id,
        "member_id": report.member_id,
        "member_name": report.member.full_name,
        "status": report.status,
        "body": report.body,
        "file_url": report.file.url if report.file else "",
        "due_on": report.due_on,
        "submitted_at": report.submitted_at,
        "late": report.late,
        "reviewer_organization": _org(report.reviewer_organization),
        "reviewer_name": report.reviewer.full_name if report.reviewer_id else "",
        "grade": report.grade,
        "comment": report.comment,
        "version": report.version,
    }


class ReportPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ReportOut]


@router.get("/reports/", response=ReportPage, url_name="report_list")
def report_list(
    request: HttpRequest,
    campaign: int | None = None,
    status: str = "",
    to_review: bool = False,
    mine: bool = False,
    q: str = "",
    page: int = 1,
    page_size: int = 25,
):
    """Reports in scope; `q` searches the member's name without regard to case or diacritics."""
    if not permissions.has_any(request.user, "study.view"):
        raise PermissionDenied
    filters = selectors.ReportFilters(
        campaign=selectors.access_campaign(request.user, campaign) if campaign else None,
        status=status if status in ReportStatus.values else "",
        to_review=to_review,
        mine=mine,
        q=q.strip()[:100],
    )
    paginator, current = _page(selectors.report_list(actor=request.user, filters=filters), page, page_size)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "results": [_report_out(r) for r in current.object_list],
    }


@router.get("/reports/{pk}/", response=ReportOut, url_name="report_detail")
def report_detail(request: HttpRequest, pk: int):
    return _report_out(selectors.access_report(request.user, pk))


class ReportCreateIn(Schema):
    campaign: int
    body: str = ""


@router.post("/reports/", response={201: ReportOut}, url_name="report_create")
def report_create(request: HttpRequest, payload: ReportCreateIn):
    """Start the caller's own report for a campaign (a draft), optionally with its text."""
    campaign = selectors.access_campaign(request.user, payload.campaign)
    member_id = getattr(request.user, "member_id", None)
    member = Member.objects.select_related("organization").filter(pk=member_id).first() if member_id else None
    if member is None:
        raise PermissionDenied
    if LearningReport.objects.filter(campaign=campaign, member=member).exists():
        message = _("You have already started your report for this campaign; update it instead.")
        raise RuleViolation(message, fields={"campaign": [message]})
    report = services.report_start(actor=request.user, campaign=campaign, member=member)
    if payload.body:
        report = services.report_update(
            actor=request.user, report=report, body=payload.body, expected_version=report.version
        )
    return 201, _report_out(selectors.access_report(request.user, report.pk))


class ReportUpdateIn(Schema):
    body: str
    version: int | None = None


@router.patch("/reports/{pk}/", response=ReportOut, url_name="report_update")
def report_update(request: HttpRequest, pk: int, payload: ReportUpdateIn):
    """Change the text of your own draft (or returned) report. Status, grade and comment are not sent here."""
    report = selectors.access_report(request.user, pk)
    refuse_unwritable(sent_fields(request, payload), services.REPORT_WRITABLE_FIELDS)
    services.report_update(
        actor=request.user, report=report, body=payload.body, expected_version=payload.version
    )
    return _report_out(selectors.access_report(request.user, pk))


class VersionIn(Schema):
    version: int | None = None


@router.post("/reports/{pk}/submit/", response=ReportOut, url_name="report_submit")
def report_submit(request: HttpRequest, pk: int, payload: VersionIn):
    report = selectors.access_report(request.user, pk)
    services.report_submit(actor=request.user, report=report, expected_version=payload.version)
    return _report_out(selectors.access_report(request.user, pk))


class ReviewIn(Schema):
    grade: str
    comment: str = ""
    version: int | None = None


@router.post("/reports/{pk}/review/", response=ReportOut, url_name="report_review")
def report_review(request: HttpRequest, pk: int, payload: ReviewIn):
    """Grade a submitted report: GOOD or PASS marks it reviewed; REDO returns it to the member."""
    report = selectors.access_report(request.user, pk)
    services.report_review(
        actor=request.user,
        report=report,
        grade=payload.grade,
        comment=payload.comment,
        expected_version=payload.version,
    )
    return _report_out(selectors.access_report(request.user, pk))


class ReturnIn(Schema):
    comment: str
    version: int | None = None


@router.post("/reports/{pk}/return/", response=ReportOut, url_name="report_return")
def report_return(request: HttpRequest, pk: int, payload: ReturnIn):
    report = selectors.access_report(request.user, pk)
    services.report_return(
        actor=request.user, report=report, comment=payload.comment, expected_version=payload.version
    )
    return _report_out(selectors.access_report(request.user, pk))


# --- plans ---------------------------------------------------------------------------------------------------
class CommitmentIO(Schema):
    id: int | None = None
    text: str
    target: str
    deadline: dt.date
    result: str = ""
    result_note: str = ""


class PlanOut(Schema):
    id: int
    member_id: int
    member_name: str
    year: int
    status: str
    submitted_at: dt.datetime | None
    before_heads: bool
    commitments: list[CommitmentIO]
    version: int


def _plan_out(plan: FollowThroughPlan) -> dict:
    return {
        "id": plan.pk,
        "member_id": plan.member_id,
        "member_name": plan.member.full_name,
        "year": plan.year,
        "status": plan.status,
        "submitted_at": plan.submitted_at,
        "before_heads": plan.before_heads,
        "commitments": [
            {
                "id": c.pk,
                "text": c.text,
                "target": c.target,
                "deadline": c.deadline,
                "result": c.result,
                "result_note": c.result_note,
            }
            for c in plan.commitments.all()
        ],
        "version": plan.version,
    }


@router.get("/plans/", response=list[PlanOut], url_name="plan_list")
def plan_list(request: HttpRequest, year: int | None = None, limit: int = 50):
    if not permissions.has_any(request.user, "study.view"):
        raise PermissionDenied
    plans = selectors.plan_list(actor=request.user, year=year).prefetch_related("commitments")
    return [_plan_out(p) for p in plans[: max(1, min(limit, MAX_PAGE_SIZE))]]


@router.get("/plans/{pk}/", response=PlanOut, url_name="plan_detail")
def plan_detail(request: HttpRequest, pk: int):
    return _plan_out(selectors.access_plan(request.user, pk))


class PlanIn(Schema):
    year: int
    commitments: list[CommitmentIO] = []


@router.post("/plans/", response={201: PlanOut}, url_name="plan_create")
def plan_create(request: HttpRequest, payload: PlanIn):
    """Start the caller's plan for a year (or return the existing one) with its commitments."""
    member_id = getattr(request.user, "member_id", None)
    member = Member.objects.select_related("organization").filter(pk=member_id).first() if member_id else None
    if member is None:
        raise PermissionDenied
    plan = services.plan_start(actor=request.user, member=member, year=payload.year)
    if payload.commitments:
        plan = services.plan_update(
            actor=request.user,
            plan=plan,
            commitments=[c.dict() for c in payload.commitments],
            expected_version=plan.version,
        )
    return 201, _plan_out(selectors.access_plan(request.user, plan.pk))


class PlanUpdateIn(Schema):
    commitments: list[CommitmentIO]
    version: int | None = None


@router.put("/plans/{pk}/", response=PlanOut, url_name="plan_update")
def plan_update(request: HttpRequest, pk: int, payload: PlanUpdateIn):
    plan = selectors.access_plan(request.user, pk)
    services.plan_update(
        actor=request.user,
        plan=plan,
        commitments=[c.dict() for c in payload.commitments],
        expected_version=payload.version,
    )
    return _plan_out(selectors.access_plan(request.user, pk))


@router.post("/plans/{pk}/submit/", response=PlanOut, url_name="plan_submit")
def plan_submit(request: HttpRequest, pk: int, payload: VersionIn):
    plan = selectors.access_plan(request.user, pk)
    services.plan_submit(actor=request.user, plan=plan, expected_version=payload.version)
    return _plan_out(selectors.access_plan(request.user, pk))
