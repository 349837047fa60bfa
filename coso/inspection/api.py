"""JSON API of inspection (django-ninja), mounted by coso.api.api under /api/v1/inspection/.

Read routes, paginated and scoped like the pages: plans, cases and discipline records only for the inspection
roles and the committee's leaders (404 for anyone else); shortcomings and remedies for their member and the
organization's office and heads. Errors are the API's `{code, message, fields}`.
"""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from coso.accounts import permissions
from coso.core.exceptions import CosoError

from . import selectors

PREFIX = "/inspection/"
router = Router(tags=["inspection"])
MAX_PAGE_SIZE = 100


class OrgRef(Schema):
    id: int
    code: str
    name: str


class MemberRef(Schema):
    id: int
    full_name: str


class PlanOut(Schema):
    id: int
    organization: OrgRef
    year: int
    title: str
    subjects: str
    content: str
    starts_on: dt.date
    ends_on: dt.date


class StepOut(Schema):
    step: str
    step_label: str
    date: dt.date
    note: str
    has_document: bool


class CaseOut(Schema):
    id: int
    organization: OrgRef
    member: MemberRef | None
    plan_id: int | None
    kind: str
    kind_label: str
    year: int
    title: str
    step: str
    next_step: str | None
    conclusion: str
    concluded_on: dt.date | None


class CaseDetailOut(CaseOut):
    steps: list[StepOut]


class DisciplineOut(Schema):
    id: int
    subject: str
    organization: OrgRef
    member: MemberRef | None
    form: str
    form_label: str
    reason: str
    decision_number: str
    decided_on: dt.date
    issuing_body: str
    time_limit_ends_on: dt.date | None
    case_id: int | None


class ShortcomingOut(Schema):
    id: int
    organization: OrgRef
    member: MemberRef | None
    text: str
    source: str
    year: int
    manifestations: list[str]
    case_id: int | None
    review_id: int | None


class RemedyOut(Schema):
    id: int
    organization: OrgRef
    responsible: MemberRef | None
    shortcoming_id: int
    title: str
    description: str
    due_date: dt.date
    year: int
    status: str
    status_label: str
    progress: int
    overdue: bool
    days_overdue: int
    returned_reason: str
    verified_at: dt.datetime | None


def _page_schema(name, item):
    return type(name, (Schema,), {"__annotations__": {"count": int, "page": int, "page_size": int,
                                                       "pages": int, "results": list[item]}})  # fmt: skip


PlanPage = _page_schema("PlanPage", PlanOut)
CasePage = _page_schema("CasePage", CaseOut)
DisciplinePage = _page_schema("DisciplinePage", DisciplineOut)
ShortcomingPage = _page_schema("ShortcomingPage", ShortcomingOut)
RemedyPage = _page_schema("RemedyPage", RemedyOut)


def _org(org) -> dict:
    return {"id": org.pk, "code": org.code, "name": org.name}


def _member(member) -> dict | None:
    return {"id": member.pk, "full_name": member.full_name} if member is not None else None


def _paged(qs, page: int, page_size: int, out) -> dict:
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise CosoError(
            _("Please correct the errors."),
            fields={"page_size" if page >= 1 else "page": [_("The value is out of range.")]},
            code="invalid",
        )
    paginator = Paginator(qs, page_size)
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": page_size,
        "pages": paginator.num_pages,
        "results": [out(item) for item in current.object_list],
    }


def _require_cases(user) -> None:
    if not permissions.has_any(user, "inspection.view_cases"):
        raise Http404


def _plan(plan) -> dict:
    return {
        "id": plan.pk, "organization": _org(plan.organization), "year": plan.year, "title": plan.title,
        "subjects": plan.subjects, "content": plan.content, "starts_on": plan.starts_on, "ends_on": plan.ends_on,
    }  # fmt: skip


def _case(case) -> dict:
    return {
        "id": case.pk, "organization": _org(case.organization), "member": _member(case.member),
        "plan_id": case.plan_id, "kind": case.kind, "kind_label": str(case.get_kind_display()), "year": case.year,
        "title": case.title, "step": case.step, "next_step": case.next_step, "conclusion": case.conclusion,
        "concluded_on": case.concluded_on,
    }  # fmt: skip


def _discipline(record) -> dict:
    return {
        "id": record.pk, "subject": record.subject, "organization": _org(record.organization),
        "member": _member(record.member), "form": record.form, "form_label": str(record.get_form_display()),
        "reason": record.reason, "decision_number": record.decision_number, "decided_on": record.decided_on,
        "issuing_body": record.issuing_body, "time_limit_ends_on": record.time_limit_ends_on,
        "case_id": record.case_id,
    }  # fmt: skip


def _shortcoming(item) -> dict:
    return {
        "id": item.pk, "organization": _org(item.organization), "member": _member(item.member), "text": item.text,
        "source": item.source, "year": item.year, "manifestations": list(item.manifestations or []),
        "case_id": item.case_id, "review_id": item.review_id,
    }  # fmt: skip


def _remedy_out(today):
    def out(remedy) -> dict:
        return {
            "id": remedy.pk, "organization": _org(remedy.organization), "responsible": _member(remedy.responsible),
            "shortcoming_id": remedy.shortcoming_id, "title": remedy.title, "description": remedy.description,
            "due_date": remedy.due_date, "year": remedy.year, "status": remedy.status,
            "status_label": str(remedy.get_status_display()), "progress": remedy.progress,
            "overdue": remedy.is_overdue(today), "days_overdue": remedy.days_overdue(today),
            "returned_reason": remedy.returned_reason, "verified_at": remedy.verified_at,
        }  # fmt: skip

    return out


@router.get("/plans/", response=PlanPage, url_name="inspection_plan_list", summary="Inspection plans")
def plan_list(request: HttpRequest, year: int | None = None, page: int = 1, page_size: int = 25):
    _require_cases(request.user)
    return _paged(selectors.plan_list(actor=request.user, year=year), page, page_size, _plan)


@router.get("/plans/{int:plan_id}", response=PlanOut, url_name="inspection_plan_detail", summary="A plan")
def plan_detail(request: HttpRequest, plan_id: int):
    return _plan(selectors.access_plan(request.user, plan_id))


@router.get("/cases/", response=CasePage, url_name="inspection_case_list", summary="Inspection cases")
def case_list(
    request: HttpRequest,
    year: int | None = None,
    kind: str = "",
    step: str = "",
    page: int = 1,
    page_size: int = 25,
):
    """Restricted: only the inspection committee, the committee's leaders and the administrator."""
    _require_cases(request.user)
    filters = selectors.CaseFilters(year=year, kind=kind, step=step)
    return _paged(selectors.case_list(actor=request.user, filters=filters), page, page_size, _case)


@router.get(
    "/cases/{int:case_id}", response=CaseDetailOut, url_name="inspection_case_detail", summary="A case"
)
def case_detail(request: HttpRequest, case_id: int):
    case = selectors.access_case(request.user, case_id)
    data = _case(case)
    data["steps"] = [
        {"step": r.step, "step_label": str(r.get_step_display()), "date": r.date, "note": r.note,
         "has_document": bool(r.document)}
        for r in selectors.case_steps(case)
    ]  # fmt: skip
    return data


@router.get(
    "/discipline/",
    response=DisciplinePage,
    url_name="inspection_discipline_list",
    summary="Discipline records",
)
def discipline_list(request: HttpRequest, year: int | None = None, page: int = 1, page_size: int = 25):
    _require_cases(request.user)
    return _paged(selectors.discipline_list(actor=request.user, year=year), page, page_size, _discipline)


@router.get(
    "/discipline/{int:record_id}",
    response=DisciplineOut,
    url_name="inspection_discipline_detail",
    summary="A discipline record",
)
def discipline_detail(request: HttpRequest, record_id: int):
    return _discipline(selectors.access_discipline(request.user, record_id))


@router.get("/shortcomings/", response=ShortcomingPage, url_name="shortcoming_list", summary="Shortcomings")
def shortcoming_list(request: HttpRequest, year: int | None = None, page: int = 1, page_size: int = 25):
    return _paged(selectors.shortcoming_list(actor=request.user, year=year), page, page_size, _shortcoming)


@router.get(
    "/shortcomings/{int:item_id}",
    response=ShortcomingOut,
    url_name="shortcoming_detail",
    summary="A shortcoming",
)
def shortcoming_detail(request: HttpRequest, item_id: int):
    return _shortcoming(selectors.access_shortcoming(request.user, item_id))


@router.get("/remedies/", response=RemedyPage, url_name="remedy_list", summary="Remedies")
def remedy_list(
    request: HttpRequest,
    box: str = "all",
    year: int | None = None,
    overdue: bool | None = None,
    page: int = 1,
    page_size: int = 25,
):
    """box: mine (the caller's own), verify (reported done, waiting for the caller), all (what the caller sees)."""
    if box not in selectors.BOXES:
        message = _("Choose mine, verify or all.")
        raise CosoError(_("Please correct the errors."), fields={"box": [message]}, code="invalid")
    today = timezone.localdate()
    filters = selectors.RemedyFilters(box=box, year=year, overdue=overdue)
    return _paged(selectors.remedy_list(actor=request.user, filters=filters, today=today), page, page_size,
                  _remedy_out(today))  # fmt: skip


@router.get("/remedies/{int:remedy_id}", response=RemedyOut, url_name="remedy_detail", summary="A remedy")
def remedy_detail(request: HttpRequest, remedy_id: int):
    return _remedy_out(timezone.localdate())(selectors.access_remedy(request.user, remedy_id))
