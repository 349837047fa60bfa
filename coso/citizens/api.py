"""JSON API routes of the citizens app (django-ninja), mounted by coso.api.api under PREFIX.

Public operations (no authentication, rate-limited like the portal): categories, filing, reading an item by its
tracking code, rating, reporting again, the transparency figures. Staff operations are scoped by the caller.
The Open311 GeoReport v2 endpoints are plain views under /citizens/open311/v2/ (see views/open311.py).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from coso.accounts import permissions
from coso.accounts.services import access_log_record
from coso.core.exceptions import CosoError, RuleViolation
from coso.core.text import as_id
from coso.orgs import selectors as org_selectors
from coso.orgs.models import Organization

from . import proof, selectors, services
from .forms import NOT_REPORTER
from .models import (
    Category,
    ComplaintRound,
    Dialogue,
    Feedback,
    FeedbackKind,
    FeedbackUpdate,
    ReceptionDay,
    RoutingRule,
)
from .views.public import ACTION_GROUP, ACTION_RATE, SUBMIT_GROUP, SUBMIT_RATE

PREFIX = "/citizens/"
router = Router(tags=["citizens"])
MAX_PAGE_SIZE = 100


class TooManyRequests(CosoError):
    code = "rate_limited"
    status = 429


class NotTheReporter(CosoError):
    code = "reporter_secret"
    status = 403


def _reporter_item(code: str, secret: str) -> Feedback:
    item = selectors.public_feedback_get(code)
    if not proof.is_reporter(item, secret):
        message = str(NOT_REPORTER)
        raise NotTheReporter(message, fields={"secret": [message]})
    return item


def _require_any(user, perm: str) -> None:
    if not permissions.has_any(user, perm):
        raise PermissionDenied


def _limit(request: HttpRequest, group: str, rate) -> None:
    if is_ratelimited(request, group=group, key="ip", rate=rate, method="POST", increment=True):
        raise TooManyRequests(_("Too many requests. Please try again later."))


class OrgRef(Schema):
    id: int
    code: str
    name: str


class CategoryOut(Schema):
    code: str
    name: str
    description: str
    default_kind: str
    deadline_working_days: int
    evidence_required: str
    public: bool


class FeedbackUpdateOut(Schema):
    at: dt.datetime
    kind: str
    kind_label: str
    text: str
    public: bool


class PublicFeedbackOut(Schema):
    code: str
    kind: str
    status: str
    status_label: str
    category: str
    received_at: dt.datetime
    deadline_at: dt.datetime | None
    description: str | None
    address: str | None
    answer: str | None
    rating: int | None
    updates: list[FeedbackUpdateOut]


class FeedbackOut(Schema):
    id: int
    code: str
    kind: str
    channel: str
    status: str
    status_label: str
    category: str
    title: str
    description: str
    address: str
    area: OrgRef | None
    receiving_org: OrgRef
    organization: OrgRef | None
    received_at: dt.datetime
    deadline_at: dt.datetime | None
    overdue: bool
    complaint_round: str | None = Field(description="complaints only: FIRST or SECOND (longer time limits)")
    is_complex: bool
    especially_complex: bool
    remote_area: bool
    several_units: bool
    extensions: int
    answered_at: dt.datetime | None
    escalated_to: OrgRef | None
    rating: int | None
    has_contact: bool
    version: int


class FeedbackDetailOut(FeedbackOut):
    answer: str
    updates: list[FeedbackUpdateOut]


class FeedbackPage(Schema):
    count: int
    page: int
    pages: int
    results: list[FeedbackOut]


class ContactOut(Schema):
    reporter_name: str
    reporter_phone: str
    reporter_email: str
    consent_at: dt.datetime | None


class SubmitIn(Schema):
    category: str
    area: str
    description: str
    kind: str | None = None
    title: str = ""
    address: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    consent: bool = False
    latitude: float | None = None
    longitude: float | None = None


class StaffFileIn(SubmitIn):
    channel: str = "WALK_IN"
    several_units: bool = False
    dialogue: int | None = None
    reception_day: int | None = None


class CodeOut(Schema):
    code: str
    url: str
    # Shown once: needed with the code to rate, report again or fetch the citizen's own files.
    secret: str
    public_id: str


class RateIn(Schema):
    rating: int
    comment: str = ""
    secret: str = ""


class ReopenIn(Schema):
    text: str
    secret: str = ""


class ActionIn(Schema):
    organization: str | None = None
    reason: str = ""
    authority: str = ""
    answer: str = ""
    text: str = ""
    public: bool = False
    kind: str | None = None
    category: str | None = None
    several_units: bool | None = None
    is_complex: bool | None = None
    especially_complex: bool | None = None
    remote_area: bool | None = None
    complaint_round: ComplaintRound | None = None


class MonthFiguresOut(Schema):
    month: dt.date | None
    received: int
    answered: int
    on_time: int
    avg_days: float | None
    rated: int
    satisfaction: float | None


class TransparencyOut(Schema):
    organization: OrgRef
    since: dt.date
    total: MonthFiguresOut
    by_month: list[MonthFiguresOut]
    by_category: dict[str, MonthFiguresOut]


class ComplianceOut(Schema):
    organization: OrgRef
    head: str | None
    required: int
    held: int
    planned: int
    short: bool


class ReceptionOut(Schema):
    id: int
    organization: OrgRef
    head: str
    date: dt.date
    kind: str
    status: str
    place: str
    citizens_count: int
    matters: str
    version: int


class ReceptionIn(Schema):
    organization: str
    head: int
    date: dt.date
    kind: str = "REGULAR"
    status: str = "PLANNED"
    place: str
    received_by: str = ""
    citizens_count: int = 0
    citizen_names: str = ""
    matters: str = ""
    note: str = ""


class DialogueOut(Schema):
    id: int
    organization: OrgRef
    kind: str
    topic: str
    date: dt.date
    status: str
    participants_count: int
    questions: str
    answers: str
    follow_ups: str
    version: int


class DialogueIn(Schema):
    organization: str
    kind: str
    topic: str
    date: dt.date
    place: str = ""
    status: str = "PLANNED"
    participants_count: int = 0
    participants: str = ""
    questions: str = ""
    answers: str = ""
    follow_ups: str = ""


class RoutingOut(Schema):
    id: int
    category: str | None
    area: OrgRef
    responsible: OrgRef
    note: str


class RoutingIn(Schema):
    category: str | None = None
    area: str
    responsible: str
    note: str = ""


def _org(o: Organization | None) -> dict | None:
    return {"id": o.pk, "code": o.code, "name": o.name} if o else None


def _update(u: FeedbackUpdate) -> dict:
    return {
        "at": u.at,
        "kind": u.kind,
        "kind_label": u.get_kind_display(),
        "text": u.text,
        "public": u.public,
    }


def _feedback(item: Feedback, now: dt.datetime) -> dict:
    return {
        "id": item.pk,
        "code": item.code,
        "kind": item.kind,
        "channel": item.channel,
        "status": item.status,
        "status_label": item.get_status_display(),
        "category": item.category.code,
        "title": item.title,
        "description": item.description,
        "address": item.address,
        "area": _org(item.area),
        "receiving_org": _org(item.receiving_org),
        "organization": _org(item.organization),
        "received_at": item.received_at,
        "deadline_at": item.deadline_at,
        "overdue": bool(item.is_open and item.deadline_at and item.deadline_at < now),
        "complaint_round": item.complaint_round if item.kind == FeedbackKind.COMPLAINT else None,
        "is_complex": item.is_complex,
        "especially_complex": item.especially_complex,
        "remote_area": item.remote_area,
        "several_units": item.several_units,
        "extensions": item.extensions,
        "answered_at": item.answered_at,
        "escalated_to": _org(item.escalated_to),
        "rating": item.rating,
        "has_contact": item.has_contact,
        "version": item.version,
    }


def _public(item: Feedback) -> dict:
    public = item.is_public
    return {
        "code": item.code,
        "kind": item.kind,
        "status": item.status,
        "status_label": item.get_status_display(),
        "category": item.category.code,
        "received_at": item.received_at,
        "deadline_at": item.deadline_at,
        "description": item.description if public else None,
        "address": item.address if public else None,
        "answer": item.answer if public else None,
        "rating": item.rating,
        "updates": [_update(u) for u in selectors.feedback_updates(item, public_only=True)],
    }


def _category(code: str | None, field: str = "category", *, required: bool = False) -> Category | None:
    if not code and not required:
        return None
    category = Category.objects.filter(code=code or "", active=True).first()
    if category is None:
        message = _("Choose a category from the list.")
        raise RuleViolation(message, fields={field: [message]})
    return category


def _area(code: str, field: str = "area") -> Organization:
    lookup = {"pk": as_id(code)} if as_id(code) is not None else {"code": code}
    area = Organization.objects.filter(**lookup).first() if code else None
    if area is None:
        message = _("Unknown organization code.")
        raise RuleViolation(message, fields={field: [message]})
    return area


# ---------------------------------------------------------------------------------------------------- public


@router.get(
    "/public/categories", auth=None, response=list[CategoryOut], url_name="feedback_public_categories"
)
def public_categories(request):
    return list(Category.objects.filter(active=True, public=True))


@router.post("/public/feedback", auth=None, response={201: CodeOut}, url_name="feedback_public_submit")
def public_submit(request, payload: Form[SubmitIn], files: File[list[UploadedFile]] = None):
    _limit(request, SUBMIT_GROUP, SUBMIT_RATE)
    data = payload.dict()
    item = services.feedback_create(
        actor=None,
        category=_category(data.pop("category"), required=True),
        area=_area(data.pop("area")),
        files=files or [],
        **data,
    )
    return 201, {
        "code": item.code,
        "url": f"/citizens/p/{item.code}/",
        "secret": item.reporter_secret,
        "public_id": item.public_id,
    }


@router.get(
    "/public/feedback/{code}", auth=None, response=PublicFeedbackOut, url_name="feedback_public_detail"
)
def public_detail(request, code: str):
    return _public(selectors.public_feedback_get(code))


@router.post(
    "/public/feedback/{code}/rating", auth=None, response=PublicFeedbackOut, url_name="feedback_public_rate"
)
def public_rate(request, code: str, payload: RateIn):
    _limit(request, ACTION_GROUP, ACTION_RATE)
    item = _reporter_item(code, payload.secret)
    item = services.feedback_rate(feedback=item, rating=payload.rating, comment=payload.comment)
    return _public(item)


@router.post(
    "/public/feedback/{code}/reopen", auth=None, response=PublicFeedbackOut, url_name="feedback_public_reopen"
)
def public_reopen(request, code: str, payload: ReopenIn):
    _limit(request, ACTION_GROUP, ACTION_RATE)
    item = services.feedback_reopen(feedback=_reporter_item(code, payload.secret), text=payload.text)
    return _public(item)


@router.get("/public/transparency/{org_code}", auth=None, response=TransparencyOut, url_name="transparency")
def public_transparency(request, org_code: str):
    commune = get_object_or_404(selectors.communes(), code=org_code)
    figures = selectors.transparency(commune)
    return {
        "organization": _org(commune),
        "since": figures["since"],
        "total": figures["total"].__dict__,
        "by_month": [m.__dict__ for m in figures["by_month"]],
        "by_category": {name: m.__dict__ for name, m in figures["by_category"]},
    }


# ---------------------------------------------------------------------------------------------------- staff


@router.get("/feedback", response=FeedbackPage, url_name="feedback_list")
def feedback_list(
    request,
    box: str = "open",
    status: str = "",
    kind: str = "",
    category: str = "",
    org: str = "",
    q: str = "",
    page: int = 1,
    page_size: int = 25,
):
    user = request.auth
    _require_any(user, "citizens.view")
    filters = {"box": box, "status": status, "kind": kind, "q": q}
    if category:
        try:
            filters["category"] = _category(category)
        except RuleViolation as exc:  # a filter that cannot be read is bad input (400), not a broken rule
            raise CosoError(exc.message, fields=exc.fields, code="invalid") from exc
    if org:
        filters["org"] = org_selectors.access_organization(user, org, perm="citizens.view")
    now = timezone.now()
    paginator = Paginator(
        selectors.feedback_list(actor=user, filters=filters, now=now), max(1, min(page_size, MAX_PAGE_SIZE))
    )
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "results": [_feedback(item, now) for item in current.object_list],
    }


@router.post("/feedback", response={201: FeedbackOut}, url_name="feedback_create")
def feedback_create(request, payload: StaffFileIn):
    user = request.auth
    data = payload.dict()
    source = {}
    if data.pop("dialogue"):
        source["dialogue"] = selectors.access_dialogue(
            user, payload.dialogue, perm="citizens.record_dialogue"
        )
    if data.pop("reception_day"):
        source["reception_day"] = selectors.access_reception_day(
            user, payload.reception_day, perm="citizens.record"
        )
    item = services.feedback_create(
        actor=user,
        category=_category(data.pop("category"), required=True),
        area=_area(data.pop("area")),
        **data,
        **source,
    )
    return 201, _feedback(item, timezone.now())


@router.get("/feedback/{pk}", response=FeedbackDetailOut, url_name="feedback_detail")
def feedback_detail(request, pk: int):
    item = selectors.access_feedback(request.auth, pk)
    data = _feedback(item, timezone.now())
    data["answer"] = item.answer
    data["updates"] = [_update(u) for u in selectors.feedback_updates(item, public_only=False)]
    return data


@router.get("/feedback/{pk}/contact", response=ContactOut, url_name="feedback_contact")
def feedback_contact(request, pk: int):
    user = request.auth
    item = selectors.access_feedback(user, pk)
    if not selectors.can_view_contact(user, item):
        raise PermissionDenied
    access_log_record(
        actor=user,
        action="feedback.view_contact",
        obj=item,
        label=item.code,
        path=item.receiving_org.path,
        request=request,
        detail="api",
    )
    return item


ACTIONS = ("assign", "reassign", "start", "answer", "transfer", "reject", "close", "extend", "note")


@router.post("/feedback/{pk}/{action}", response=FeedbackDetailOut, url_name="feedback_act")
def feedback_act(
    request, pk: int, action: str, payload: Form[ActionIn], files: File[list[UploadedFile]] = None
):
    """One workflow step: assign, reassign, start, answer (with evidence files), transfer, reject, close, extend,
    note. Multipart form so that an answer can carry its photos."""
    if action not in ACTIONS:
        raise Http404
    user = request.auth
    item = selectors.access_feedback(user, pk)
    data = payload.dict()
    org = _area(data["organization"], "organization") if data.get("organization") else None
    calls = {
        "assign": lambda: services.feedback_assign(
            actor=user,
            feedback=item,
            organization=org or _area("", "organization"),
            kind=data.get("kind"),
            category=_category(data.get("category")),
            several_units=data.get("several_units"),
            is_complex=data.get("is_complex"),
            especially_complex=data.get("especially_complex"),
            remote_area=data.get("remote_area"),
            complaint_round=data.get("complaint_round"),
        ),
        "reassign": lambda: services.feedback_reassign(
            actor=user, feedback=item, organization=org or _area("", "organization"), reason=data["reason"]
        ),
        "start": lambda: services.feedback_start(actor=user, feedback=item),
        "answer": lambda: services.feedback_answer(
            actor=user, feedback=item, answer=data["answer"], files=files or []
        ),
        "transfer": lambda: services.feedback_transfer(
            actor=user, feedback=item, authority=data["authority"], reason=data["reason"]
        ),
        "reject": lambda: services.feedback_reject(actor=user, feedback=item, reason=data["reason"]),
        "close": lambda: services.feedback_close(actor=user, feedback=item),
        "extend": lambda: services.feedback_extend(
            actor=user,
            feedback=item,
            reason=data["reason"],
            especially_complex=bool(data.get("especially_complex")),
        ),
        "note": lambda: services.feedback_note(
            actor=user, feedback=item, text=data["text"], public=data["public"]
        ),
    }
    calls[action]()
    return feedback_detail(request, pk)


def _month(value: str) -> dt.date:
    """The first day of a `yyyy-mm` query; unreadable input is a 400 `invalid` naming the field."""
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError as exc:
        message = _("Give the month as yyyy-mm.")
        raise CosoError(message, fields={"month": [message]}, code="invalid") from exc


@router.get("/reception/compliance", response=list[ComplianceOut], url_name="reception_compliance")
def reception_compliance(request, month: str = ""):
    first = _month(month) if month else timezone.localdate().replace(day=1)
    _require_any(request.auth, "citizens.view")
    rows = selectors.reception_compliance(actor=request.auth, month=first)
    return [
        {
            "organization": _org(r.organization),
            "head": r.head.full_name if r.head else None,
            "required": r.required,
            "held": r.held,
            "planned": r.planned,
            "short": r.short,
        }
        for r in rows
    ]


def _reception(r: ReceptionDay) -> dict:
    return {
        "id": r.pk,
        "organization": _org(r.organization),
        "head": r.head.full_name,
        "date": r.date,
        "kind": r.kind,
        "status": r.status,
        "place": r.place,
        "citizens_count": r.citizens_count,
        "matters": r.matters,
        "version": r.version,
    }


@router.get("/reception/days", response=list[ReceptionOut], url_name="reception_day_list")
def reception_day_list(request, org: str = "", month: str = ""):
    user = request.auth
    _require_any(user, "citizens.view")
    scope = org_selectors.access_organization(user, org, perm="citizens.view") if org else None
    rows = selectors.reception_list(actor=user, org=scope)
    if month:
        first, last = selectors.month_bounds(_month(month))
        rows = rows.filter(date__gte=first, date__lte=last)
    return [_reception(r) for r in rows[:500]]


@router.post("/reception/days", response={201: ReceptionOut}, url_name="reception_day_create")
def reception_day_create(request, payload: ReceptionIn):
    user = request.auth
    org = org_selectors.access_organization(user, payload.organization, perm="citizens.record")
    data = payload.dict()
    data.pop("organization")
    from coso.members.models import Member

    data["head"] = get_object_or_404(Member, pk=data["head"])
    item = services.reception_day_save(actor=user, organization=org, data=data)
    return 201, _reception(item)


def _dialogue(d: Dialogue) -> dict:
    return {
        "id": d.pk,
        "organization": _org(d.organization),
        "kind": d.kind,
        "topic": d.topic,
        "date": d.date,
        "status": d.status,
        "participants_count": d.participants_count,
        "questions": d.questions,
        "answers": d.answers,
        "follow_ups": d.follow_ups,
        "version": d.version,
    }


@router.get("/dialogues", response=list[DialogueOut], url_name="dialogue_list")
def dialogue_list(request, kind: str = ""):
    _require_any(request.auth, "citizens.view")
    rows = selectors.dialogue_list(actor=request.auth, filters={"kind": kind})
    return [_dialogue(d) for d in rows[:500]]


@router.post("/dialogues", response={201: DialogueOut}, url_name="dialogue_create")
def dialogue_create(request, payload: DialogueIn):
    user = request.auth
    org = org_selectors.access_organization(user, payload.organization, perm="citizens.record_dialogue")
    data = payload.dict()
    data.pop("organization")
    item = services.dialogue_save(actor=user, organization=org, data=data)
    return 201, _dialogue(item)


def _rule(r: RoutingRule) -> dict:
    return {
        "id": r.pk,
        "category": r.category.code if r.category else None,
        "area": _org(r.area),
        "responsible": _org(r.responsible),
        "note": r.note,
    }


@router.get("/routing-rules", response=list[RoutingOut], url_name="routing_rule_list")
def routing_rule_list(request):
    _require_any(request.auth, "citizens.view")
    rows = RoutingRule.objects.filter(
        permissions.scope_q(request.auth, "citizens.view", field="area__path")
    ).select_related("category", "area", "responsible")
    return [_rule(r) for r in rows[:1000]]


@router.post("/routing-rules", response={201: RoutingOut}, url_name="routing_rule_create")
def routing_rule_create(request, payload: RoutingIn):
    user = request.auth
    area = org_selectors.access_organization(user, payload.area, perm="citizens.receive")
    responsible = _area(payload.responsible, "responsible")
    rule = services.routing_rule_save(
        actor=user,
        area=area,
        responsible=responsible,
        category=_category(payload.category),
        note=payload.note,
    )
    return 201, _rule(rule)
