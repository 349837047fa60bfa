"""Rotation plans: list, create, detail, move a visit, publish."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.exceptions import RuleViolation
from coso.core.history import history_entries
from coso.members.models import Member

from .. import selectors, services
from ..forms import RotationForm
from ..models import Meeting, RotationVisit
from ._common import _action, _form_errors, _int, _version


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
