"""JSON API of the meetings app (django-ninja), mounted by coso.api.api under /api/v1/meetings/.

Everything is scoped like the pages: a meeting outside the caller's part of the tree is a 404, a write the role
does not allow is a 403, a broken rule a 422 with the field named, a stale version a 409.
"""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from coso.accounts import permissions
from coso.core.exceptions import CosoError, RuleViolation
from coso.core.patching import sent_fields
from coso.members.models import Member
from coso.orgs.models import Organization

from . import exports, selectors, services
from .models import Meeting, MeetingKind

PREFIX = "/meetings/"
router = Router(tags=["meetings"])
MAX_PAGE_SIZE = 100


class OrgRef(Schema):
    id: int
    code: str
    name: str


class MemberRef(Schema):
    id: int
    full_name: str


class AgendaItemOut(Schema):
    order: int
    title: str
    presenter: MemberRef | None
    duration_minutes: int | None


class MeetingOut(Schema):
    id: int
    organization: OrgRef
    kind: str
    combined_thematic: bool
    title: str
    topic: str
    starts_at: dt.datetime
    duration_minutes: int
    place: str
    chair: MemberRef | None
    minute_taker: MemberRef | None
    status: str
    status_label: str
    published_at: dt.datetime | None
    version: int


class GuestOut(Schema):
    name: str
    role: str
    member: MemberRef | None


class DocumentOut(Schema):
    title: str
    url: str


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaItemOut]
    guests: list[GuestOut]
    documents: list[DocumentOut]
    warnings: list[str]


class MeetingPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[MeetingOut]


class MeetingIn(Schema):
    organization: int
    kind: str = MeetingKind.REGULAR
    starts_at: dt.datetime
    title: str = ""
    topic: str = ""
    duration_minutes: int | None = None
    place: str = ""
    chair: int | None = None
    minute_taker: int | None = None
    combined_thematic: bool = False
    agenda: list[str] = []


class MeetingPatch(Schema):
    version: int
    kind: str | None = None
    starts_at: dt.datetime | None = None
    title: str | None = None
    topic: str | None = None
    duration_minutes: int | None = None
    place: str | None = None
    chair: int | None = None
    minute_taker: int | None = None
    combined_thematic: bool | None = None


class VersionIn(Schema):
    version: int | None = None


class PublishOut(Schema):
    meeting: MeetingOut
    warnings: list[str]


class AgendaItemIn(Schema):
    title: str
    presenter: int | None = None
    duration_minutes: int | None = None


class AttendanceOut(Schema):
    member: MemberRef
    status: str
    reason: str
    exempted: bool
    counted: bool
    is_guest: bool


class FiguresOut(Schema):
    total: int
    must_attend: int
    probationary: int
    base: int
    vote_base: int
    probationary_counted: bool
    rule_source: str
    attended: int
    excused: int
    unexcused: int
    unrecorded: int
    exempted: int
    rate: float | None
    flags: list[str]


class AttendanceListOut(Schema):
    figures: FiguresOut
    rows: list[AttendanceOut]


class AttendanceIn(Schema):
    status: str
    reason: str = ""


class ResolutionIO(Schema):
    text: str
    kind: str = "ORDINARY"
    votes_for: int = 0
    votes_against: int = 0
    votes_abstain: int = 0


class ResolutionOut(ResolutionIO):
    kind_label: str
    base: int
    passed: bool


class MinutesItem(Schema):
    item: int | None = None
    title: str = ""
    opinions: str = ""


class MinutesOut(Schema):
    number: int
    status: str
    opening: str
    items: list[MinutesItem]
    conclusion: str
    resolutions: list[ResolutionOut]
    approved_at: dt.datetime | None
    version: int


class MinutesIn(Schema):
    version: int
    opening: str | None = None
    items: list[MinutesItem] | None = None
    conclusion: str | None = None
    resolutions: list[ResolutionIO] | None = None


class EscalationOut(Schema):
    id: int
    meeting: int
    organization: OrgRef
    committee: OrgRef
    text: str
    status: str
    answer: str
    answered_at: dt.datetime | None
    version: int


class EscalationIn(Schema):
    text: str


class AnswerIn(Schema):
    answer: str
    version: int | None = None


class PlanYearIn(Schema):
    organization: int
    year: int
    day: int
    time: dt.time
    place: str = ""
    duration_minutes: int | None = None


class MonthOut(Schema):
    month: int
    held: bool
    meetings: list[MeetingOut]
    topics: list[str]


class CalendarOut(Schema):
    organization: OrgRef
    year: int
    months: list[MonthOut]
    months_without_held: list[int]
    quarters_without_thematic: list[int]


class VisitOut(Schema):
    id: int
    leader: MemberRef
    meeting: int
    cell: OrgRef
    date: dt.date
    done: bool


class RotationPlanOut(Schema):
    id: int
    organization: OrgRef
    title: str
    starts_on: dt.date
    ends_on: dt.date
    status: str
    leaders: list[MemberRef]
    version: int


class RotationPlanDetailOut(RotationPlanOut):
    visits: list[VisitOut]


class RotationPlanIn(Schema):
    organization: int
    leaders: list[int]
    starts_on: dt.date
    ends_on: dt.date
    title: str = ""


# ---- helpers ---------------------------------------------------------------------------------------------


def _org(org: Organization) -> dict:
    return {"id": org.pk, "code": org.code, "name": org.name}


def _member(member: Member | None) -> dict | None:
    return {"id": member.pk, "full_name": member.full_name} if member else None


def _meeting_out(meeting: Meeting) -> dict:
    return {
        "id": meeting.pk,
        "organization": _org(meeting.organization),
        "kind": meeting.kind,
        "combined_thematic": meeting.combined_thematic,
        "title": meeting.title,
        "topic": meeting.topic,
        "starts_at": meeting.starts_at,
        "duration_minutes": meeting.duration_minutes,
        "place": meeting.place,
        "chair": _member(meeting.chair),
        "minute_taker": _member(meeting.minute_taker),
        "status": meeting.status,
        "status_label": str(meeting.get_status_display()),
        "published_at": meeting.published_at,
        "version": meeting.version,
    }


def _detail_out(request, meeting: Meeting) -> dict:
    meeting = selectors.meeting_get_full(meeting)
    data = _meeting_out(meeting)
    data["agenda"] = [
        {
            "order": i.order,
            "title": i.title,
            "presenter": _member(i.presenter),
            "duration_minutes": i.duration_minutes,
        }
        for i in meeting.agenda_items.all()
    ]
    data["guests"] = [
        {"name": g.display_name, "role": g.role, "member": _member(g.member)} for g in meeting.guests.all()
    ]
    data["documents"] = [
        {"title": d.title, "url": request.build_absolute_uri(d.href) if d.file else d.link}
        for d in meeting.documents.all()
    ]
    data["warnings"] = [str(w) for w in services.meeting_warnings(meeting)] if meeting.is_open else []
    return data


def _cell_member(meeting: Meeting, member_id: int | None, field: str) -> Member | None:
    if member_id is None:
        return None
    member = Member.objects.filter(pk=member_id).first()
    if member is None:
        raise RuleViolation(
            _("Please correct the errors below."), fields={field: [_("Choose a member of this cell.")]}
        )
    return member


def _access_org(user, pk: int, perm: str) -> Organization:
    org = Organization.objects.filter(pk=pk).first()
    if org is None:
        raise RuleViolation(
            _("Please correct the errors below."), fields={"organization": [_("Unknown organization.")]}
        )
    permissions.authorize(user, perm, org.path)
    return org


def _figures_out(figures) -> dict:
    return {
        "total": figures.total,
        "must_attend": figures.must_attend,
        "probationary": figures.probationary,
        "base": figures.base,
        "vote_base": figures.vote_base,
        "probationary_counted": figures.probationary_counted,
        "rule_source": figures.rule_source,
        "attended": figures.attended,
        "excused": figures.excused,
        "unexcused": figures.unexcused,
        "unrecorded": figures.unrecorded,
        "exempted": figures.exempted,
        "rate": figures.rate,
        "flags": [str(f) for f in figures.flags],
    }


def _minutes_out(minutes) -> dict:
    return {
        "number": minutes.number,
        "status": minutes.status,
        "opening": minutes.opening,
        "items": minutes.items,
        "conclusion": minutes.conclusion,
        "resolutions": [
            {
                "text": r.text,
                "kind": r.kind,
                "kind_label": str(r.get_kind_display()),
                "votes_for": r.votes_for,
                "votes_against": r.votes_against,
                "votes_abstain": r.votes_abstain,
                "base": r.base,
                "passed": r.passed,
            }
            for r in minutes.resolutions.all()
        ],
        "approved_at": minutes.approved_at,
        "version": minutes.version,
    }


def _escalation_out(e) -> dict:
    return {
        "id": e.pk,
        "meeting": e.meeting_id,
        "organization": _org(e.organization),
        "committee": _org(e.committee),
        "text": e.text,
        "status": e.status,
        "answer": e.answer,
        "answered_at": e.answered_at,
        "version": e.version,
    }


def _plan_out(plan, *, visits=None) -> dict:
    data = {
        "id": plan.pk,
        "organization": _org(plan.organization),
        "title": plan.title,
        "starts_on": plan.starts_on,
        "ends_on": plan.ends_on,
        "status": plan.status,
        "leaders": [_member(m) for m in plan.leaders.all()],
        "version": plan.version,
    }
    if visits is not None:
        data["visits"] = [
            {
                "id": v.pk,
                "leader": _member(v.leader),
                "meeting": v.meeting_id,
                "cell": _org(v.meeting.organization),
                "date": timezone.localtime(v.meeting.starts_at).date(),
                "done": v.done,
            }
            for v in visits
        ]
    return data


# ---- meetings --------------------------------------------------------------------------------------------


@router.get("/", response=MeetingPage, url_name="meeting_list", summary="List meetings")
def meeting_list(
    request: HttpRequest,
    org: int | None = None,
    kind: str | None = None,
    status: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    page: int = 1,
    page_size: int = 25,
):
    """Meetings in the caller's scope, newest first; `org` limits to an organization's subtree."""
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise CosoError(
            _("Please correct the errors."), fields={"page_size": [_("The value is out of range.")]}
        )
    organization = None
    if org is not None:
        organization = get_object_or_404(Organization, pk=org)
        permissions.authorize(request.user, "meetings.view", organization.path)
    qs = selectors.meeting_list(
        actor=request.user,
        organization=organization,
        kind=kind,
        status=status,
        starts_from=start,
        starts_to=end,
    )
    paginator = Paginator(qs, page_size)
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": page_size,
        "pages": paginator.num_pages,
        "results": [_meeting_out(m) for m in current.object_list],
    }


@router.post("/", response={201: MeetingDetailOut}, url_name="meeting_create", summary="Plan a meeting")
def meeting_create(request: HttpRequest, payload: MeetingIn):
    org = _access_org(request.user, payload.organization, "meetings.manage")
    meeting = services.meeting_schedule(
        actor=request.user,
        organization=org,
        kind=payload.kind,
        starts_at=payload.starts_at,
        title=payload.title,
        topic=payload.topic,
        duration_minutes=payload.duration_minutes,
        place=payload.place,
        chair=_cell_member(None, payload.chair, "chair"),
        minute_taker=_cell_member(None, payload.minute_taker, "minute_taker"),
        combined_thematic=payload.combined_thematic,
        agenda=payload.agenda,
    )
    return 201, _detail_out(request, meeting)


@router.get("/{int:meeting_id}", response=MeetingDetailOut, url_name="meeting_detail", summary="A meeting")
def meeting_detail(request: HttpRequest, meeting_id: int):
    return _detail_out(request, selectors.access_meeting(request.user, meeting_id))


@router.patch("/{int:meeting_id}", response=MeetingDetailOut, url_name="meeting_update", summary="Re-plan")
def meeting_update(request: HttpRequest, meeting_id: int, payload: MeetingPatch):
    meeting = selectors.access_meeting(request.user, meeting_id, perm="meetings.manage")
    data = sent_fields(request, payload)
    version = payload.version
    for field in ("chair", "minute_taker"):
        if field in data:
            data[field] = _cell_member(meeting, data[field], field)
    services.meeting_update(actor=request.user, meeting=meeting, data=data, expected_version=version)
    return _detail_out(request, meeting)


@router.post(
    "/{int:meeting_id}/publish", response=PublishOut, url_name="meeting_publish", summary="Send the notice"
)
def meeting_publish(request: HttpRequest, meeting_id: int, payload: VersionIn):
    meeting = selectors.access_meeting(request.user, meeting_id, perm="meetings.manage")
    warnings = services.meeting_publish(actor=request.user, meeting=meeting, expected_version=payload.version)
    return {"meeting": _meeting_out(meeting), "warnings": [str(w) for w in warnings]}


@router.get(
    "/{int:meeting_id}/agenda", response=list[AgendaItemOut], url_name="meeting_agenda", summary="The agenda"
)
def meeting_agenda(request: HttpRequest, meeting_id: int):
    meeting = selectors.access_meeting(request.user, meeting_id)
    return [
        {
            "order": i.order,
            "title": i.title,
            "presenter": _member(i.presenter),
            "duration_minutes": i.duration_minutes,
        }
        for i in meeting.agenda_items.select_related("presenter")
    ]


@router.put(
    "/{int:meeting_id}/agenda",
    response=list[AgendaItemOut],
    url_name="meeting_agenda_set",
    summary="Replace the agenda",
)
def meeting_agenda_set(request: HttpRequest, meeting_id: int, payload: list[AgendaItemIn]):
    meeting = selectors.access_meeting(request.user, meeting_id, perm="meetings.manage")
    items = [
        {
            "title": item.title,
            "presenter": _cell_member(meeting, item.presenter, "presenter"),
            "duration_minutes": item.duration_minutes,
        }
        for item in payload
    ]
    services.agenda_set(actor=request.user, meeting=meeting, items=items)
    return meeting_agenda(request, meeting_id)


# ---- attendance ------------------------------------------------------------------------------------------


def _attendance_list(meeting: Meeting) -> dict:
    rows = selectors.attendance_rows(meeting)
    return {
        "figures": _figures_out(selectors.meeting_figures(meeting, rows)),
        "rows": [
            {
                "member": _member(r.member),
                "status": r.status,
                "reason": r.reason,
                "exempted": r.exempted,
                "counted": r.counted,
                "is_guest": r.is_guest,
            }
            for r in rows
        ],
    }


@router.get(
    "/{int:meeting_id}/attendance",
    response=AttendanceListOut,
    url_name="meeting_attendance",
    summary="Attendance with the rate and flags",
)
def meeting_attendance(request: HttpRequest, meeting_id: int):
    return _attendance_list(selectors.access_meeting(request.user, meeting_id))


@router.put(
    "/{int:meeting_id}/attendance/{int:member_id}",
    response=AttendanceListOut,
    url_name="meeting_attendance_set",
    summary="Record one member's attendance",
)
def meeting_attendance_set(request: HttpRequest, meeting_id: int, member_id: int, payload: AttendanceIn):
    meeting = selectors.access_meeting(request.user, meeting_id, perm="meetings.manage")
    member = get_object_or_404(Member, pk=member_id)
    services.attendance_record(
        actor=request.user, meeting=meeting, member=member, status=payload.status, reason=payload.reason
    )
    return _attendance_list(meeting)


# ---- minutes ---------------------------------------------------------------------------------------------


@router.get(
    "/{int:meeting_id}/minutes", response=MinutesOut, url_name="meeting_minutes", summary="The minutes"
)
def meeting_minutes(request: HttpRequest, meeting_id: int):
    meeting = selectors.access_meeting(request.user, meeting_id)
    minutes = selectors.minutes_current(meeting)
    if minutes is None:
        if not permissions.can(request.user, "meetings.manage", meeting.organization.path):
            raise CosoError(_("The minutes have not been written yet."), code="not_found")
        minutes = services.minutes_start(actor=request.user, meeting=meeting)
    return _minutes_out(minutes)


@router.put(
    "/{int:meeting_id}/minutes",
    response=MinutesOut,
    url_name="meeting_minutes_update",
    summary="Save the draft",
)
def meeting_minutes_update(request: HttpRequest, meeting_id: int, payload: MinutesIn):
    meeting = selectors.access_meeting(request.user, meeting_id, perm="meetings.manage")
    minutes = services.minutes_start(actor=request.user, meeting=meeting)
    # A part sent as null is left as it is, like a part not sent at all.
    data = {name: value for name, value in payload.dict(exclude_unset=True).items() if value is not None}
    version = data.pop("version")
    resolutions = data.pop("resolutions", None)
    minutes = services.minutes_update(
        actor=request.user, minutes=minutes, data=data, resolutions=resolutions, expected_version=version
    )
    return _minutes_out(selectors.minutes_current(meeting))


@router.post(
    "/{int:meeting_id}/minutes/approve",
    response=MinutesOut,
    url_name="meeting_minutes_approve",
    summary="Approve and lock the minutes",
)
def meeting_minutes_approve(request: HttpRequest, meeting_id: int, payload: VersionIn):
    meeting = selectors.access_meeting(request.user, meeting_id, perm="meetings.approve_minutes")
    minutes = selectors.minutes_current(meeting)
    if minutes is None:
        raise RuleViolation(_("The minutes have not been written yet."), code="no_minutes")
    services.minutes_approve(actor=request.user, minutes=minutes, expected_version=payload.version)
    return _minutes_out(selectors.minutes_current(meeting))


@router.get(
    "/{int:meeting_id}/minutes.docx",
    url_name="meeting_minutes_docx",
    summary="The minutes as .docx",
    response={200: None},
)
def meeting_minutes_docx(request: HttpRequest, meeting_id: int):
    meeting = selectors.access_meeting(request.user, meeting_id)
    minutes = selectors.minutes_current(meeting)
    if minutes is None:
        raise CosoError(_("The minutes have not been written yet."), code="not_found")
    response = HttpResponse(
        exports.minutes_docx(meeting, minutes),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.pk}-v{minutes.number}.docx"'
    return response


# ---- escalations -----------------------------------------------------------------------------------------


@router.get(
    "/escalations", response=list[EscalationOut], url_name="escalation_list", summary="Issues sent up"
)
def escalation_list(request: HttpRequest, status: str | None = None):
    return [_escalation_out(e) for e in selectors.escalation_list(actor=request.user, status=status)[:200]]


@router.post(
    "/{int:meeting_id}/escalations",
    response={201: EscalationOut},
    url_name="escalation_create",
    summary="Send an issue up to the committee",
)
def escalation_create(request: HttpRequest, meeting_id: int, payload: EscalationIn):
    meeting = selectors.access_meeting(request.user, meeting_id, perm="meetings.manage")
    return 201, _escalation_out(
        services.escalation_raise(actor=request.user, meeting=meeting, text=payload.text)
    )


@router.post(
    "/escalations/{int:escalation_id}/answer",
    response=EscalationOut,
    url_name="escalation_answer",
    summary="Answer an issue",
)
def escalation_answer(request: HttpRequest, escalation_id: int, payload: AnswerIn):
    escalation = selectors.access_escalation(request.user, escalation_id, perm="meetings.answer_escalation")
    services.escalation_answer(
        actor=request.user, escalation=escalation, answer=payload.answer, expected_version=payload.version
    )
    return _escalation_out(escalation)


# ---- calendar --------------------------------------------------------------------------------------------


@router.get("/calendar", response=CalendarOut, url_name="calendar_get", summary="A cell's year")
def calendar_get(request: HttpRequest, org: int, year: int | None = None):
    organization = get_object_or_404(Organization, pk=org)
    permissions.authorize(request.user, "meetings.view", organization.path)
    today = timezone.localdate()
    year = year or today.year
    months, check = selectors.year_calendar(organization, year=year, today=today)
    return {
        "organization": _org(organization),
        "year": year,
        "months": [
            {
                "month": row.month,
                "held": row.held,
                "meetings": [_meeting_out(m) for m in row.meetings],
                "topics": [t.topic for t in row.topics],
            }
            for row in months
        ],
        "months_without_held": check.months_without_held,
        "quarters_without_thematic": check.quarters_without_thematic,
    }


@router.post(
    "/calendar/plan",
    response={201: list[MeetingOut]},
    url_name="calendar_plan",
    summary="Plan the year's regular meetings",
)
def calendar_plan(request: HttpRequest, payload: PlanYearIn):
    org = _access_org(request.user, payload.organization, "meetings.manage")
    created = services.meeting_plan_year(
        actor=request.user,
        organization=org,
        year=payload.year,
        day=payload.day,
        time=payload.time,
        place=payload.place,
        duration_minutes=payload.duration_minutes,
    )
    return 201, [_meeting_out(m) for m in created]


# ---- rotation plans --------------------------------------------------------------------------------------


@router.get(
    "/rotation-plans", response=list[RotationPlanOut], url_name="rotation_plan_list", summary="Rotation plans"
)
def rotation_plan_list(request: HttpRequest):
    plans = selectors.rotation_plan_list(actor=request.user).prefetch_related("leaders")[:200]
    return [_plan_out(p) for p in plans]


@router.post(
    "/rotation-plans",
    response={201: RotationPlanDetailOut},
    url_name="rotation_plan_create",
    summary="Propose a rotation plan",
)
def rotation_plan_create(request: HttpRequest, payload: RotationPlanIn):
    org = _access_org(request.user, payload.organization, "meetings.plan_rotation")
    leaders = list(Member.objects.filter(pk__in=payload.leaders))
    if len(leaders) != len(set(payload.leaders)):
        raise RuleViolation(_("Please correct the errors below."), fields={"leaders": [_("Unknown member.")]})
    plan, _proposal = services.rotation_plan_create(
        actor=request.user,
        organization=org,
        leaders=leaders,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        title=payload.title,
    )
    return 201, _plan_out(plan, visits=selectors.rotation_visits(plan))


@router.get(
    "/rotation-plans/{int:plan_id}",
    response=RotationPlanDetailOut,
    url_name="rotation_plan_detail",
    summary="A rotation plan with its visits",
)
def rotation_plan_detail(request: HttpRequest, plan_id: int):
    plan = selectors.access_rotation_plan(request.user, plan_id)
    return _plan_out(plan, visits=selectors.rotation_visits(plan))


@router.post(
    "/rotation-plans/{int:plan_id}/publish",
    response=RotationPlanDetailOut,
    url_name="rotation_plan_publish",
    summary="Publish a rotation plan",
)
def rotation_plan_publish(request: HttpRequest, plan_id: int, payload: VersionIn):
    plan = selectors.access_rotation_plan(request.user, plan_id, perm="meetings.plan_rotation")
    services.rotation_plan_publish(actor=request.user, plan=plan, expected_version=payload.version)
    return _plan_out(plan, visits=selectors.rotation_visits(plan))
