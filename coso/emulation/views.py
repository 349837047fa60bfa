"""HTML pages of emulation: movements (list, launch, detail with who signed and the year's results, export),
signing a covenant, the scorecard of one organization and year, and awards (list, record)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.exceptions import RuleViolation
from coso.core.exporters import file_response, rows_to_xlsx
from coso.members.selectors import access_member
from coso.orgs import selectors as org_selectors

from . import exports, selectors, services
from .forms import (
    AwardFilterForm,
    AwardForm,
    CovenantForm,
    DecideForm,
    MovementFilterForm,
    MovementForm,
    ParticipantFilterForm,
    PickOrganizationForm,
    ScoresForm,
)
from .models import Award, Movement, Scorecard

PAGE_SIZE = 25


def _require(user, perm: str) -> None:
    if not permissions.has_any(user, perm):
        raise PermissionDenied


@login_required
def movement_list(request: HttpRequest) -> HttpResponse:
    _require(request.user, "emulation.view")
    form = MovementFilterForm(request.GET or None)
    movements = Movement.objects.none()
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        movements = selectors.movement_list(actor=request.user, q=data.get("q") or "", year=data.get("year"))
    page = Paginator(movements, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "can_create": permissions.has_any(request.user, "emulation.manage"),
    }
    return render(request, "emulation/movement_list.html", context)


@login_required
def movement_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(user, "emulation.manage")
    form = MovementForm(request.POST or None, actor=user, initial_criteria=services.four_goods_criteria())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            movement = services.movement_create(
                actor=user,
                organization=data["organization"],
                name=data["name"],
                start_year=data["start_year"],
                end_year=data["end_year"],
                target=data["target"],
                description=data["description"],
                launched_on=data.get("launched_on"),
                criteria=form.criteria(),
            )
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            messages.success(request, _("The movement was launched."))
            return redirect("emulation:movement_detail", pk=movement.pk)
    return render(request, "emulation/movement_form.html", {"form": form})


def _default_year(movement: Movement) -> int:
    return min(max(timezone.localdate().year, movement.start_year), movement.end_year)


@login_required
def movement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    movement = selectors.access_movement(user, pk)
    criteria = selectors.criteria_of(movement)
    form = ParticipantFilterForm(request.GET or None, actor=user, movement=movement)
    filters, year = selectors.ParticipantFilters(), _default_year(movement)
    if request.GET and form.is_valid():
        filters = form.filters()
        year = form.cleaned_data.get("year") or year
    page = Paginator(
        selectors.participant_list(actor=user, movement=movement, filters=filters), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    organizations = list(page.object_list)
    cards = {
        card.organization_id: card
        for card in Scorecard.objects.filter(movement=movement, year=year, organization__in=organizations)
        .prefetch_related("scores")
    }  # fmt: skip
    self_paths = permissions.scope_paths(user, "emulation.self_score")
    rows = []
    for organization in organizations:
        card = cards.get(organization.pk)
        rows.append(
            {
                "organization": organization,
                "covenant": organization.covenant[0] if organization.covenant else None,
                "card": card,
                "points": card.points(criteria) if card else None,
                "can_sign": permissions.path_in_scope(organization.path, self_paths),
            }
        )
    context = {
        "movement": movement,
        "criteria": criteria,
        "weight_total": sum(c.weight for c in criteria),
        "counts": selectors.covenant_counts(actor=user, movement=movement),
        "form": form,
        "page": page,
        "rows": rows,
        "year": year,
        "can_sign": permissions.has_any(user, "emulation.self_score"),
    }
    return render(request, "emulation/movement_detail.html", context)


@login_required
def movement_export(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    movement = selectors.access_movement(user, pk)
    year = _default_year(movement)
    if request.GET.get("year"):
        try:
            year = int(request.GET["year"])
        except ValueError:
            raise Http404
        if year not in movement.years:
            raise Http404
    criteria = selectors.criteria_of(movement)
    cards = selectors.scorecard_list(actor=user, movement=movement, year=year)
    content = rows_to_xlsx(exports.headers(criteria), exports.rows(cards, criteria), sheet_title=str(year))
    return file_response(content, filename=f"thi-dua-{movement.pk}-{year}.xlsx")


@login_required
def covenant_sign(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    movement = selectors.access_movement(user, pk)
    if not request.GET.get("org"):
        _require(user, "emulation.self_score")
        pick = PickOrganizationForm(
            request.GET if request.GET.get("org_text") else None, actor=user, movement=movement
        )
        if pick.is_bound and pick.is_valid():
            return redirect(f"{request.path}?org={pick.cleaned_data['org'].pk}")
        return render(request, "emulation/pick_org.html", {"form": pick, "movement": movement})
    organization = org_selectors.access_organization(user, request.GET["org"], perm="emulation.self_score")
    if not selectors.applies_to(movement, organization):
        raise Http404
    form = CovenantForm(request.POST or None, initial={"signed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.covenant_sign(
                actor=user, movement=movement, organization=organization, **form.cleaned_data
            )
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            messages.success(request, _("The covenant was recorded."))
            return redirect("emulation:movement_detail", pk=movement.pk)
    context = {"form": form, "movement": movement, "organization": organization}
    return render(request, "emulation/covenant_form.html", context)


@login_required
def scorecard(request: HttpRequest, pk: int, org: int, year: int) -> HttpResponse:
    user = request.user
    movement = selectors.access_movement(user, pk)
    organization = org_selectors.access_organization(user, org, perm="emulation.view")
    if not selectors.applies_to(movement, organization) or year not in movement.years:
        raise Http404
    criteria = selectors.criteria_of(movement)
    card = selectors.scorecard_find(movement, organization, year)
    can_self = permissions.can(user, "emulation.self_score", organization.path) and not (
        card and card.upper_scored_at
    )
    can_upper = selectors.can_upper_score(user, organization)
    upper_open = (
        can_upper and card is not None and card.self_submitted_at is not None and card.result == "PENDING"
    )
    can_decide = upper_open and card.upper_scored_at is not None
    scores = {s.criterion_id: s for s in card.scores.all()} if card else {}
    step = request.POST.get("step") if request.method == "POST" else None
    if request.method == "POST" and not (
        (step == "self" and can_self) or (step == "upper" and upper_open) or (step == "decide" and can_decide)
    ):
        raise PermissionDenied
    self_form = ScoresForm(
        request.POST if step == "self" else None, criteria=criteria, prefix="self",
        initial_scores={k: v.self_score for k, v in scores.items()},
    )  # fmt: skip
    upper_form = ScoresForm(
        request.POST if step == "upper" else None, criteria=criteria, prefix="upper",
        initial_scores={k: v.upper_score if v.upper_score is not None else v.self_score for k, v in scores.items()},
    )  # fmt: skip
    decide_form = DecideForm(request.POST if step == "decide" else None)
    bound = {"self": self_form, "upper": upper_form, "decide": decide_form}.get(step)
    if bound is not None and bound.is_valid():
        try:
            if step == "self":
                services.scorecard_self_score(
                    actor=user,
                    movement=movement,
                    organization=organization,
                    year=year,
                    scores=self_form.scores(),
                )
                messages.success(request, _("The self-score was submitted to the upper committee."))
            elif step == "upper":
                services.scorecard_upper_score(actor=user, scorecard=card, scores=upper_form.scores())
                messages.success(request, _("The upper committee's score was saved."))
            else:
                data = decide_form.cleaned_data
                services.scorecard_decide(
                    actor=user, scorecard=card, result=data["result"], note=data["note"]
                )
                messages.success(request, _("The result was recorded."))
        except RuleViolation as exc:
            bound.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            return redirect(request.path)
    context = {
        "movement": movement,
        "organization": organization,
        "year": year,
        "card": card,
        "points": card.points(criteria) if card else _empty_points(criteria),
        "self_form": self_form if can_self else None,
        "upper_form": upper_form if upper_open else None,
        "decide_form": decide_form if can_decide else None,
    }
    return render(request, "emulation/scorecard.html", context)


def _empty_points(criteria) -> dict:
    return {"rows": [{"criterion": c} for c in criteria], "self_total": None, "upper_total": None}


@login_required
def award_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(user, "emulation.view")
    form = AwardFilterForm(request.GET or None)
    awards = Award.objects.none()
    if not request.GET or form.is_valid():
        filters = form.filters() if request.GET else None
        awards = selectors.award_list(actor=user, filters=filters)
    page = Paginator(awards, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "can_create": permissions.has_any(user, "emulation.manage")}
    return render(request, "emulation/award_list.html", context)


@login_required
def award_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(user, "emulation.manage")
    member = None
    if request.GET.get("member"):
        member = access_member(user, request.GET["member"])
        permissions.authorize(user, "emulation.manage", member.organization.path)
    initial = {"year": timezone.localdate().year - 1}
    if member is None and request.GET.get("org"):
        initial["organization"] = org_selectors.access_organization(
            user, request.GET["org"], perm="emulation.manage"
        ).pk
    form = AwardForm(request.POST or None, actor=user, member=member, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.award_create(actor=user, member=member, **data)
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            messages.success(request, _("The award was recorded."))
            if member is not None:
                return redirect("members:detail", pk=member.pk)
            return redirect("emulation:award_list")
    return render(request, "emulation/award_form.html", {"form": form, "member": member})
