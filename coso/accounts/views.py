"""Login, users and their grants, personal API tokens, and the personal-data access log."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from coso.core.exceptions import RuleViolation
from coso.core.exporters import file_response, rows_to_xlsx
from coso.core.forms import add_errors, bootstrap
from coso.core.history import history_entries

from . import permissions, selectors, services
from .forms import AccessLogFilterForm, GrantForm, TokenForm, UserCreateForm, UserFilterForm
from .models import AccessLog

PAGE_SIZE = 50


class CosoLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


# --- Passwords: change, and reset a forgotten one by e-mail (Django's auth views) ---------------------------

PASSWORD_RESET_GROUP = "accounts.password_reset"
# Per client address, and per e-mail address asked for (no one can flood a mailbox from many addresses).
PASSWORD_RESET_RATE = settings.COSO_PASSWORD_RESET_RATE


def reset_address(group: str, request) -> str:
    """The per-address bucket: the address as the reset form matches it (case and spaces do not make a new
    bucket)."""
    return request.POST.get("email", "").strip().lower()


class BootstrapFormMixin:
    def get_form(self, form_class=None):
        return bootstrap(super().get_form(form_class))


class PasswordChangeView(BootstrapFormMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_form.html"
    success_url = reverse_lazy("accounts:password_change_done")
    extra_context = {
        "title": gettext_lazy("Change your password"),
        "submit": gettext_lazy("Change the password"),
    }


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_message.html"
    extra_context = {
        "title": gettext_lazy("Password changed"),
        "message": gettext_lazy("Your password has been changed. Use the new one from now on."),
    }


@method_decorator(
    ratelimit(group=PASSWORD_RESET_GROUP, key="ip", rate=PASSWORD_RESET_RATE, method="POST", block=False),
    name="post",
)
@method_decorator(
    ratelimit(
        group=PASSWORD_RESET_GROUP, key=reset_address, rate=PASSWORD_RESET_RATE, method="POST", block=False
    ),
    name="post",
)
class PasswordResetView(BootstrapFormMixin, auth_views.PasswordResetView):
    """Always the same answer whether or not an account has that address: the page never tells who has an
    account. Too many requests from one client, or for one address, are refused (429) before any mail."""

    template_name = "accounts/password_form.html"
    email_template_name = "accounts/mail/password_reset.txt"
    subject_template_name = "accounts/mail/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_context = {
        "title": gettext_lazy("Forgotten password"),
        "intro": gettext_lazy(
            "Enter the e-mail address of your account. If it belongs to an account, we send a link to choose a "
            "new password; the link works once, for a limited time."
        ),
        "submit": gettext_lazy("Send the link"),
    }

    def post(self, request, *args, **kwargs):
        if getattr(request, "limited", False):
            form = self.get_form()
            form.is_valid()
            form.add_error(None, _("Too many requests. Please try again later."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_message.html"
    extra_context = {
        "title": gettext_lazy("Check your mailbox"),
        "message": gettext_lazy(
            "If the address belongs to an account, a link to choose a new password is on its way. "
            "No mail after a few minutes? Check the spam folder, or ask your committee office."
        ),
    }


class PasswordResetConfirmView(BootstrapFormMixin, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_form.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    extra_context = {
        "title": gettext_lazy("Choose a new password"),
        "submit": gettext_lazy("Save the new password"),
    }


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_message.html"
    extra_context = {
        "title": gettext_lazy("Password saved"),
        "message": gettext_lazy("Your new password is saved. You can log in with it now."),
    }


def _require(user, perm: str) -> None:
    """Pages that list across the tree: a user who holds `perm` nowhere is refused (403)."""
    if not permissions.has_any(user, perm):
        raise PermissionDenied


# --- Users and grants ---------------------------------------------------------------------------------------


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require(request.user, "accounts.view_grants")
    form = UserFilterForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.user_list(actor=request.user, q=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "can_manage": permissions.has_any(request.user, "accounts.manage_grants"),
    }
    template = "accounts/_user_table.html" if request.htmx else "accounts/user_list.html"
    return render(request, template, context)


def _user_page(request: HttpRequest, user, *, grant_form: GrantForm | None = None, status: int = 200):
    actor = request.user
    can_manage = permissions.has_any(actor, "accounts.manage_grants")
    grants = [
        {
            "grant": grant,
            "can_revoke": can_manage
            and permissions.can(actor, "accounts.manage_grants", grant.organization.path),
        }
        for grant in user.scoped_grants
    ]
    context = {
        "account": user,
        "grants": grants,
        "grant_form": grant_form or (GrantForm(actor=actor) if can_manage else None),
        "history": history_entries(user),
        "grant_history": selectors.grant_history(actor=actor, user=user),
    }
    return render(request, "accounts/user_detail.html", context, status=status)


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _user_page(request, selectors.access_user(request.user, pk))


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    _require(request.user, "accounts.manage_grants")
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,
                username=data["username"],
                password=data["password1"],
                member=data["member"],
                email=data["email"],
                role=data["role"],
            )
        except RuleViolation as exc:
            add_errors(form, exc.fields)
        else:
            messages.success(request, _("The account %(name)s was created.") % {"name": user.username})
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def grant_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.access_user(request.user, pk, perm="accounts.manage_grants")
    form = GrantForm(request.POST or None, actor=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.grant_create(
                    actor=request.user,
                    user=user,
                    organization=form.cleaned_data["organization"],
                    role=form.cleaned_data["role"],
                )
            except RuleViolation as exc:
                add_errors(form, exc.fields)
            else:
                messages.success(request, _("The role was granted."))
                return redirect("accounts:user_detail", pk=user.pk)
        return _user_page(request, user, grant_form=form, status=400)
    return _user_page(request, user, grant_form=form)


@login_required
@require_POST
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = selectors.access_grant(request.user, pk, perm="accounts.manage_grants")
    services.grant_revoke(actor=request.user, grant=grant)
    messages.success(request, _("The role was revoked."))
    return redirect("accounts:user_detail", pk=grant.user_id)


# --- Personal API tokens ------------------------------------------------------------------------------------


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    if not permissions.has_any(request.user, "accounts.use_api"):
        raise PermissionDenied
    context = {"tokens": selectors.token_list(user=request.user), "form": TokenForm(), "raw": None}
    return render(request, "accounts/token_list.html", context)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    if not permissions.has_any(request.user, "accounts.use_api"):
        raise PermissionDenied
    form = TokenForm(request.POST)
    raw = None
    if form.is_valid():
        _token, raw = services.token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            days=form.cleaned_data["days"],
            read_only=form.cleaned_data["read_only"],
        )
        form = TokenForm()
    # The raw token is shown once, in this answer, and is never stored: no redirect.
    context = {"tokens": selectors.token_list(user=request.user), "form": form, "raw": raw}
    return render(request, "accounts/token_list.html", context, status=200 if raw else 400)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.access_token(request.user, pk)
    services.token_revoke(token=token)
    messages.success(request, _("The token was revoked; it no longer works."))
    return redirect("accounts:token_list")


# --- Access log ---------------------------------------------------------------------------------------------


def _access_log_rows(request: HttpRequest):
    _require(request.user, "accounts.view_access_log")
    form = AccessLogFilterForm(request.GET)
    if form.is_valid():
        rows = selectors.access_log_list(actor=request.user, filters=form.filters())
    else:
        rows = AccessLog.objects.none()
    return form, rows


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    form, rows = _access_log_rows(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "accounts/_access_log_table.html" if request.htmx else "accounts/access_log.html"
    return render(request, template, context)


EXPORT_LIMIT = 100_000


@login_required
def access_log_export(request: HttpRequest) -> HttpResponse:
    form, rows = _access_log_rows(request)
    headers = [
        _("Time"),
        _("User"),
        _("Action"),
        _("Record"),
        _("Object type"),
        _("Object id"),
        _("IP address"),
        _("Detail"),
        _("Records shown"),
    ]
    data = (
        (
            timezone.localtime(row.at).strftime("%d/%m/%Y %H:%M:%S"),
            row.user.username if row.user else "",
            row.action_label,
            row.object_label,
            row.object_type,
            row.object_id,
            row.ip_address or "",
            row.detail,
            row.object_count,
        )
        for row in rows[:EXPORT_LIMIT].iterator(chunk_size=2000)
    )
    content = rows_to_xlsx(headers, data, sheet_title=_("Access log"))
    filename = f"access-log-{timezone.localdate():%Y-%m-%d}.xlsx"
    return file_response(content, filename=filename)
