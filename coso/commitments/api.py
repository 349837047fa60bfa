"""JSON API of hard tasks (django-ninja), mounted by coso.api.api under /api/v1/commitments/.

The list reads the same query string as the page (q, org, year, status, kind, overdue, sort). Transitions are
one route: POST /{id}/transitions with the action (submit, accept, start, report_done, verify, return).
"""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from pydantic import field_validator

from coso.core.exceptions import CosoError, RuleViolation
from coso.core.forms import DATE_INPUT_FORMATS
from coso.core.patching import sent_fields
from coso.members.models import Member
from coso.orgs import selectors as org_selectors

from . import selectors, services
from .forms import HardTaskFilterForm
from .models import HardTask, HardTaskKind, HardTaskUpdate

PREFIX = "/commitments/"
router = Router(tags=["commitments"])

MAX_PAGE_SIZE = 100


def _parse_date(value):
    if isinstance(value, str):
        for fmt in DATE_INPUT_FORMATS:
            try:
                return dt.datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                continue
    return value


class OrgRef(Schema):
    id: int
    code: str
    name: str


class MemberRef(Schema):
    id: int
    full_name: str


class TaskRef(Schema):
    id: int
    title: str


class HardTaskOut(Schema):
    id: int
    organization: OrgRef
    year: int
    kind: str
    kind_label: str
    title: str
    description: str
    target_result: str
    due_date: dt.date
    responsible: MemberRef | None
    parent: TaskRef | None
    weight: int | None
    status: str
    status_label: str
    progress: int = Field(
        description="effective progress: a task with parts takes the weighted mean of theirs"
    )
    own_progress: int = Field(description="the last progress the organization reported")
    overdue: bool
    days_overdue: int
    returned_reason: str
    verified_at: dt.datetime | None
    version: int


class FeedbackRef(Schema):
    id: int
    code: str
    title: str
    status: str


class HardTaskDetailOut(HardTaskOut):
    children: list[HardTaskOut]
    feedback_items: list[FeedbackRef]
    actions: list[str] = Field(description="transitions the caller may apply now")


class HardTaskPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[HardTaskOut]


class HardTaskCreateIn(Schema):
    organization: int = Field(description="id of the organization making the commitment")
    title: str
    due_date: dt.date
    kind: str = HardTaskKind.HARD_TASK
    description: str = ""
    target_result: str = ""
    responsible: int | None = Field(None, description="member id; default: the organization's secretary")
    parent: int | None = Field(None, description="id of the larger task this one is part of")
    weight: int | None = 1
    feedback_items: list[int] = Field(default_factory=list, description="ids of citizens' feedback items")

    parse_dates = field_validator("due_date", mode="before")(_parse_date)


class HardTaskUpdateIn(Schema):
    version: int = Field(description="the version you read; a stale one is a 409 conflict")
    title: str | None = None
    kind: str | None = None
    description: str | None = None
    target_result: str | None = None
    due_date: dt.date | None = None
    responsible: int | None = None
    weight: int | None = None
    feedback_items: list[int] | None = None

    parse_dates = field_validator("due_date", mode="before")(_parse_date)


class TransitionIn(Schema):
    action: str = Field(description="submit, accept, start, report_done, verify, return")
    reason: str = Field("", description="required to return; an optional note to verify")


class UpdateIn(Schema):
    date: dt.date
    text: str
    progress: int | None = None

    parse_dates = field_validator("date", mode="before")(_parse_date)


class HardTaskUpdateOut(Schema):
    id: int
    date: dt.date
    text: str
    progress: int | None
    evidence_url: str | None
    evidence_name: str
    created_by: str | None


def _org(org) -> dict:
    return {"id": org.pk, "code": org.code, "name": org.name}


def _task_out(task: HardTask, today: dt.date) -> dict:
    return {
        "id": task.pk,
        "organization": _org(task.organization),
        "year": task.year,
        "kind": task.kind,
        "kind_label": str(task.get_kind_display()),
        "title": task.title,
        "description": task.description,
        "target_result": task.target_result,
        "due_date": task.due_date,
        "responsible": {"id": task.responsible.pk, "full_name": task.responsible.full_name}
        if task.responsible_id
        else None,
        "parent": {"id": task.parent.pk, "title": task.parent.title} if task.parent_id else None,
        "weight": task.weight,
        "status": task.status,
        "status_label": str(task.get_status_display()),
        "progress": task.progress,
        "own_progress": task.own_progress,
        "overdue": task.is_overdue(today),
        "days_overdue": task.days_overdue(today),
        "returned_reason": task.returned_reason,
        "verified_at": task.verified_at,
        "version": task.version,
    }


def _detail(request: HttpRequest, pk: int) -> dict:
    task = selectors.access_hard_task(request.user, pk)
    today = timezone.localdate()
    data = _task_out(task, today)
    data["children"] = [_task_out(child, today) for child in selectors.hard_task_children(task)]
    data["actions"] = services.allowed_actions(request.user, task)
    data["feedback_items"] = [
        {"id": f.pk, "code": f.code, "title": f.title, "status": f.status}
        for f in selectors.hard_task_feedback(task)
    ]
    return data


def _update_out(update: HardTaskUpdate) -> dict:
    from django.urls import reverse

    return {
        "id": update.pk,
        "date": update.date,
        "text": update.text,
        "progress": update.progress,
        "evidence_url": reverse("commitments:evidence", args=[update.pk]) if update.evidence else None,
        "evidence_name": update.evidence_name,
        "created_by": str(update.created_by) if update.created_by_id else None,
    }


def _member(organization, pk: int | None) -> Member | None:
    if pk is None:
        return None
    member = selectors.responsible_choices(organization).filter(pk=pk).first()
    if member is None:
        message = _("The responsible person must be a member of the organization.")
        raise RuleViolation(message, fields={"responsible": [message]})
    return member


@router.get("/", response=HardTaskPage, url_name="hard_task_list", summary="List commitments")
def hard_task_list(request: HttpRequest, page: int = 1, page_size: int = 25):
    """Query parameters as on the page: q, org, year, status, kind, overdue (yes/no), sort (org, due, -due,
    progress, -progress). Without `year`, every year."""
    form = HardTaskFilterForm(request.GET, actor=request.user)
    if not form.is_valid():
        raise CosoError(_("Please correct the errors."), fields=form.errors, code="invalid")
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise CosoError(
            _("Please correct the errors."),
            fields={"page_size" if page >= 1 else "page": [_("The value is out of range.")]},
            code="invalid",
        )
    today = timezone.localdate()
    paginator = Paginator(
        selectors.hard_task_list(actor=request.user, filters=form.filters(), today=today), page_size
    )
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": page_size,
        "pages": paginator.num_pages,
        "results": [_task_out(task, today) for task in current.object_list],
    }


@router.get("/{int:task_id}", response=HardTaskDetailOut, url_name="hard_task_detail", summary="A commitment")
def hard_task_detail(request: HttpRequest, task_id: int):
    return _detail(request, task_id)


@router.post(
    "/", response={201: HardTaskDetailOut}, url_name="hard_task_create", summary="Register a commitment"
)
def hard_task_create(request: HttpRequest, payload: HardTaskCreateIn):
    """Creates a draft; submit it with the `submit` transition."""
    organization = org_selectors.access_organization(
        request.user, payload.organization, perm="commitments.manage"
    )
    parent = selectors.access_hard_task(request.user, payload.parent) if payload.parent else None
    task = services.hard_task_create(
        actor=request.user,
        organization=organization,
        title=payload.title,
        due_date=payload.due_date,
        kind=payload.kind,
        description=payload.description,
        target_result=payload.target_result,
        responsible=_member(organization, payload.responsible),
        parent=parent,
        weight=payload.weight,
        feedback_items=payload.feedback_items,
    )
    return 201, _detail(request, task.pk)


@router.patch(
    "/{int:task_id}", response=HardTaskDetailOut, url_name="hard_task_update", summary="Edit a commitment"
)
def hard_task_update(request: HttpRequest, task_id: int, payload: HardTaskUpdateIn):
    """Send only the fields to change, plus the `version` you read. Drafts and returned commitments only."""
    task = selectors.access_hard_task(request.user, task_id, perm="commitments.manage")
    data = sent_fields(request, payload)
    if "responsible" in data:
        data["responsible"] = _member(task.organization, data["responsible"])
    services.hard_task_edit(actor=request.user, task=task, data=data, expected_version=payload.version)
    return _detail(request, task.pk)


@router.post(
    "/{int:task_id}/transitions",
    response=HardTaskDetailOut,
    url_name="hard_task_transition",
    summary="Submit, accept, start, report done, verify or return",
)
def hard_task_transition(request: HttpRequest, task_id: int, payload: TransitionIn):
    task = selectors.access_hard_task(request.user, task_id)
    services.hard_task_transition(actor=request.user, task=task, action=payload.action, reason=payload.reason)
    return _detail(request, task.pk)


@router.get(
    "/{int:task_id}/updates",
    response=list[HardTaskUpdateOut],
    url_name="hard_task_update_list",
    summary="A commitment's progress updates",
)
def hard_task_update_list(request: HttpRequest, task_id: int):
    task = selectors.access_hard_task(request.user, task_id)
    return [_update_out(update) for update in selectors.hard_task_updates(task)]


@router.post(
    "/{int:task_id}/updates",
    response={201: HardTaskUpdateOut},
    url_name="hard_task_update_create",
    summary="Report progress (multipart form; evidence optional)",
)
def hard_task_update_create(
    request: HttpRequest,
    task_id: int,
    payload: Form[UpdateIn],
    evidence: File[UploadedFile] = None,
):
    task = selectors.access_hard_task(request.user, task_id, perm="commitments.manage")
    update = services.hard_task_update_add(
        actor=request.user,
        task=task,
        date=payload.date,
        text=payload.text,
        progress=payload.progress,
        evidence=evidence,
    )
    return 201, _update_out(HardTaskUpdate.objects.select_related("created_by").get(pk=update.pk))
