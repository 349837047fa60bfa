"""What the meetings pages share: POST actions, versions, the user's cells, form errors."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from coso.accounts import permissions
from coso.core.exceptions import ConflictError, RuleViolation
from coso.core.text import as_id
from coso.orgs.models import CELL_KINDS, Organization, OrgStatus

PAGE_SIZE = 25


def _error_text(exc: RuleViolation) -> str:
    parts = [str(exc.message)]
    for errors in exc.fields.values():
        parts.extend(str(e) for e in errors)
    return " ".join(dict.fromkeys(parts))


def _action(view):
    """POST actions: a broken rule or a stale version becomes a message on the page the user came from."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (RuleViolation, ConflictError) as exc:
            messages.error(request, _error_text(exc) if isinstance(exc, RuleViolation) else str(exc.message))
            return redirect(request.POST.get("next") or request.META.get("HTTP_REFERER") or "meetings:list")

    return login_required(require_POST(wrapper))


def _version(request) -> int | None:
    try:
        return int(request.POST.get("version"))
    except (TypeError, ValueError):
        return None


def _scoped_orgs(user, perm: str = "meetings.view"):
    return Organization.objects.filter(permissions.scope_q(user, perm), status=OrgStatus.ACTIVE).order_by(
        "path"
    )


def _cells(user, perm: str = "meetings.view"):
    return _scoped_orgs(user, perm).filter(kind__in=CELL_KINDS)


def _default_cell(user, perm: str = "meetings.manage") -> Organization | None:
    member_id = getattr(user, "member_id", None)
    cells = _cells(user, perm)
    if member_id:
        own = cells.filter(members__pk=member_id).first()
        if own:
            return own
    return cells.first()


def _form_errors(form, exc: RuleViolation) -> None:
    for name, errors in exc.fields.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, str(error))
    if not exc.fields:
        form.add_error(None, str(exc.message))


def _int(value) -> int:
    """A count typed in a form: ASCII digits only, within the database's integer range, else 0."""
    number = as_id(value)
    return number if number is not None and number <= 2**31 - 1 else 0


def _pick_org(request, user, perm: str, *, cells_only: bool = True) -> Organization | None:
    org_id = request.GET.get("org") or request.POST.get("org")
    if org_id:
        if as_id(org_id) is None:
            raise Http404
        organization = get_object_or_404(Organization, pk=as_id(org_id))
        permissions.authorize(user, perm, organization.path)
        return organization
    return _default_cell(user, perm) if cells_only else None


def _url(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)
