"""HTML pages of the meetings app: list, planning, notice, attendance on a phone, minutes and their .docx,
escalations, the yearly calendar, seasonal topics, the committee overview, rotation plans and the calendar feed."""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from coso.accounts import permissions
from coso.core.exceptions import ConflictError, RuleViolation
from coso.core.history import history_entries
from coso.core.text import as_id
from coso.members.models import Member
from coso.orgs.models import CELL_KINDS, Organization, OrgStatus

from . import exports, selectors, services
from .forms import (
    AgendaItemForm,
    AnswerForm,
    AttendanceForm,
    DocumentForm,
    EscalationForm,
    GuestForm,
    MeetingFilterForm,
    MeetingForm,
    PlanYearForm,
    RotationForm,
    TopicForm,
)
from .models import (
    AgendaItem,
    AttendanceStatus,
    CalendarToken,
    EscalationStatus,
    Meeting,
    MeetingDocument,
    MeetingGuest,
    MeetingKind,
    ResolutionKind,
    RotationVisit,
    SeasonalTopic,
)

PAGE_SIZE = 25


def _error_text(exc: RuleViolation) -> str:
    parts = [str(exc.message)]
    for errors in exc.fields.values():
        parts.extend(str(e) for e in errors)
    return " ".join(dict.fromkeys(parts))


def _action(view):
    """POST actions: a broken rule or a stale version becomes a message on the page the user came from."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (RuleViolation, ConflictError) as exc:
            messages.error(request, _error_text(exc) if isinstance(exc, RuleViolation) else str(exc.message))
            return redirect(request.POST.get("next") or request.META.get("HTTP_REFERER") or "meetings:list")

    return login_required(require_POST(wrapper))


def _version(request) -> int | None:
    try:
        return int(request.POST.get("version"))
    except (TypeError, ValueError):
        return None


def _scoped_orgs(user, perm: str = "meetings.view"):
    return Organization.objects.filter(permissions.scope_q(user, perm), status=OrgStatus.ACTIVE).order_by(
        "path"
    )


def _cells(user, perm: str = "meetings.view"):
    return _scoped_orgs(user, perm).filter(kind__in=CELL_KINDS)


def _default_cell(user, perm: str = "meetings.manage") -> Organization | None:
    member_id = getattr(user, "member_id", None)
    cells = _cells(user, perm)
    if member_id:
        own = cells.filter(members__pk=member_id).first()
        if own:
            return own
    return cells.first()


# ---- list, create, detail, edit --------------------------------------------------------------------------


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.has_any(user, "meetings.view"):
        raise PermissionDenied
    form = MeetingFilterForm(request.GET, organizations=_scoped_orgs(user))
    meetings = Meeting.objects.none()
    if form.is_valid():
        data = form.cleaned_data
        meetings = selectors.meeting_list(
            actor=user,
            organization=data["org"],
            kind=data["kind"] or None,
            status=data["status"] or None,
            starts_from=data["start"],
            starts_to=data["end"],
        )
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "can_create": permissions.has_any(user, "meetings.manage")}
    template = "meetings/_list_table.html" if request.htmx else "meetings/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    org_id = request.GET.get("org") or request.POST.get("org")
    if org_id:
        organization = (
            get_object_or_404(Organization, pk=as_id(org_id)) if as_id(org_id) is not None else None
        )
        if organization is None:
            raise Http404
        permissions.authorize(user, "meetings.manage", organization.path)
    else:
        organization = _default_cell(user)
        if organization is None:
            raise PermissionDenied
    initial = {
        "kind": request.GET.get("kind") or MeetingKind.REGULAR,
        "duration_minutes": 90,
        "time": dt.time(8),
    }
    form = MeetingForm(request.POST or None, organization=organization, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            meeting = services.meeting_schedule(actor=user, organization=organization, **data)
        except RuleViolation as exc:
            _form_errors(form, exc)
        else:
            for warning in services.meeting_warnings(meeting):
                messages.warning(request, warning)
            messages.success(
                request, _("The meeting is planned. Add the agenda and documents, then send the notice.")
            )
            return redirect("meetings:detail", meeting.pk)
    return render(
        request, "meetings/form.html", {"form": form, "organization": organization, "meeting": None}
    )


def _form_errors(form, exc: RuleViolation) -> None:
    for name, errors in exc.fields.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, str(error))
    if not exc.fields:
        form.add_error(None, str(exc.message))


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting = selectors.meeting_get_full(selectors.access_meeting(user, pk))
    path = meeting.organization.path
    can_manage = permissions.can(user, "meetings.manage", path)
    rows = selectors.attendance_rows(meeting)
    minutes = selectors.minutes_current(meeting)
    context = {
        "meeting": meeting,
        "can_manage": can_manage,
        "can_approve": permissions.can(user, "meetings.approve_minutes", path),
        "warnings": services.meeting_warnings(meeting) if meeting.is_open else [],
        "figures": selectors.meeting_figures(meeting, rows) if rows else None,
        "rows": rows,
        "minutes": minutes,
        "escalations": meeting.escalations.all(),
        "agenda_form": AgendaItemForm(organization=meeting.organization, prefix="agenda")
        if can_manage
        else None,
        "guest_form": GuestForm(prefix="guest") if can_manage else None,
        "document_form": DocumentForm(prefix="doc") if can_manage else None,
        "escalation_form": EscalationForm() if can_manage else None,
        "history": history_entries(meeting) if can_manage else None,
        "recipients_count": len(services.meeting_recipients(meeting))
        if can_manage and meeting.status == "PLANNED"
        else 0,
    }
    return render(request, "meetings/detail.html", context)


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting = selectors.access_meeting(user, pk, perm="meetings.manage")
    local = timezone.localtime(meeting.starts_at)
    initial = {
        "kind": meeting.kind,
        "combined_thematic": meeting.combined_thematic,
        "title": meeting.title,
        "topic": meeting.topic,
        "date": local.date(),
        "time": local.time(),
        "duration_minutes": meeting.duration_minutes,
        "place": meeting.place,
        "chair": meeting.chair_id,
        "minute_taker": meeting.minute_taker_id,
        "version": meeting.version,
    }
    form = MeetingForm(request.POST or None, organization=meeting.organization, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                actor=user,
                meeting=meeting,
                data=form.service_data(),
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError as exc:
            conflict = exc.message
        except RuleViolation as exc:
            _form_errors(form, exc)
        else:
            for warning in services.meeting_warnings(meeting):
                messages.warning(request, warning)
            messages.success(request, _("Saved."))
            return redirect("meetings:detail", meeting.pk)
    context = {"form": form, "organization": meeting.organization, "meeting": meeting, "conflict": conflict}
    return render(request, "meetings/form.html", context)


@_action
def meeting_publish(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, pk, perm="meetings.manage")
    warnings = services.meeting_publish(
        actor=request.user, meeting=meeting, expected_version=_version(request)
    )
    for warning in warnings:
        messages.warning(request, warning)
    messages.success(request, _("The notice was sent to the cell's members and the guests."))
    return redirect("meetings:detail", meeting.pk)


@_action
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, pk, perm="meetings.manage")
    services.meeting_cancel(
        actor=request.user,
        meeting=meeting,
        reason=request.POST.get("reason", ""),
        expected_version=_version(request),
    )
    messages.success(request, _("The meeting is cancelled."))
    return redirect("meetings:detail", meeting.pk)


@_action
def meeting_hold(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, pk, perm="meetings.manage")
    services.meeting_mark_held(actor=request.user, meeting=meeting, expected_version=_version(request))
    return redirect("meetings:attendance", meeting.pk)


# ---- agenda, guests, documents ---------------------------------------------------------------------------


@_action
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, pk, perm="meetings.manage")
    form = AgendaItemForm(request.POST, organization=meeting.organization, prefix="agenda")
    if not form.is_valid():
        raise RuleViolation(_("Please correct the errors below."), fields=form.errors)
    services.agenda_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
    return redirect("meetings:detail", meeting.pk)


@_action
def agenda_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    selectors.access_meeting(request.user, item.meeting_id, perm="meetings.manage")
    services.agenda_item_delete(actor=request.user, item=item)
    return redirect("meetings:detail", item.meeting_id)


@_action
def guest_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, pk, perm="meetings.manage")
    form = GuestForm(request.POST, prefix="guest")
    if not form.is_valid():
        raise RuleViolation(_("Please correct the errors below."), fields=form.errors)
    data = form.cleaned_data
    member = None
    if data["member"]:
        member = Member.objects.filter(
            permissions.scope_q(request.user, "members.view", field="organization__path"), pk=data["member"]
        ).first()
    services.guest_add(
        actor=request.user,
        meeting=meeting,
        member=member,
        name=data["name"],
        role=data["role"],
        email=data["email"],
    )
    return redirect("meetings:detail", meeting.pk)


@_action
def guest_delete(request: HttpRequest, pk: int) -> HttpResponse:
    guest = get_object_or_404(MeetingGuest.objects.select_related("meeting"), pk=pk)
    selectors.access_meeting(request.user, guest.meeting_id, perm="meetings.manage")
    services.guest_remove(actor=request.user, guest=guest)
    return redirect("meetings:detail", guest.meeting_id)


@_action
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, pk, perm="meetings.manage")
    form = DocumentForm(request.POST, request.FILES, prefix="doc")
    if not form.is_valid():
        raise RuleViolation(_("Please correct the errors below."), fields=form.errors)
    services.document_add(actor=request.user, meeting=meeting, **form.cleaned_data)
    return redirect("meetings:detail", meeting.pk)


@_action
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(MeetingDocument.objects.select_related("meeting"), pk=pk)
    selectors.access_meeting(request.user, document.meeting_id, perm="meetings.manage")
    services.document_remove(actor=request.user, document=document)
    return redirect("meetings:detail", document.meeting_id)


# ---- attendance ------------------------------------------------------------------------------------------


def _attendance_context(meeting: Meeting, rows=None) -> dict:
    rows = selectors.attendance_rows(meeting) if rows is None else rows
    figures = selectors.meeting_figures(meeting, rows)
    return {
        "meeting": meeting,
        "members": figures.expected,
        "exempted": figures.exempted_rows,
        "guests": [r for r in rows if r.is_guest],
        "figures": figures,
        "statuses": AttendanceStatus,
    }


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, pk, perm="meetings.manage")
    if not meeting.attendances.exists() and meeting.status != "CANCELLED":
        services.attendance_prepare(meeting=meeting)
    context = _attendance_context(meeting)
    context["closed"] = not (meeting.is_open or meeting.status == "HELD")
    context["unmarked"] = any(not row.status for row in context["members"])
    return render(request, "meetings/attendance.html", context)


@login_required
@require_POST
def attendance_rest_present(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, pk, perm="meetings.manage")
    try:
        count = services.attendance_rest_present(actor=request.user, meeting=meeting)
    except RuleViolation as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            ngettext("%(count)d member marked present.", "%(count)d members marked present.", count)
            % {"count": count},
        )
    return redirect("meetings:attendance", meeting.pk)


@login_required
@require_POST
def attendance_mark(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    user = request.user
    meeting = selectors.access_meeting(user, pk, perm="meetings.manage")
    member = get_object_or_404(Member, pk=member_pk)
    form = AttendanceForm(request.POST)
    error = None
    if form.is_valid():
        try:
            row = services.attendance_record(
                actor=user,
                meeting=meeting,
                member=member,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except RuleViolation as exc:
            error = _error_text(exc)
            row = meeting.attendances.filter(member=member).select_related("member").first()
    else:
        error = _("Unknown attendance.")
        row = meeting.attendances.filter(member=member).select_related("member").first()
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("meetings:attendance", meeting.pk)
    if row is None:
        raise Http404
    context = _attendance_context(meeting)
    context.update({"row": row, "error": error, "oob": True})
    response = render(request, "meetings/_attendance_row.html", context)
    if error:
        response.status_code = 422
    return response


# ---- minutes ---------------------------------------------------------------------------------------------


@login_required
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting = selectors.access_meeting(user, pk)
    path = meeting.organization.path
    can_manage = permissions.can(user, "meetings.manage", path)
    minutes = selectors.minutes_current(meeting)
    if minutes is None:
        if not can_manage:
            return render(request, "meetings/minutes.html", {"meeting": meeting, "minutes": None})
        try:
            minutes = services.minutes_start(actor=user, meeting=meeting)
        except RuleViolation as exc:
            messages.error(request, _error_text(exc))
            return redirect("meetings:detail", meeting.pk)
    error = conflict = None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        items = [
            {
                "item": item.get("item"),
                "title": item.get("title"),
                "opinions": request.POST.get(f"opinions-{i}", ""),
            }
            for i, item in enumerate(minutes.items)
        ]
        resolutions = []
        for i in range(min(_int(request.POST.get("resolution_count")), MAX_RESOLUTIONS) + 1):
            resolutions.append(
                {
                    "text": request.POST.get(f"res-{i}-text", ""),
                    "kind": request.POST.get(f"res-{i}-kind", ""),
                    "votes_for": _int(request.POST.get(f"res-{i}-for")),
                    "votes_against": _int(request.POST.get(f"res-{i}-against")),
                    "votes_abstain": _int(request.POST.get(f"res-{i}-abstain")),
                }
            )
        try:
            services.minutes_update(
                actor=user,
                minutes=minutes,
                data={
                    "opening": request.POST.get("opening", ""),
                    "conclusion": request.POST.get("conclusion", ""),
                    "items": items,
                },
                resolutions=resolutions,
                expected_version=_version(request),
            )
        except ConflictError as exc:
            conflict = exc.message
        except RuleViolation as exc:
            error = _error_text(exc)
        else:
            messages.success(request, _("The minutes are saved."))
            return redirect("meetings:minutes", meeting.pk)
    rows = selectors.attendance_rows(meeting)
    figures = selectors.meeting_figures(meeting, rows)
    context = {
        "meeting": meeting,
        "minutes": minutes,
        "resolutions": list(minutes.resolutions.all()),
        "resolution_kinds": ResolutionKind.choices,
        "missing": services.minutes_missing(meeting=meeting, minutes=minutes),
        "figures": figures,
        "base": figures.vote_base if figures.must_attend else selectors.voting_base(meeting),
        "can_manage": can_manage,
        "can_approve": permissions.can(user, "meetings.approve_minutes", path),
        "editable": can_manage and not minutes.is_locked,
        "versions": selectors.minutes_versions(meeting),
        "history": history_entries(minutes) if can_manage else None,
        "error": error,
        "conflict": conflict,
        "posted": request.POST if request.method == "POST" else None,
    }
    return render(request, "meetings/minutes.html", context)


def _int(value) -> int:
    """A count typed in a form: ASCII digits only, within the database's integer range, else 0."""
    number = as_id(value)
    return number if number is not None and number <= 2**31 - 1 else 0


MAX_RESOLUTIONS = 200
MIN_YEAR, MAX_YEAR = 1930, 2200


@_action
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, pk, perm="meetings.approve_minutes")
    minutes = selectors.minutes_current(meeting)
    if minutes is None:
        raise Http404
    services.minutes_approve(actor=request.user, minutes=minutes, expected_version=_version(request))
    messages.success(request, _("The minutes are approved and locked."))
    return redirect("meetings:minutes", meeting.pk)


@_action
def minutes_correct(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, pk, perm="meetings.approve_minutes")
    services.minutes_correct(actor=request.user, meeting=meeting, reason=request.POST.get("reason", ""))
    messages.success(request, _("A new version of the minutes is open for the correction."))
    return redirect("meetings:minutes", meeting.pk)


@login_required
def minutes_docx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, pk)
    minutes = selectors.minutes_current(meeting)
    if minutes is None:
        raise Http404
    content = exports.minutes_docx(meeting, minutes)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    local = timezone.localtime(meeting.starts_at)
    name = f"bien-ban-{meeting.organization.code}-{local:%Y-%m-%d}-v{minutes.number}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ---- escalations -----------------------------------------------------------------------------------------


@_action
def escalation_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, pk, perm="meetings.manage")
    services.escalation_raise(actor=request.user, meeting=meeting, text=request.POST.get("text", ""))
    messages.success(request, _("The issue was sent to the committee."))
    return redirect("meetings:detail", meeting.pk)


@login_required
def escalation_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.has_any(user, "meetings.view"):
        raise PermissionDenied
    status = request.GET.get("status", EscalationStatus.OPEN)
    if status not in EscalationStatus.values:
        status = ""
    escalations = selectors.escalation_list(actor=user, status=status or None)
    page = Paginator(escalations, PAGE_SIZE).get_page(request.GET.get("page"))
    answerable = permissions.scope_paths(user, "meetings.answer_escalation")
    rows = [
        (e, permissions.path_in_scope(e.committee.path, answerable) and e.status == EscalationStatus.OPEN)
        for e in page.object_list
    ]
    context = {"page": page, "rows": rows, "status": status, "statuses": EscalationStatus}
    return render(request, "meetings/escalations.html", context)


@_action
def escalation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = selectors.access_escalation(request.user, pk, perm="meetings.answer_escalation")
    form = AnswerForm(request.POST)
    if not form.is_valid():
        raise RuleViolation(_("Please correct the errors below."), fields=form.errors)
    services.escalation_answer(
        actor=request.user,
        escalation=escalation,
        answer=form.cleaned_data["answer"],
        expected_version=form.cleaned_data["version"],
    )
    messages.success(request, _("The answer was sent to the cell secretary."))
    return redirect("meetings:escalations")


# ---- yearly calendar and seasonal topics -------------------------------------------------------------------


def _pick_org(request, user, perm: str, *, cells_only: bool = True) -> Organization | None:
    org_id = request.GET.get("org") or request.POST.get("org")
    if org_id:
        if as_id(org_id) is None:
            raise Http404
        organization = get_object_or_404(Organization, pk=as_id(org_id))
        permissions.authorize(user, perm, organization.path)
        return organization
    return _default_cell(user, perm) if cells_only else None


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    user = request.user
    organization = _pick_org(request, user, "meetings.view")
    if organization is None:
        raise PermissionDenied
    today = timezone.localdate()
    year = as_id(request.GET.get("year")) or today.year
    if not MIN_YEAR <= year <= MAX_YEAR:
        year = today.year
    months, check = selectors.year_calendar(organization, year=year, today=today)
    can_manage = permissions.can(user, "meetings.manage", organization.path)
    context = {
        "organization": organization,
        "year": year,
        "months": months,
        "check": check,
        "can_manage": can_manage,
        "plan_form": PlanYearForm(initial={"year": year}) if can_manage else None,
        "cells": _cells(user)[:500],
        "can_edit_topics": permissions.has_any(user, "meetings.edit_topics"),
    }
    return render(request, "meetings/calendar.html", context)


@_action
def plan_year(request: HttpRequest) -> HttpResponse:
    user = request.user
    organization = _pick_org(request, user, "meetings.manage")
    if organization is None:
        raise PermissionDenied
    form = PlanYearForm(request.POST)
    if not form.is_valid():
        raise RuleViolation(_("Please correct the errors below."), fields=form.errors)
    data = form.cleaned_data
    created = services.meeting_plan_year(
        actor=user,
        organization=organization,
        year=data["year"],
        day=data["day"],
        time=data["time"],
        place=data["place"],
        duration_minutes=data["duration_minutes"],
    )
    messages.success(
        request,
        _("%(count)d regular meetings planned for %(year)d.") % {"count": len(created), "year": data["year"]},
    )
    return redirect(f"{_url('meetings:calendar')}?org={organization.pk}&year={data['year']}")


def _url(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


@login_required
def topic_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.has_any(user, "meetings.view_planning"):
        raise PermissionDenied
    editable = _scoped_orgs(user, "meetings.edit_topics").exclude(kind__in=CELL_KINDS)
    form = TopicForm(
        request.POST or None, organizations=editable, initial={"month": timezone.localdate().month}
    )
    if request.method == "POST":
        if not permissions.has_any(user, "meetings.edit_topics"):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.seasonal_topic_save(
                    actor=user,
                    organization=data["organization"],
                    month=data["month"],
                    topic=data["topic"],
                    note=data["note"],
                )
            except RuleViolation as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("meetings:topics")
    topics = SeasonalTopic.objects.filter(
        permissions.scope_q(user, "meetings.view", field="organization__path") | _ancestor_q(user)
    ).select_related("organization")
    edit_paths = permissions.scope_paths(user, "meetings.edit_topics")
    rows = [
        (t, permissions.path_in_scope(t.organization.path, edit_paths))
        for t in topics.order_by("month", "id")[:500]
    ]
    context = {"rows": rows, "form": form, "can_edit": permissions.has_any(user, "meetings.edit_topics")}
    return render(request, "meetings/topics.html", context)


def _ancestor_q(user):
    """Topics set above the user's organizations (a cell sees its committee's suggestions)."""
    from django.db.models import Q

    paths = permissions.scope_paths(user, "meetings.view")
    if paths is None:
        return Q()
    ancestors = {".".join(p.split(".")[:i]) for p in paths for i in range(1, p.count(".") + 1)}
    return Q(organization__path__in=ancestors)


@_action
def topic_delete(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(SeasonalTopic.objects.select_related("organization"), pk=pk)
    permissions.authorize(request.user, "meetings.edit_topics", topic.organization.path)
    services.seasonal_topic_delete(actor=request.user, topic=topic)
    return redirect("meetings:topics")


# ---- committee overview ----------------------------------------------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    committees = selectors.committees_of(user)
    organization = _pick_org(request, user, "meetings.overview", cells_only=False)
    if organization is None:
        organization = committees.first()
    if organization is None:
        raise PermissionDenied
    today = timezone.localdate()
    rows = selectors.overview(actor=user, org=organization, today=today)
    context = {
        "organization": organization,
        "committees": committees[:200],
        "rows": rows,
        "not_met": [r for r in rows if not r.met],
        "today": today,
        "open_escalations": selectors.open_escalation_count(actor=user),
    }
    return render(request, "meetings/overview.html", context)


# ---- rotation plans --------------------------------------------------------------------------------------


@login_required
def rotation_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.has_any(user, "meetings.view_planning"):
        raise PermissionDenied
    plans = selectors.rotation_plan_list(actor=user)[:200]
    return render(
        request,
        "meetings/rotation_list.html",
        {"plans": plans, "can_plan": permissions.has_any(user, "meetings.plan_rotation")},
    )


def _leader_choices(user):
    from coso.members.models import CURRENT_STATUSES

    return (
        Member.objects.filter(
            permissions.scope_q(user, "meetings.plan_rotation", field="organization__path"),
            status__in=CURRENT_STATUSES,
            positions__ends_on__isnull=True,
        )
        .select_related("organization")
        .distinct()
        .order_by("name_sort")[:300]
    )


@login_required
def rotation_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.has_any(user, "meetings.plan_rotation"):
        raise PermissionDenied
    committees = selectors.committees_of(user, "meetings.plan_rotation")
    leaders = Member.objects.filter(pk__in=[m.pk for m in _leader_choices(user)]).select_related(
        "organization"
    )
    today = timezone.localdate()
    first = today.replace(day=1)
    initial = {
        "starts_on": first,
        "ends_on": (first + dt.timedelta(days=92)).replace(day=1) - dt.timedelta(days=1),
    }
    form = RotationForm(request.POST or None, organizations=committees, leaders=leaders, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan, _proposal = services.rotation_plan_create(
                actor=user,
                organization=data["organization"],
                leaders=list(data["leaders"]),
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                title=data["title"],
            )
        except RuleViolation as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("The plan is proposed. Adjust the visits if needed, then publish it.")
            )
            return redirect("meetings:rotation_detail", plan.pk)
    return render(request, "meetings/rotation_form.html", {"form": form})


@login_required
def rotation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    plan = selectors.access_rotation_plan(user, pk)
    visits = selectors.rotation_visits(plan)
    can_plan = permissions.can(user, "meetings.plan_rotation", plan.organization.path)
    alternatives: dict[int, list] = {}
    if can_plan and plan.status == "DRAFT":
        slots = services.rotation_slots(plan.organization, plan.starts_on, plan.ends_on)
        by_cell: dict[int, list] = {}
        for slot in slots:
            by_cell.setdefault(slot.cell_id, []).append(slot)
        for visit in visits:
            alternatives[visit.pk] = [
                s for s in by_cell.get(visit.meeting.organization_id, []) if s.meeting_id != visit.meeting_id
            ]
    months: dict[str, list] = {}
    for visit in visits:
        months.setdefault(timezone.localtime(visit.meeting.starts_at).strftime("%m/%Y"), []).append(
            (visit, alternatives.get(visit.pk, []))
        )
    context = {
        "plan": plan,
        "months": months,
        "leaders": plan.leaders.all(),
        "done": sum(1 for v in visits if v.done),
        "total": len(visits),
        "can_plan": can_plan,
        "history": history_entries(plan) if can_plan else None,
    }
    return render(request, "meetings/rotation_detail.html", context)


@_action
def rotation_visit_move(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(RotationVisit.objects.select_related("plan__organization", "meeting"), pk=pk)
    selectors.access_rotation_plan(request.user, visit.plan_id, perm="meetings.plan_rotation")
    meeting = get_object_or_404(Meeting, pk=_int(request.POST.get("meeting")))
    services.rotation_visit_move(actor=request.user, visit=visit, meeting=meeting)
    messages.success(request, _("Saved."))
    return redirect("meetings:rotation_detail", visit.plan_id)


@_action
def rotation_publish(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.access_rotation_plan(request.user, pk, perm="meetings.plan_rotation")
    services.rotation_plan_publish(actor=request.user, plan=plan, expected_version=_version(request))
    messages.success(request, _("The plan is published: the leaders are invited to the meetings."))
    return redirect("meetings:rotation_detail", plan.pk)


# ---- calendar feed ---------------------------------------------------------------------------------------


@login_required
def feed_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        token = services.calendar_token_regenerate(user=user)
        messages.success(request, _("A new calendar address was made; the old one no longer works."))
    else:
        token = services.calendar_token_get(user=user)
    url = request.build_absolute_uri(_url("meetings:feed", token.token))
    return render(
        request,
        "meetings/feed.html",
        {"url": url, "webcal": url.replace("https://", "webcal://").replace("http://", "webcal://")},
    )


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's meetings as iCalendar. No log-in: the secret token in the address is the key."""
    row = CalendarToken.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if row is None:
        raise Http404
    since = timezone.localdate() - dt.timedelta(days=90)
    meetings = selectors.meetings_for_user(row.user, since=since)
    content = exports.meetings_ics(meetings, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="coso-meetings.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
