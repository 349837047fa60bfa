"""HTML pages of inspection: remedies (mine, to verify, all), plans, cases with their steps, discipline records.

Cases, plans and discipline exist only for the inspection committee, the committee's leaders and the
administrator: anyone else gets 404 on their URLs and sees no menu entry.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from coso.accounts import permissions
from coso.core.exceptions import RuleViolation
from coso.orgs import selectors as org_selectors

from . import selectors, services
from .forms import (
    CaseFilterForm,
    CaseForm,
    DisciplineForm,
    FindingForm,
    OrganizationPickForm,
    PlanForm,
    RemedyFilterForm,
    RemedyUpdateForm,
    ShortcomingForm,
    StepForm,
    TransitionForm,
)
from .models import CaseStep, Discipline, InspectionCase, Remedy, ShortcomingSource

PAGE_SIZE = 25


def _require_cases(user) -> None:
    """Without an inspection role anywhere, the case pages do not exist."""
    if not permissions.has_any(user, "inspection.view_cases"):
        raise Http404


def _errors(request, exc: RuleViolation) -> None:
    for texts in (exc.fields or {"__all__": [exc.message]}).values():
        for text in texts:
            messages.error(request, text)


def _file(field, name):
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404
    return FileResponse(handle, as_attachment=False, filename=name or field.name)


# --- remedies -----------------------------------------------------------------------------------------------------


def remedy_boxes(user) -> list[tuple[str, str]]:
    boxes = []
    if getattr(user, "member_id", None):
        boxes.append(("mine", gettext_lazy("My remedies")))
    if permissions.has_any(user, "inspection.verify"):
        boxes.append(("verify", gettext_lazy("Remedies to verify")))
    if permissions.has_any(user, "inspection.view_remedies"):
        boxes.append(("all", gettext_lazy("All remedies of my organizations")))
    return boxes


@login_required
def remedy_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    boxes = remedy_boxes(user)
    keys = [key for key, _label in boxes]
    box = request.GET.get("box") or ""
    if box not in keys:
        box = keys[0] if keys else "mine"
    form = RemedyFilterForm(request.GET)
    remedies = (
        selectors.remedy_list(actor=user, filters=form.filters(box), today=today)
        if form.is_valid() and keys
        else Remedy.objects.none()
    )
    page = Paginator(remedies, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"remedy": r, "overdue": r.is_overdue(today), "days": r.days_overdue(today)} for r in page.object_list
    ]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "box": box,
        "box_label": dict(boxes).get(box, ""),
        "boxes": boxes if len(boxes) > 1 else [],
        "default_box": keys[0] if keys else "",
        "can_record": permissions.has_any(user, "inspection.manage_remedies"),
    }
    return render(request, "inspection/remedy_list.html", context)


@login_required
def remedy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    remedy = selectors.access_remedy(user, pk)
    today = timezone.localdate()
    context = {
        "remedy": remedy,
        "overdue": remedy.is_overdue(today),
        "days_overdue": remedy.days_overdue(today),
        "updates": selectors.remedy_updates(remedy),
        "actions": services.allowed_actions(user, remedy),
        "can_update": services.can_add_update(user, remedy),
        "transition_form": TransitionForm(),
    }
    return render(request, "inspection/remedy_detail.html", context)


@login_required
def remedy_update_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    remedy = selectors.access_remedy(user, pk)
    if not selectors.can_report(user, remedy):
        raise PermissionDenied
    form = RemedyUpdateForm(
        request.POST or None, request.FILES or None, initial={"date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.remedy_update_add(
                actor=user, remedy=remedy, date=data["date"], text=data["text"],
                progress=data.get("progress"), evidence=data.get("evidence"),
            )  # fmt: skip
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            messages.success(request, _("The progress update was recorded."))
            return redirect("inspection:remedy_detail", pk=remedy.pk)
    return render(request, "inspection/remedy_update_form.html", {"form": form, "remedy": remedy})


DONE_MESSAGES = {
    "report_done": gettext_lazy("The remedy was reported done; it will be verified."),
    "verify": gettext_lazy("The remedy is verified."),
    "return": gettext_lazy("The remedy was returned with your reason."),
}


@login_required
@require_POST
def remedy_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    remedy = selectors.access_remedy(user, pk)
    if action not in services.TRANSITIONS:
        raise Http404
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        services.remedy_transition(
            actor=user, remedy=remedy, action=action, reason=form.cleaned_data.get("reason") or ""
        )
    except RuleViolation as exc:
        _errors(request, exc)
    else:
        messages.success(request, DONE_MESSAGES[action])
    return redirect("inspection:remedy_detail", pk=remedy.pk)


@login_required
def remedy_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    update = selectors.access_remedy_update(request.user, pk)
    return _file(update.evidence, update.evidence_name)


@login_required
def shortcoming_create(request: HttpRequest) -> HttpResponse:
    """A shortcoming found by a self-review, a review prompt or a meeting, and its first remedy."""
    organization, response = _picked(
        request, _("Record a shortcoming and its remedy"), perm="inspection.manage_remedies"
    )
    if response is not None:
        return response
    initial = {"year": timezone.localdate().year}
    review = None
    if request.GET.get("review"):
        # From a review's page: its member, its shortcomings and the self-review as the source, pre-filled.
        from coso.reviews.selectors import access_review

        review = access_review(request.user, request.GET["review"])
        if review.organization_id != organization.pk:
            raise Http404
        initial.update(
            {
                "source": ShortcomingSource.SELF_REVIEW,
                "member": review.member_id,
                "responsible": review.member_id,
                "text": review.shortcomings,
                "year": review.cycle.year,
                "manifestations": review.manifestations,
            }
        )
    form = ShortcomingForm(request.POST or None, organization=organization, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            remedy = services.shortcoming_with_remedy_create(
                actor=request.user, organization=organization, review=review, **form.cleaned_data
            )
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            messages.success(request, _("The shortcoming and its remedy were recorded."))
            return redirect("inspection:remedy_detail", pk=remedy.pk)
    context = {"form": form, "organization": organization, "title": _("Record a shortcoming and its remedy")}
    return render(request, "inspection/form.html", context)


# --- picking the organization --------------------------------------------------------------------------------------


def _picked(request, title, perm: str = "inspection.manage"):
    """The organization of a new plan, case or record: ?org=pk, or the picker page (search as you type)."""
    user = request.user
    if request.GET.get("org"):
        return org_selectors.access_organization(user, request.GET["org"], perm=perm), None
    if perm == "inspection.manage":
        _require_cases(user)
    if not permissions.has_any(user, perm):
        raise PermissionDenied
    typed = request.GET if request.GET.get("org_text") else None
    pick = OrganizationPickForm(typed, actor=user, perm=perm)
    if typed is not None and pick.is_valid():
        return None, redirect(f"{request.path}?org={pick.cleaned_data['org'].pk}")
    return None, render(request, "inspection/pick_org.html", {"form": pick, "title": title})


# --- plans ----------------------------------------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_cases(user)
    page = Paginator(selectors.plan_list(actor=user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "can_create": permissions.has_any(user, "inspection.manage")}
    return render(request, "inspection/plan_list.html", context)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.access_plan(request.user, pk)
    cases = selectors.case_list(actor=request.user).filter(plan=plan)
    return render(request, "inspection/plan_detail.html", {"plan": plan, "cases": cases})


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    organization, response = _picked(request, _("New inspection and supervision plan"))
    if response is not None:
        return response
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, organization=organization, **form.cleaned_data)
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            messages.success(request, _("The plan was saved."))
            return redirect("inspection:plan_detail", pk=plan.pk)
    context = {"form": form, "organization": organization, "title": _("New inspection and supervision plan")}
    return render(request, "inspection/form.html", context)


# --- cases ----------------------------------------------------------------------------------------------------------


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_cases(user)
    form = CaseFilterForm(request.GET, actor=user)
    cases = (
        selectors.case_list(actor=user, filters=form.filters())
        if form.is_valid()
        else InspectionCase.objects.none()
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "can_create": permissions.has_any(user, "inspection.manage")}
    return render(request, "inspection/case_list.html", context)


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    organization, response = _picked(request, _("New inspection or supervision case"))
    if response is not None:
        return response
    user = request.user
    form = CaseForm(
        request.POST or None,
        actor=user,
        organization=organization,
        initial={"year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(actor=user, organization=organization, **form.cleaned_data)
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            messages.success(request, _("The case was opened."))
            return redirect("inspection:case_detail", pk=case.pk)
    context = {"form": form, "organization": organization, "title": _("New inspection or supervision case")}
    return render(request, "inspection/form.html", context)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.access_case(user, pk)
    can_manage = permissions.can(user, "inspection.manage", case.organization.path)
    next_step = case.next_step
    context = {
        "case": case,
        "steps": selectors.case_steps(case),
        "can_manage": can_manage,
        "next_step": CaseStep(next_step) if next_step else None,
        "step_form": StepForm(initial={"step": next_step, "date": timezone.localdate()})
        if next_step
        else None,
        "finding_form": FindingForm(organization=case.organization)
        if can_manage and case.step == CaseStep.CONCLUSION
        else None,
        "shortcomings": list(case.shortcomings.prefetch_related("remedies__responsible").order_by("id")),
        "discipline": list(case.discipline_records.select_related("member").order_by("-decided_on")),
    }
    return render(request, "inspection/case_detail.html", context)


@login_required
@require_POST
def case_step(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.access_case(user, pk, perm="inspection.manage")
    form = StepForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("inspection:case_detail", pk=case.pk)
    data = form.cleaned_data
    try:
        services.case_record_step(
            actor=user, case=case, step=data["step"], date=data["date"], note=data["note"],
            document=data.get("document"),
        )  # fmt: skip
    except RuleViolation as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The step was recorded."))
    return redirect("inspection:case_detail", pk=case.pk)


@login_required
@require_POST
def case_finding(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.access_case(user, pk, perm="inspection.manage")
    form = FindingForm(request.POST, organization=case.organization)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("inspection:case_detail", pk=case.pk)
    data = form.cleaned_data
    try:
        services.case_add_finding(
            actor=user, case=case, text=data["text"], remedy_title=data["remedy_title"],
            due_date=data["due_date"], responsible=data["responsible"], manifestations=data["manifestations"],
        )  # fmt: skip
    except RuleViolation as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The shortcoming and its remedy were recorded."))
    return redirect("inspection:case_detail", pk=case.pk)


@login_required
def case_document(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.access_step(request.user, pk)
    return _file(record.document, record.document_name)


# --- discipline -----------------------------------------------------------------------------------------------------


@login_required
def discipline_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_cases(user)
    form_code = request.GET.get("form") or ""
    if form_code and form_code not in Discipline.values:
        form_code = ""
    records = selectors.discipline_list(actor=user, form=form_code)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "forms": Discipline.choices,
        "current_form": form_code,
        "can_create": permissions.has_any(user, "inspection.manage"),
    }
    return render(request, "inspection/discipline_list.html", context)


@login_required
def discipline_create(request: HttpRequest) -> HttpResponse:
    organization, response = _picked(request, _("Record a discipline decision"))
    if response is not None:
        return response
    user = request.user
    case = selectors.access_case(user, request.GET["case"]) if request.GET.get("case") else None
    initial = {"member": case.member_id} if case else {}
    form = DisciplineForm(request.POST or None, organization=organization, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        member = data.pop("member")
        try:
            services.discipline_record(
                actor=user, member=member, organization=None if member else organization, case=case, **data
            )
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            messages.success(request, _("The discipline decision was recorded."))
            return redirect("inspection:discipline_list")
    context = {"form": form, "organization": organization, "title": _("Record a discipline decision")}
    return render(request, "inspection/form.html", context)
