"""HTML pages for member records (placeholder, being built)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from . import selectors


@login_required
def member_list(request):
    return HttpResponse("members")


@login_required
def member_detail(request, pk: int):
    member = selectors.access_member(request.user, pk)
    return HttpResponse(member.full_name)
