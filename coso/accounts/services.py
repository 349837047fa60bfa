"""Writes for accounts: role grants, API tokens and the personal-data access log."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.core.exceptions import RuleViolation

from . import permissions
from .models import AccessLog, ApiToken, Role, RoleGrant, User


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def access_log_record(
    *, actor, action: str, obj, label: str = "", path: str = "", request=None, detail: str = ""
) -> AccessLog:
    """Write one access-log row: who looked at which full personal record, when and from where."""
    return AccessLog.objects.create(
        user=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower if hasattr(obj, "_meta") else str(type(obj).__name__),
        object_id=str(getattr(obj, "pk", obj)),
        object_label=label or str(obj)[:255],
        organization_path=path,
        ip_address=client_ip(request),
        detail=detail[:255],
    )


def grant_create(*, actor, user: User, organization, role: str) -> RoleGrant:
    permissions.authorize(actor, "accounts.manage_grants", organization.path)
    if role not in Role.values:
        raise RuleViolation(_("Unknown role."), fields={"role": [_("Unknown role.")]})
    if RoleGrant.objects.filter(
        user=user, organization=organization, role=role, revoked_at__isnull=True
    ).exists():
        raise RuleViolation(
            _("This user already has this role on this organization."),
            fields={"role": [_("This user already has this role on this organization.")]},
            code="duplicate",
        )
    with transaction.atomic():
        grant = RoleGrant(
            user=user,
            organization=organization,
            role=role,
            granted_by=actor if getattr(actor, "pk", None) else None,
        )
        grant.full_clean()
        grant.save()
    permissions.forget(user)
    return grant


def grant_revoke(*, actor, grant: RoleGrant) -> RoleGrant:
    permissions.authorize(actor, "accounts.manage_grants", grant.organization.path)
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at", "updated_at"])
    permissions.forget(grant.user)
    return grant


def token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Issue a personal API token; the raw token is returned once and never stored."""
    return ApiToken.issue(user=user, name=name)


def token_revoke(*, token: ApiToken) -> None:
    token.revoke()
