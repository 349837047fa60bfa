"""HTML pages of the review cycle: the cycles, opening one, a cycle's reviews with its figures and quota, the
member's own review beside its evidence, a review with its steps and the step the user may take, and the files."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coso.accounts import permissions
from coso.core.exceptions import ConflictError, RuleViolation
from coso.core.exporters import file_response
from coso.orgs import selectors as org_selectors
from coso.orgs.models import Organization

from . import evidence, exports, selectors, services
from .forms import (
    CycleForm,
    ObjectionForm,
    PromptForm,
    PromptTextForm,
    RatingForm,
    ReviewFilterForm,
    SelfReviewForm,
)
from .grading import Grade, not_rated_reason
from .manifestations import by_group
from .models import RatingLevel, ReviewKind, ReviewStatus
from .policies import SCORE, regulation_on

PAGE_SIZE = 25
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _errors(request, exc: RuleViolation) -> None:
    for texts in (exc.fields or {"__all__": [exc.message]}).values():
        for text in texts:
            messages.error(request, text)


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.has_any(user, "reviews.view"):
        raise PermissionDenied
    page = Paginator(selectors.cycle_list(actor=user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "can_open": permissions.has_any(user, "reviews.manage")}
    return render(request, "reviews/cycle_list.html", context)


@login_required
def cycle_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.has_any(user, "reviews.manage"):
        raise PermissionDenied
    today = timezone.localdate()
    initial = {
        "year": today.year,
        "review_date": dt.date(today.year, 12, 15),
        "self_review_due": dt.date(today.year, 12, 5),
        "cell_due": dt.date(today.year, 12, 15),
        "committee_due": dt.date(today.year, 12, 25),
        "decision_due": dt.date(today.year, 12, 31),
    }
    home = permissions.home_path(user)
    form = CycleForm(request.POST or None, actor=user, initial=initial)
    if home and not request.POST:
        form.fields["organization"].initial = form.fields["organization"].queryset.filter(path=home).first()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = services.review_cycle_open(
                actor=user,
                organization=data["organization"],
                kind=data["kind"],
                year=data["year"],
                quarter=data.get("quarter"),
                title=data.get("title") or "",
                review_date=data["review_date"],
                self_review_due=data["self_review_due"],
                cell_due=data["cell_due"],
                committee_due=data["committee_due"],
                decision_due=data["decision_due"],
            )
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            messages.success(request, _("The review cycle is open."))
            return redirect("reviews:cycle_detail", pk=cycle.pk)
    return render(request, "reviews/cycle_form.html", {"form": form})


@login_required
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    cycle = selectors.access_cycle(user, pk)
    form = ReviewFilterForm(request.GET or None, actor=user, cycle=cycle)
    filters = form.filters() if form.is_valid() else selectors.ReviewFilters()
    reviews = selectors.review_list(actor=user, cycle=cycle, filters=filters)
    summary = selectors.cycle_summary(actor=user, cycle=cycle)
    paginator = Paginator(reviews, PAGE_SIZE)
    if filters == selectors.ReviewFilters():
        # Unfiltered, the list is every review the figures counted: no second COUNT over the cycle.
        paginator.count = summary.reviews
    page = paginator.get_page(request.GET.get("page"))
    member = user.member if getattr(user, "member_id", None) else None
    own_org = permissions.home_path(user)
    collective_org = None
    if own_org and permissions.can(user, "reviews.propose", own_org):
        collective_org = Organization.objects.filter(path=own_org).first()
        if not selectors.in_cycle(cycle, collective_org):
            collective_org = None
    context = {
        "cycle": cycle,
        "regulation": regulation_on(cycle.review_date),
        "form": form,
        "page": page,
        "summary": summary,
        "status_counts": [(value, label, summary.by_status[value]) for value, label in ReviewStatus.choices],
        "grade_counts": [(value, label, summary.by_grade[value]) for value, label in Grade.choices],
        "own": selectors.own_review(user, cycle),
        "can_start_own": member is not None and selectors.in_cycle(cycle, member.organization),
        "collective_org": collective_org,
    }
    template = "reviews/_review_table.html" if request.htmx else "reviews/cycle_detail.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
def cycle_export(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    cycle = selectors.access_cycle(user, pk)
    form = ReviewFilterForm(request.GET or None, actor=user, cycle=cycle)
    filters = form.filters() if form.is_valid() else selectors.ReviewFilters()
    reviews = selectors.review_list(actor=user, cycle=cycle, filters=filters)
    content = exports.ratings_xlsx(cycle, reviews)
    return file_response(content, filename=f"xep-loai-{cycle.year}-{cycle.pk}.xlsx")


@login_required
def cycle_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The ratings table for the upper committee: per unit, per grade, with percentages and last year's."""
    user = request.user
    cycle = selectors.access_cycle(user, pk)
    table = selectors.cycle_ratings_summary(actor=user, cycle=cycle)
    if request.GET.get("format") == "xlsx":
        content = exports.summary_xlsx(cycle, table)
        return file_response(content, filename=f"tong-hop-xep-loai-{cycle.year}-{cycle.pk}.xlsx")
    return render(request, "reviews/cycle_summary.html", {"cycle": cycle, "grades": Grade.choices, **table})


@login_required
def cycle_prompts(request: HttpRequest, pk: int) -> HttpResponse:
    """The cycle's review prompts, and sending one to a collective."""
    user = request.user
    cycle = selectors.access_cycle(user, pk)
    can_send = permissions.can(user, "reviews.manage", cycle.organization.path)
    if request.method == "POST" and not can_send:
        raise PermissionDenied
    form = PromptForm(request.POST or None, actor=user, cycle=cycle) if can_send else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.review_prompt_send(
                actor=user,
                cycle=cycle,
                text=form.cleaned_data["text"],
                organization=form.cleaned_data["organization"],
            )
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            messages.success(request, _("The review prompt was sent."))
            return redirect("reviews:cycle_prompts", pk=cycle.pk)
    page = Paginator(selectors.prompt_list(actor=user, cycle=cycle), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "reviews/prompts.html", {"cycle": cycle, "page": page, "form": form})


@login_required
@require_POST
def review_prompt(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a prompt to the member (or collective) of this review."""
    user = request.user
    review = selectors.access_review(user, pk)
    form = PromptTextForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the prompt."))
        return redirect("reviews:review_detail", pk=review.pk)
    try:
        services.review_prompt_send(
            actor=user,
            cycle=review.cycle,
            text=form.cleaned_data["text"],
            member=review.member if review.member_id else None,
            organization=None if review.member_id else review.organization,
        )
    except RuleViolation as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The review prompt was sent."))
    return redirect("reviews:review_detail", pk=review.pk)


@login_required
def cycle_not_rated(request: HttpRequest, pk: int) -> HttpResponse:
    """The members listed apart: not rated in this cycle, each with the reason."""
    user = request.user
    cycle = selectors.access_cycle(user, pk)
    page = Paginator(selectors.not_rated_members(actor=user, cycle=cycle), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        (member, not_rated_reason(status=member.status, admitted_on=member.admitted_on, on=cycle.review_date))
        for member in page.object_list
    ]
    return render(request, "reviews/not_rated.html", {"cycle": cycle, "page": page, "rows": rows})


@login_required
@require_POST
def review_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Begin (or reopen) the user's own review, or their organization's collective review."""
    user = request.user
    cycle = selectors.access_cycle(user, pk)
    try:
        if request.POST.get("org"):
            organization = org_selectors.access_organization(
                user, request.POST["org"], perm="reviews.propose"
            )
            review = services.review_start(actor=user, cycle=cycle, organization=organization)
        else:
            if not getattr(user, "member_id", None):
                raise PermissionDenied
            review = services.review_start(actor=user, cycle=cycle, member=user.member)
    except RuleViolation as exc:
        _errors(request, exc)
        return redirect("reviews:cycle_detail", pk=cycle.pk)
    if review.status == ReviewStatus.DRAFT:
        return redirect("reviews:review_edit", pk=review.pk)
    return redirect("reviews:review_detail", pk=review.pk)


def _evidence(review):
    if review.kind != ReviewKind.INDIVIDUAL:
        return evidence.collective_evidence(review.organization, year=review.cycle.year, cycle=review.cycle)
    return evidence.member_evidence(review.member, year=review.cycle.year)


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    review = selectors.access_review(user, pk)
    scored = (regulation_on(review.cycle.review_date) or regulation_on(timezone.localdate())).scheme == SCORE
    step = services.next_step(user, review)
    context = {
        "review": review,
        "cycle": review.cycle,
        "evidence": _evidence(review),
        "steps": selectors.review_steps(review),
        "scored": scored,
        "may_write": services.may_write(user, review) and review.status == ReviewStatus.DRAFT,
        "step": step,
        "step_label": RatingLevel(step).label if step else "",
        "rating_form": RatingForm(
            initial={"grade": review.grade, "score": review.score, "version": review.version},
            with_vote=step == RatingLevel.CELL,
        )
        if step
        else None,
        "may_object": services.is_own(user, review) and review.status == ReviewStatus.DECIDED,
        # The shortcomings this review brought out, each with its remedies (followed in the inspection app).
        "found": list(review.found_shortcomings.prefetch_related("remedies").order_by("id")),
        "may_record_shortcoming": review.status != ReviewStatus.DRAFT
        and permissions.can(user, "inspection.manage_remedies", review.organization.path),
        "objection_form": ObjectionForm(),
        "prompts": selectors.prompts_for(review),
        "may_prompt": permissions.can(user, "reviews.manage", review.cycle.organization.path),
        "prompt_form": PromptTextForm(),
        "manifestations": by_group(),
    }
    return render(request, "reviews/review_detail.html", context)


@login_required
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    review = selectors.access_review(user, pk)
    if not services.may_write(user, review):
        raise PermissionDenied
    if review.status != ReviewStatus.DRAFT:
        messages.warning(request, _("The self-review has been submitted: it can no longer be changed."))
        return redirect("reviews:review_detail", pk=review.pk)
    initial = {
        name: getattr(review, name)
        for name in (*services.TEXT_FIELDS, "manifestations", "self_score", "self_grade", "version")
    }
    form = SelfReviewForm(
        request.POST or None, initial=initial, individual=review.kind == ReviewKind.INDIVIDUAL
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields if name != "version"}
        submit = "submit" in request.POST
        try:
            review = services.review_save_self(
                actor=user, review=review, data=data, expected_version=form.cleaned_data["version"]
            )
            if submit:
                review = services.review_submit(actor=user, review=review, expected_version=review.version)
        except ConflictError as exc:
            conflict = exc.message
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
            # The draft was kept: the next save starts from it.
            form.data = form.data.copy()
            form.data["version"] = str(type(review).objects.get(pk=review.pk).version)
        else:
            if submit:
                messages.success(request, _("Your self-review was submitted to the cell."))
                return redirect("reviews:review_detail", pk=review.pk)
            messages.success(request, _("The draft was saved."))
            return redirect("reviews:review_edit", pk=review.pk)
    context = {
        "review": review,
        "cycle": review.cycle,
        "form": form,
        "conflict": conflict,
        "evidence": _evidence(review),
        "prompts": selectors.prompts_for(review),
        "regulation": regulation_on(review.cycle.review_date),
        "scored": (regulation_on(review.cycle.review_date) or regulation_on(timezone.localdate())).scheme
        == SCORE,
    }
    return render(request, "reviews/review_form.html", context)


@login_required
@require_POST
def review_rate(request: HttpRequest, pk: int, level: str) -> HttpResponse:
    user = request.user
    review = selectors.access_review(user, pk)
    if level not in RatingLevel.values or level not in services.STEPS:
        raise Http404
    form = RatingForm(request.POST, with_vote=level == RatingLevel.CELL)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect("reviews:review_detail", pk=review.pk)
    data = form.cleaned_data
    try:
        services.review_rate(
            actor=user,
            review=review,
            level=level,
            grade_value=data["grade"],
            score=data.get("score"),
            votes_for=data.get("votes_for"),
            votes_against=data.get("votes_against"),
            reason=data.get("reason") or "",
            expected_version=data["version"],
        )
    except ConflictError as exc:
        messages.error(request, exc.message)
    except RuleViolation as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The rating was recorded."))
    return redirect("reviews:review_detail", pk=review.pk)


@login_required
@require_POST
def review_object(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    review = selectors.access_review(user, pk)
    form = ObjectionForm(request.POST)
    form.is_valid()
    try:
        services.review_object(actor=user, review=review, reason=form.cleaned_data.get("reason") or "")
    except RuleViolation as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Your objection was recorded; the competent level will decide again."))
    return redirect("reviews:review_detail", pk=review.pk)


@login_required
def review_docx(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.access_review(request.user, pk)
    content = exports.review_docx(review)
    return file_response(
        content, filename=f"kiem-diem-{review.cycle.year}-{review.pk}.docx", content_type=DOCX
    )
