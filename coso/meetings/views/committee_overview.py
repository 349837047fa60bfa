"""The committee overview of its cells' meetings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import selectors
from ._common import _pick_org


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    committees = selectors.committees_of(user)
    organization = _pick_org(request, user, "meetings.overview", cells_only=False)
    if organization is None:
        organization = committees.first()
    if organization is None:
        raise PermissionDenied
    today = timezone.localdate()
    rows = selectors.overview(actor=user, org=organization, today=today)
    context = {
        "organization": organization,
        "committees": committees[:200],
        "rows": rows,
        "not_met": [r for r in rows if not r.met],
        "today": today,
        "open_escalations": selectors.open_escalation_count(actor=user),
    }
    return render(request, "meetings/overview.html", context)
