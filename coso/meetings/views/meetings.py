"""Meetings: list, plan, detail, edit, send the notice, cancel, start."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.exceptions import ConflictError, RuleViolation
from coso.core.history import history_entries
from coso.core.text import as_id
from coso.orgs.models import Organization

from .. import selectors, services
from ..forms import AgendaItemForm, DocumentForm, EscalationForm, GuestForm, MeetingFilterForm, MeetingForm
from ..models import Meeting, MeetingKind
from ._common import PAGE_SIZE, _action, _default_cell, _form_errors, _scoped_orgs, _version


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
