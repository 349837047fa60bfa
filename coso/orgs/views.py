"""HTML pages of the organization tree (placeholder, being built)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from . import selectors


@login_required
def tree(request):
    return HttpResponse("tree")


@login_required
def detail(request, pk: int):
    org = selectors.access_organization(request.user, pk)
    return HttpResponse(org.name)


@login_required
def restructure(request):
    return HttpResponse("restructure")


@login_required
def supervision(request):
    return HttpResponse("supervision")
