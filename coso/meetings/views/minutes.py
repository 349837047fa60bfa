"""Minutes: edit, approve, correct, download as .docx."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.exceptions import ConflictError, RuleViolation
from coso.core.history import history_entries

from .. import exports, selectors, services
from ..models import ResolutionKind
from ._common import _action, _error_text, _int, _version


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


MAX_RESOLUTIONS = 200


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
