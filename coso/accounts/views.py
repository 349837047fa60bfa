"""Login, logout and the personal-data access log."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import permissions
from .models import AccessLog


class CosoLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    paths = permissions.scope_paths(request.user, "accounts.view_access_log")
    if paths is not None and not paths:
        raise PermissionDenied
    qs = AccessLog.objects.select_related("user")
    if paths is not None:
        qs = qs.filter(
            permissions.scope_q(request.user, "accounts.view_access_log", field="organization_path")
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/access_log.html", {"page": page})
