"""Attendance on a phone: the list, marking a member, everyone else present."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from coso.core.exceptions import RuleViolation
from coso.members.models import Member

from .. import selectors, services
from ..forms import AttendanceForm
from ..models import AttendanceStatus, Meeting
from ._common import _error_text


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
