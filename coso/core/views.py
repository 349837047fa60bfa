"""Home page for each role, and the health check used by load balancers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from coso.accounts import permissions
from coso.accounts.models import Role
from coso.orgs import selectors as org_selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = permissions.roles_of(user)
    grants = [
        {"role": Role(grant.role).label, "organization_id": grant.organization_id}
        for grant in permissions.grants_of(user)
    ]
    tree = (
        org_selectors.organization_tree(actor=user, max_depth=1)
        if permissions.has_any(user, "orgs.view")
        else []
    )
    context = {
        "roles": roles,
        "grants": grants,
        "tree": tree,
        "is_office": bool(
            roles & {Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER, Role.SYSTEM_ADMIN, Role.INSPECTION}
        )
        or user.is_superuser,
        "own_member": user.member if user.member_id else None,
    }
    return render(request, "core/home.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
