"""Home page for each role, and the health check used by load balancers."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from coso.accounts import permissions

from . import panels


def home(request: HttpRequest) -> HttpResponse:
    """One page, in sections that the apps contribute as panels (`coso.core.panels`): the office's figures, the
    secretary's cell, the member's own record, meetings, study... An anonymous visitor (most often a citizen) gets
    the public start page, with the staff log-in linked from it."""
    if not request.user.is_authenticated:
        return render(request, "core/start.html")
    user = request.user
    today = timezone.localdate()
    context = {
        "today": today,
        # Neither a role nor a member record: nothing to show but whom to ask.
        "no_grant": not permissions.grants_of(user)
        and not permissions.is_superuser(user)
        and not getattr(user, "member_id", None),
        "panels": panels.panels_for(request, today),
    }
    return render(request, "core/home.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
