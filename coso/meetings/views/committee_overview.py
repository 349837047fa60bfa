"""The committee overview of its cells' meetings, a page of cells at a time."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import selectors
from ..forms import CommitteePickForm
from ._common import _pick_org

CELLS_PAGE_SIZE = 50


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    committees = selectors.committees_of(user)
    # Without JavaScript the picker sends the typed code or name: the form resolves it within the scope.
    typed = CommitteePickForm(request.GET, queryset=committees) if request.GET.get("org_text") else None
    if typed is not None and typed.is_valid():
        organization = typed.cleaned_data["org"]
    else:
        organization = _pick_org(request, user, "meetings.overview", cells_only=False)
    if organization is None:
        organization = committees.first()
    if organization is None:
        raise PermissionDenied
    today = timezone.localdate()
    not_met_only = request.GET.get("show") == "not_met"
    cells = (
        selectors.not_met_cells(actor=user, org=organization, today=today)
        if not_met_only
        else selectors.overview_cells(actor=user, org=organization)
    )
    page = Paginator(cells, CELLS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "organization": organization,
        "committee_form": typed
        if typed is not None and typed.errors
        else CommitteePickForm(queryset=committees, initial={"org": organization.pk}),
        "several_committees": committees[:2].count() > 1,
        "summary": selectors.overview_summary(actor=user, org=organization, today=today),
        "page": page,
        "rows": selectors.overview(actor=user, org=organization, today=today, cells=page.object_list),
        "not_met_only": not_met_only,
        "today": today,
        "open_escalations": selectors.open_escalation_count(actor=user),
    }
    return render(request, "meetings/overview.html", context)
