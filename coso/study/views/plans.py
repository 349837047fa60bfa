"""Follow-through plans: the list, the member's own, one plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.exceptions import ConflictError, RuleViolation

from .. import selectors, services
from ..forms import (
    AssessForm,
    CommitmentFormSet,
)
from ..models import PlanStatus
from ._common import PAGE_SIZE, _int, _own_member


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.has_any(user, "study.view"):
        raise PermissionDenied
    year = _int(request.GET.get("year")) or timezone.localdate().year
    plans = selectors.plan_list(actor=user, year=year)
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "study/plan_list.html", {"page": page, "year": year})


@login_required
def plan_mine(request: HttpRequest) -> HttpResponse:
    user = request.user
    member = _own_member(user)
    if member is None:
        raise PermissionDenied
    year = _int(request.GET.get("year")) or timezone.localdate().year
    plan = selectors.plan_for(member, year)
    if request.method == "POST" and plan is None:
        try:
            plan = services.plan_start(actor=user, member=member, year=year)
        except RuleViolation as exc:
            messages.error(request, exc.message)
            return redirect("core:home")
        # The start button posts no formset: binding it would report a missing ManagementForm, so show the
        # fresh plan's form on a GET instead.
        return redirect(f"{request.path}?year={year}")
    if plan is not None and plan.status != PlanStatus.DRAFT:
        return redirect("study:plan_detail", pk=plan.pk)
    initial = [
        {"text": c.text, "target": c.target, "deadline": c.deadline}
        for c in (plan.commitments.all() if plan else [])
    ]
    formset = CommitmentFormSet(request.POST or None, initial=initial, prefix="c")
    if request.method == "POST" and formset.is_valid():
        items = [f.cleaned_data for f in formset.forms if f.cleaned_data]
        try:
            plan = services.plan_update(
                actor=user, plan=plan, commitments=items, expected_version=_int(request.POST.get("version"))
            )
            if "submit" in request.POST:
                plan = services.plan_submit(actor=user, plan=plan)
        except ConflictError as exc:
            messages.error(request, exc.message)
        except RuleViolation as exc:
            for errors in (exc.fields or {"__all__": [exc.message]}).values():
                for error in errors:
                    formset._non_form_errors = formset.error_class([*formset.non_form_errors(), str(error)])
        else:
            if plan.status == PlanStatus.SUBMITTED:
                if plan.before_heads:
                    messages.warning(
                        request,
                        _("Your plan was submitted before the heads of your organization submitted theirs."),
                    )
                messages.success(request, _("Your plan was submitted."))
                return redirect("study:plan_detail", pk=plan.pk)
            messages.success(request, _("Your plan was saved."))
            return redirect(f"{request.path}?year={year}")
    pending = services.plan_heads_pending(member, member.organization, year, on=timezone.localdate())
    context = {"plan": plan, "formset": formset, "year": year, "member": member, "heads_pending": pending}
    return render(request, "study/plan_form.html", context)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    plan = selectors.access_plan(user, pk)
    own = getattr(user, "member_id", None) == plan.member_id
    commitments = list(plan.commitments.all())
    forms = None
    if own and plan.status == PlanStatus.SUBMITTED:
        forms = [
            (
                c,
                AssessForm(
                    request.POST or None,
                    prefix=f"r{c.pk}",
                    initial={"result": c.result, "note": c.result_note},
                ),
            )
            for c in commitments
        ]
        if request.method == "POST" and all(f.is_valid() for _c, f in forms):
            results = {c.pk: (f.cleaned_data["result"], f.cleaned_data["note"]) for c, f in forms}
            try:
                services.plan_assess(actor=user, plan=plan, results=results)
            except RuleViolation as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Your self-assessment was saved."))
                return redirect("study:plan_detail", pk=plan.pk)
    elif request.method == "POST":
        raise PermissionDenied
    context = {"plan": plan, "own": own, "commitments": commitments, "forms": forms}
    return render(request, "study/plan_detail.html", context)
