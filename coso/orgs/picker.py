"""The organization picker's search: a page of matching organizations as options of the field's listbox."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from coso.accounts import permissions
from coso.core.text import as_id

from .widgets import TEXT_SUFFIX, PickerScope, hint, search

PAGE_SIZE = 20
MAX_PAGE = 50
_SAFE_ID = re.compile(r"[^\w-]")


def _scope(request: HttpRequest) -> PickerScope | None:
    """The field's signed scope, or a bare permission (only a known one): never a scope the user made up."""
    token = request.GET.get("scope")
    if token:
        try:
            return PickerScope.unsign(token)
        except signing.BadSignature:
            return None
    perm = request.GET.get("perm") or "orgs.view"
    return PickerScope(perm=perm) if perm in permissions.PERMISSIONS else None


@login_required
@require_GET
def organization_pick(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    if scope is None:
        return HttpResponseBadRequest("scope")
    user = request.user
    if not permissions.has_any(user, scope.perm):
        raise PermissionDenied
    name = request.GET.get("name", "")
    q = request.GET.get("q", request.GET.get(name + TEXT_SUFFIX, "") if name else "")[:100]
    page = min(max(as_id(request.GET.get("page")) or 1, 1), MAX_PAGE)
    field = _SAFE_ID.sub("", request.GET.get("field", "org"))[:80] or "org"
    start = (page - 1) * PAGE_SIZE
    orgs = list(search(scope.queryset(user), q)[start : start + PAGE_SIZE + 1])
    more_url = ""
    if len(orgs) > PAGE_SIZE and page < MAX_PAGE:
        orgs = orgs[:PAGE_SIZE]
        query = {k: v for k, v in request.GET.items() if k != "page"} | {"q": q, "page": page + 1}
        more_url = reverse("orgs:pick") + "?" + urlencode(query)
    for org in orgs:
        org.hint = hint(org)
    context = {"orgs": orgs, "field": field, "page": page, "first_page": page == 1, "more_url": more_url}
    return render(request, "orgs/_picker_options.html", context)
