"""A cell's yearly calendar, planning the regular meetings, seasonal topics."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.exceptions import RuleViolation
from coso.core.text import as_id
from coso.orgs.models import CELL_KINDS

from .. import selectors, services
from ..forms import CellPickForm, PlanYearForm, TopicForm
from ..models import SeasonalTopic
from ._common import _action, _cells, _form_errors, _pick_org, _scoped_orgs, _url

MIN_YEAR, MAX_YEAR = 1930, 2200


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    user = request.user
    # Without JavaScript the cell picker sends the typed code or name: the form resolves it within the scope.
    typed = CellPickForm(request.GET, queryset=_cells(user)) if request.GET.get("org_text") else None
    if typed is not None and typed.is_valid():
        organization = typed.cleaned_data["org"]
    else:
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
        "cell_form": typed
        if typed is not None and typed.errors
        else CellPickForm(queryset=_cells(user), initial={"org": organization.pk}),
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
