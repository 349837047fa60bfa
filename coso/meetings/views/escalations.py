"""Escalations: raise one from a meeting, the committee's list, the answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.exceptions import RuleViolation

from .. import selectors, services
from ..forms import AnswerForm
from ..models import EscalationStatus
from ._common import PAGE_SIZE, _action


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
